/**
 * Real tool or stand-in: a program named by PROGRAM_BIN, or found in node_modules/.bin, in the
 * pinned tools of `.tools/bin` (npm run tools:install) or on PATH (outside the stand-ins folder), is
 * used for real and its version recorded; otherwise a stand-in from test/stand-ins/bin is used and
 * reported as one. A pinned tool that tools:install failed to build is reported with its reason.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import which from 'which';
import { TOOLS } from '../../../src/scripts/tools-manifest.js';
import { nodeModulesBin, standInBin, toolsBin, toolsDir } from './paths.js';

export interface Tier {
  program: string;
  kind: 'real' | 'stand-in' | 'missing';
  /** Absolute path of what runs. */
  file?: string;
  version?: string;
  /** Why the pinned real tool is not there, when `npm run tools:install` tried and failed. */
  notInstalled?: string;
}

const VERSION_ARGS: Record<string, string[][]> = {
  kubectl: [['version', '--client', '-o', 'json']],
  kubescape: [['version']],
};

/** The first executable `program` in `dirs`, in order. */
function findIn(program: string, dirs: string[]): string | undefined {
  return dirs.length ? (which.sync(program, { path: dirs.join(path.delimiter), nothrow: true }) ?? undefined) : undefined;
}

function versionOf(file: string, program: string): string {
  for (const args of VERSION_ARGS[program] ?? [['--version'], ['version']]) {
    try {
      // The pin's version-check environment (Semgrep would ask the network for a newer version first).
      const out = execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000, env: { ...process.env, ...versionEnvOf(program) } });
      if (program === 'kubectl') {
        const parsed = JSON.parse(out) as { clientVersion?: { gitVersion?: string } };
        if (parsed.clientVersion?.gitVersion) return parsed.clientVersion.gitVersion;
      }
      const m = /v?\d+\.\d+(?:\.\d+)?[\w.+-]*/.exec(out);
      if (m) return m[0];
    } catch {
      // try the next form
    }
  }
  return 'unknown version';
}

function versionEnvOf(program: string): Record<string, string> {
  const pin = TOOLS.find((t) => 'binaries' in t && t.binaries.includes(program));
  return (pin && 'versionEnv' in pin && pin.versionEnv) || {};
}

export function resolveTier(program: string): Tier {
  const envBin = process.env[`${program.toUpperCase().replace(/-/g, '_')}_BIN`];
  if (envBin && existsSync(envBin)) return { program, kind: 'real', file: envBin, version: versionOf(envBin, program) };
  const systemDirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d && path.resolve(d) !== standInBin);
  const real = findIn(program, [nodeModulesBin, toolsBin, ...systemDirs]);
  if (real) return { program, kind: 'real', file: real, version: versionOf(real, program) };
  const notInstalled = installFailure(program);
  const standIn = findIn(program, [standInBin]);
  if (standIn) return { program, kind: 'stand-in', file: standIn, ...(notInstalled && { notInstalled }) };
  return { program, kind: 'missing', ...(notInstalled && { notInstalled }) };
}

/** The last line of the install log of a pinned tool that has a log but no stamp (its build failed). */
export function installFailure(program: string, dir = toolsDir): string | undefined {
  const pin = TOOLS.find((t) => 'binaries' in t && t.binaries.includes(program));
  if (!pin) return undefined;
  const log = path.join(dir, 'logs', `${pin.name}.log`);
  if (!existsSync(log) || existsSync(path.join(dir, 'stamps', `${pin.name}.json`))) return undefined;
  const last = readFileSync(log, 'utf8').trimEnd().split('\n').pop()?.trim() ?? '';
  return `npm run tools:install could not build ${pin.name} ${pin.version} (${path.relative(process.cwd(), log)}: ${last.slice(0, 160)})`;
}

export function describeTier(t: Tier): string {
  const why = t.notInstalled ? `; ${t.notInstalled}` : '';
  if (t.kind === 'real') return `${t.program}: real ${t.version}`;
  if (t.kind === 'stand-in') return `${t.program}: stand-in${why}`;
  return `${t.program}: missing${why}`;
}
