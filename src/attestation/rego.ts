/**
 * Rego policies as upstream policies carry them (`{name, module: base64 of the Rego source}`),
 * evaluated with a real `opa` binary against one attestation body.
 *
 * The query is `data.<package>.deny`: an empty set or array passes; a non-empty one fails with its
 * messages; a module with no `deny` rule fails. Classic `deny[msg] { … }` modules work (OPA's v0
 * compatibility mode, which also accepts `import rego.v1`). Network builtins and `opa.runtime` are
 * removed through a capabilities file that also allows no host, so a policy cannot reach out or
 * read the environment. Each evaluation has a time limit (30 s, as upstream).
 *
 * `opa` is found through `options.opa`, then the CILOCK_OPA environment variable, then PATH.
 * We shell out rather than embed: OPA's WebAssembly build cannot be installed here and a Rego
 * interpreter written by hand would be a second, divergent implementation.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import which from 'which';
import { CilockError } from '../util/errors.js';

export const OPA_VERSION = 'v1.22.4';
export const REGO_TIMEOUT_MS = 30_000;

/** Builtins a policy may not call: they reach the network or read the host's environment. */
const BLOCKED_BUILTIN = (name: string) => name === 'http.send' || name === 'opa.runtime' || name === 'net.lookup_ip_addr' || name.startsWith('net.cidr_');

export class RegoError extends CilockError {}

export interface RegoModule {
  name?: string;
  /** Base64 of the Rego source. */
  module: string;
}

export interface RegoOptions {
  /** Path of the opa binary; default CILOCK_OPA, then `opa` on PATH. */
  opa?: string;
  timeoutMs?: number;
}

export interface RegoResult {
  passed: boolean;
  /** The deny messages, or why the module failed without any. */
  messages: string[];
}

const INSTALL_HINT = `install OPA ${OPA_VERSION} (in this repository: npm run tools:install -- --only opa, which puts it in .tools/bin; elsewhere: go install github.com/open-policy-agent/opa@${OPA_VERSION}), then put it on PATH or set CILOCK_OPA to its path`;

export function findOpa(explicit?: string): string {
  const chosen = explicit ?? process.env.CILOCK_OPA;
  if (chosen) {
    if (which.sync(path.resolve(chosen), { nothrow: true }) === null) throw new RegoError(`Rego policies need the opa binary, but ${explicit ? 'the given path' : 'CILOCK_OPA'} ${chosen} is not an executable file: ${INSTALL_HINT}`);
    return chosen;
  }
  // Empty PATH entries are skipped, not read as the current directory.
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).join(path.delimiter);
  const onPath = dirs ? which.sync('opa', { path: dirs, nothrow: true }) : null;
  if (onPath !== null) return onPath;
  throw new RegoError(`Rego policies need the opa binary, and none is on PATH and CILOCK_OPA is not set: ${INSTALL_HINT}`);
}

function decodeModule(policy: RegoModule, label: string): string {
  const b64 = policy.module.replace(/\s+/g, '');
  if (!b64 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) throw new RegoError(`${label}: module is not base64 (it must be the base64 of the Rego source)`);
  const source = Buffer.from(b64, 'base64').toString('utf8');
  if (source.includes('\uFFFD')) throw new RegoError(`${label}: module does not decode to UTF-8 text`);
  return source;
}

/** The dotted package path (`package a.b`), read past comments; quoted segments are not supported. */
function packageOf(source: string, label: string): string {
  for (const raw of source.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const pkg = /^package\s+([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*$/.exec(line)?.[1];
    if (!pkg) throw new RegoError(`${label}: the module must start with a plain package declaration such as "package sarif" (found: ${line.slice(0, 80)})`);
    return pkg;
  }
  throw new RegoError(`${label}: the module has no package declaration`);
}

const capabilitiesCache = new Map<string, string>();

/** A capabilities file: the binary's own builtins less the blocked ones, and no host allowed. */
function capabilitiesFile(opa: string, dir: string): string {
  let text = capabilitiesCache.get(opa);
  if (!text) {
    const r = spawnSync(opa, ['capabilities', '--current'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: REGO_TIMEOUT_MS });
    if (r.error || r.status !== 0) throw new RegoError(`${opa} capabilities --current failed (${r.error?.message ?? `exit ${r.status}: ${r.stderr.trim()}`}): ${INSTALL_HINT}`);
    const caps = JSON.parse(r.stdout) as { builtins: { name: string }[]; allow_net?: string[] };
    caps.builtins = caps.builtins.filter((b) => !BLOCKED_BUILTIN(b.name));
    caps.allow_net = [];
    text = JSON.stringify(caps);
    capabilitiesCache.set(opa, text);
  }
  const file = path.join(dir, 'capabilities.json');
  writeFileSync(file, text);
  return file;
}

interface OpaError {
  message?: string;
  code?: string;
  location?: { row?: number; col?: number };
}

function describeErrors(out: string, stderr: string): string {
  try {
    const parsed = JSON.parse(out) as { errors?: OpaError[] };
    if (parsed.errors?.length) {
      return parsed.errors.map((e) => `${e.location?.row ? `line ${e.location.row}${e.location.col ? `:${e.location.col}` : ''}: ` : ''}${e.message ?? e.code ?? 'error'}`).join('; ');
    }
  } catch {
    // not JSON: fall through to stderr
  }
  return (stderr || out).trim().slice(0, 2000);
}

const message = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Evaluates one module against `body` (bound to `input`). Throws RegoError when the policy cannot
 * be evaluated at all (no opa, not base64, no package, a parse or compile error, a time-out); a
 * policy that evaluates is a verdict in the result.
 */
export function evaluateRego(policy: RegoModule, body: unknown, options: RegoOptions = {}): RegoResult {
  const label = `rego policy ${JSON.stringify(policy.name ?? '(unnamed)')}`;
  const source = decodeModule(policy, label);
  const pkg = packageOf(source, label);
  const opa = findOpa(options.opa);
  const timeoutMs = options.timeoutMs ?? REGO_TIMEOUT_MS;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-rego-'));
  try {
    const caps = capabilitiesFile(opa, dir);
    writeFileSync(path.join(dir, 'policy.rego'), source);
    writeFileSync(path.join(dir, 'input.json'), JSON.stringify(body ?? null));
    const args = ['eval', '--v0-compatible', '--format', 'json', '--capabilities', caps, '--data', path.join(dir, 'policy.rego'), '--input', path.join(dir, 'input.json'), `data.${pkg}.deny`];
    // cwd in the scratch folder and a bare environment: nothing of the caller's leaks into the evaluation.
    const r = spawnSync(opa, args, { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGKILL' });
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') throw new RegoError(`${label}: evaluation timed out after ${timeoutMs / 1000} s`);
    if (r.error) throw new RegoError(`${label}: could not run ${opa}: ${r.error.message}`);
    if (r.status !== 0) throw new RegoError(`${label}: opa rejected the module: ${describeErrors(r.stdout, r.stderr)}`);
    const out = JSON.parse(r.stdout) as { result?: { expressions: { value: unknown }[] }[] };
    const value = out.result?.[0]?.expressions?.[0]?.value;
    if (value === undefined) return { passed: false, messages: [`${label}: package ${pkg} has no deny rule (a module must define deny, empty when the policy passes)`] };
    if (!Array.isArray(value)) return { passed: false, messages: [`${label}: data.${pkg}.deny is ${JSON.stringify(value).slice(0, 200)}, expected a set or array of messages`] };
    return { passed: value.length === 0, messages: value.map(message) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
