/**
 * `npm run tools:install [-- --only NAME[,NAME] --force]`: installs the pinned real tools of
 * tools-manifest.ts into `.tools/` (git-ignored): programs in `.tools/bin`, Python tools in a venv
 * each under `.tools/venv/`, Kubescape's offline artifacts in `.tools/kubescape-artifacts/`.
 *
 * Idempotent: a tool whose stamp (`.tools/stamps/NAME.json`, the pin it was built from) matches
 * its pin and whose files are there is left alone. Go reuses the default module and build caches.
 * A tool that fails is reported with its reason and the others still install; the exit status is
 * 0 only when every selected tool is installed. Full logs: `.tools/logs/NAME.log`.
 *
 * Two lanes run at once: the Go builds one after another (each already uses every core; on a cold
 * machine compiling is nearly all of the time, downloading all of Trivy's modules takes about 20 s)
 * and, beside them, the PyPI and data installs, which wait mostly on the network.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TOOLS, type GoBuildPin, type GoDataPin, type GoInstallPin, type PypiPin, type ToolPin } from './tools-manifest.js';
import { CilockError } from '../util/errors.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const toolsDir = path.join(repoRoot, '.tools');
const binDir = path.join(toolsDir, 'bin');
const stampDir = path.join(toolsDir, 'stamps');
const logDir = path.join(toolsDir, 'logs');
const libexecDir = path.join(toolsDir, 'libexec');

class InstallError extends CilockError {}

/** The program the version check runs (the first of `binaries`). */
const mainBinary = (pin: { name: string; binaries: string[] }) => pin.binaries[0] ?? pin.name;

interface Ran {
  stdout: string;
  stderr: string;
}

/** Runs a command, appends its output to the tool's log, and throws with the output's tail on failure. */
async function run(log: string, cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Ran> {
  appendFileSync(log, `\n$ ${cmd} ${args.join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}\n`);
  const r = await spawnCollect(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, timeoutMs: opts.timeoutMs ?? 45 * 60_000 });
  appendFileSync(log, `${r.stdout}${r.stderr}`);
  if (r.error) throw new InstallError(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = `${r.stderr}${r.stdout}`.trimEnd().split('\n').slice(-6).join('\n');
    throw new InstallError(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${tail}`);
  }
  return { stdout: r.stdout, stderr: r.stderr };
}

interface Collected extends Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** spawnSync's answer without blocking the other lanes; a timeout kills the command. */
function spawnCollect(cmd: string, args: string[], opts: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Collected> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let spawnError: Error | undefined;
    child.on('error', (e) => (spawnError = e));
    child.on('close', (status, signal) =>
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status, signal, ...(spawnError && { error: spawnError }) }),
    );
  });
}

/** Module copies in the cache are read-only; a build inside one needs a writable copy. */
function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(p);
    else if (entry.isFile()) chmodSync(p, statSync(p).mode | 0o200);
  }
}

async function goModDownload(log: string, module: string, version: string): Promise<string> {
  const r = await spawnCollect('go', ['mod', 'download', '-json', `${module}@${version}`], { cwd: toolsDir, env: process.env, timeoutMs: 30 * 60_000 });
  appendFileSync(log, `\n$ go mod download -json ${module}@${version}\n${r.stdout}${r.stderr}`);
  if (r.error) throw new InstallError(`go mod download: ${r.error.message}`);
  let info: { Dir?: string; Error?: string } = {};
  try {
    info = JSON.parse(r.stdout) as typeof info;
  } catch {
    throw new InstallError(`go mod download ${module}@${version} exited ${r.status}: ${r.stderr.trim()}`);
  }
  if (info.Error || !info.Dir) throw new InstallError(`the Go module proxy refused ${module}@${version}: ${info.Error ?? 'no Dir in the answer'}`);
  return info.Dir;
}

/** A writable copy of a downloaded module (module copies in the cache are read-only). */
async function writableCopy(log: string, module: string, version: string, copy: string): Promise<void> {
  const dir = await goModDownload(log, module, version);
  rmSync(copy, { recursive: true, force: true });
  cpSync(dir, copy, { recursive: true });
  makeWritable(copy);
}

const goEnv = (): NodeJS.ProcessEnv => ({ ...process.env, CGO_ENABLED: '0' });

async function installGo(pin: GoInstallPin, log: string): Promise<void> {
  const target = `${pin.module}${pin.pkg ? `/${pin.pkg}` : ''}@${pin.version}`;
  const args = ['install', '-trimpath', ...(pin.ldflags ? ['-ldflags', pin.ldflags] : []), target];
  await run(log, 'go', args, { cwd: toolsDir, env: { ...goEnv(), ...pin.goEnv, GOBIN: binDir } });
}

async function buildGoInCopy(pin: GoBuildPin, log: string): Promise<void> {
  const copy = path.join(toolsDir, 'src', `${pin.name}@${pin.version}`);
  await writableCopy(log, pin.module, pin.version, copy);
  const out = pin.offline ? path.join(libexecDir, mainBinary(pin)) : path.join(binDir, mainBinary(pin));
  const args = ['build', '-trimpath', ...(pin.ldflags ? ['-ldflags', pin.ldflags] : []), '-o', out, `./${pin.pkg}`];
  await run(log, 'go', args, { cwd: copy, env: goEnv() });
  if (pin.offline) writeOfflineWrapper(pin, out);
}

/** See GoBuildPin.offline. A shell script so that it works for any caller, not only Node. */
function writeOfflineWrapper(pin: GoBuildPin, real: string): void {
  const o = pin.offline!;
  const data = path.join(toolsDir, o.dataFrom);
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = `#!/bin/sh
# Offline ${pin.name} ${pin.version} for this repository, written by npm run tools:install
# (src/scripts/tools-manifest.ts): runs the real binary ${path.relative(toolsDir, real)} and adds
# ${o.flag} ${path.relative(toolsDir, data)} to "${o.subcommand}" runs that do not pass ${o.flag}.
${Object.entries(o.env).map(([k, v]) => `export ${k}="\${${k}:-${v}}"`).join('\n')}
real=${q(real)}
if [ "$1" = ${q(o.subcommand)} ]; then
  for a in "$@"; do case "$a" in ${o.flag}|${o.flag}=*) exec "$real" "$@" ;; esac; done
  exec "$real" "$@" ${o.flag} ${q(data)}
fi
exec "$real" "$@"
`;
  const file = path.join(binDir, mainBinary(pin));
  rmSync(file, { force: true });
  writeFileSync(file, script, { mode: 0o755 });
}

async function buildGoData(pin: GoDataPin, log: string): Promise<void> {
  const copy = path.join(toolsDir, 'src', `${pin.name}@${pin.version}`);
  const out = path.join(copy, '.export');
  await writableCopy(log, pin.module, pin.version, copy);
  await run(log, 'python3', [pin.script], { cwd: copy, env: { ...process.env, OUTPUT: out } });
  const dest = path.join(toolsDir, pin.name);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const [from, to] of Object.entries(pin.files)) {
    if (!existsSync(path.join(out, from))) throw new InstallError(`${pin.script} of ${pin.module}@${pin.version} wrote no ${from}`);
    cpSync(path.join(out, from), path.join(dest, to));
  }
  writeFileSync(path.join(dest, 'SOURCES.md'), `Built by \`npm run tools:install\` from ${pin.module}@${pin.version} (${pin.script}), Apache-2.0.\n`);
}

async function installPypi(pin: PypiPin, log: string): Promise<void> {
  const venv = path.join(toolsDir, 'venv', pin.name);
  rmSync(venv, { recursive: true, force: true });
  await run(log, 'python3', ['-m', 'venv', venv]);
  const pip = path.join(venv, 'bin', 'pip');
  await run(log, pip, ['install', '--disable-pip-version-check', '--no-input', '--quiet', ...(pin.onlyBinary ? ['--only-binary=:all:'] : []), `${pin.package}==${pin.version}`]);
  for (const bin of pin.binaries) {
    const entry = path.join(venv, 'bin', bin);
    if (!existsSync(entry)) throw new InstallError(`${pin.package}==${pin.version} installed no ${bin} entry point`);
    const link = path.join(binDir, bin);
    rmSync(link, { force: true });
    symlinkSync(path.relative(binDir, entry), link);
  }
}

async function checkVersion(pin: Exclude<ToolPin, GoDataPin>, log: string): Promise<string> {
  const file = path.join(binDir, mainBinary(pin));
  const r = await run(log, file, pin.versionArgs, { env: { ...process.env, ...pin.versionEnv }, timeoutMs: 120_000 });
  const printed = `${r.stdout}${r.stderr}`;
  if (!printed.includes(pin.versionMatch)) throw new InstallError(`${mainBinary(pin)} ${pin.versionArgs.join(' ')} did not print "${pin.versionMatch}":\n${printed.trim().slice(0, 400)}`);
  return printed.split('\n').find((l) => l.includes(pin.versionMatch))?.trim() ?? pin.versionMatch;
}

function outputsOf(pin: ToolPin): string[] {
  if (pin.source === 'go-data') return Object.values(pin.files).map((f) => path.join(toolsDir, pin.name, f));
  const bins = pin.binaries.map((b) => path.join(binDir, b));
  return pin.source === 'go-build' && pin.offline ? [...bins, path.join(libexecDir, mainBinary(pin))] : bins;
}

function upToDate(pin: ToolPin): boolean {
  const stamp = path.join(stampDir, `${pin.name}.json`);
  // existsSync follows symlinks: a venv entry point whose venv is gone is not there.
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === JSON.stringify(pin) && outputsOf(pin).every((f) => existsSync(f));
}

export async function install(pin: ToolPin, force = false): Promise<{ status: 'up to date' | 'installed'; detail: string; seconds: number }> {
  const started = Date.now();
  if (!force && upToDate(pin)) return { status: 'up to date', detail: '', seconds: 0 };
  const stamp = path.join(stampDir, `${pin.name}.json`);
  rmSync(stamp, { force: true });
  const log = path.join(logDir, `${pin.name}.log`);
  writeFileSync(log, `${new Date().toISOString()} installing ${pin.name} ${pin.version} (${pin.source})\n`);
  let detail = '';
  if (pin.source === 'go-install') await installGo(pin, log);
  else if (pin.source === 'go-build') await buildGoInCopy(pin, log);
  else if (pin.source === 'go-data') await buildGoData(pin, log);
  else await installPypi(pin, log);
  if (pin.source !== 'go-data') detail = await checkVersion(pin, log);
  writeFileSync(stamp, JSON.stringify(pin));
  return { status: 'installed', detail, seconds: (Date.now() - started) / 1000 };
}

const isGoBuild = (pin: ToolPin): pin is GoInstallPin | GoBuildPin => pin.source === 'go-install' || pin.source === 'go-build';

/** Installs pins one after another, printing one whole line per tool (lanes interleave). */
async function lane(pins: ToolPin[], force: boolean, failed: string[]): Promise<void> {
  for (const pin of pins) {
    const label = `${pin.name} ${pin.version} (${pin.source})`;
    try {
      const r = await install(pin, force);
      process.stderr.write(r.status === 'up to date' ? `${label}: up to date\n` : `${label}: installed in ${r.seconds.toFixed(1)} s${r.detail ? ` (${r.detail})` : ''}\n`);
    } catch (err) {
      const reason = err instanceof InstallError ? err.message : String(err instanceof Error ? err.stack : err);
      failed.push(pin.name);
      process.stderr.write(`${label}: FAILED\n  ${reason.replace(/\n/g, '\n  ')}\n  (log: ${path.relative(repoRoot, path.join(logDir, `${pin.name}.log`))})\n`);
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, force: { type: 'boolean', default: false } } });
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = (only ?? []).filter((n) => !TOOLS.some((t) => t.name === n));
  if (unknown.length) {
    process.stderr.write(`tools:install: unknown tool(s) ${unknown.join(', ')}; the manifest has ${TOOLS.map((t) => t.name).join(', ')}\n`);
    process.exit(2);
  }
  for (const d of [binDir, libexecDir, stampDir, logDir]) mkdirSync(d, { recursive: true });
  const selected = TOOLS.filter((t) => !only || only.includes(t.name));
  const builds = selected.filter(isGoBuild);
  const others = selected.filter((t) => !isGoBuild(t));
  const failed: string[] = [];
  const started = Date.now();
  await Promise.all([lane(builds, values.force, failed), lane(others, values.force, failed)]);
  const total = ((Date.now() - started) / 1000).toFixed(1);
  if (failed.length) {
    process.stderr.write(`tools:install: ${failed.length} tool(s) not installed: ${failed.join(', ')} (${total} s). Examples that need them run with their stand-ins or report the program missing; fix the reason above and run npm run tools:install again.\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`tools:install: all tools in .tools/bin (${total} s)\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
