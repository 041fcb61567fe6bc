/**
 * Evaluates one predicate tree against an invocation. Each evaluation returns whether it matched
 * and a rule string (upstream's format) that says why: `argv_prefix:kubescape`,
 * `any_of[1]:env_set:CI`, `argv_prefix:miss[0]:echo!=kubescape`.
 */
import { existsSync, readdirSync, type Dirent } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Picomatch from 'picomatch';
import type { ArgvPositionals, Predicate } from '../catalog/schema.js';
import { commandName } from './unwrap.js';

// Loaded on first use: only file and product globs need it, and `cilock plan` should start fast.
const require = createRequire(import.meta.url);
let globMatcher: typeof Picomatch | undefined;
const picomatch = (...args: Parameters<typeof Picomatch>) => (globMatcher ??= require('picomatch') as typeof Picomatch)(...args);

export interface EvalContext {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** Env keys any predicate read, set or not (values are never recorded). */
  envKeysObserved: Set<string>;
  /** Results of network/socket probes, computed before evaluation (absent = not probed). */
  probes: Map<string, boolean>;
  /** Post gate only. */
  products?: string[];
  exitCode?: number;
  /** Post gate of a traced run: the argv of every program the command executed, in order. */
  execs?: readonly (readonly string[])[];
}

export interface EvalResult {
  match: boolean;
  rule: string;
}

const hit = (rule: string): EvalResult => ({ match: true, rule });
const miss = (rule: string): EvalResult => ({ match: false, rule });

export function evaluate(p: Predicate, ctx: EvalContext): EvalResult {
  if (p.argv_prefix) return argvPrefix(p.argv_prefix, ctx.argv);
  if (p.argv_contains !== undefined) {
    return ctx.argv.join(' ').includes(p.argv_contains) ? hit(`argv_contains:${p.argv_contains}`) : miss('argv_contains:miss');
  }
  if (p.argv_regex !== undefined) {
    return new RegExp(p.argv_regex).test(ctx.argv.join(' ')) ? hit(`argv_regex:${p.argv_regex}`) : miss('argv_regex:miss');
  }
  if (p.argv_positionals) return argvPositionals(p.argv_positionals, ctx.argv);
  if (p.env_set !== undefined) {
    ctx.envKeysObserved.add(p.env_set);
    return ctx.env[p.env_set] !== undefined ? hit(`env_set:${p.env_set}`) : miss(`env_set:${p.env_set}:miss`);
  }
  if (p.env_equals) {
    const { var: key, value } = p.env_equals;
    ctx.envKeysObserved.add(key);
    const got = ctx.env[key];
    if (got === undefined) return miss(`env_equals:unset:${key}`);
    return got === value ? hit(`env_equals:${key}=${value}`) : miss(`env_equals:differ:${key}`);
  }
  if (p.file_exists !== undefined) {
    const target = path.isAbsolute(p.file_exists) ? p.file_exists : path.join(ctx.cwd || '.', p.file_exists);
    return existsSync(target) ? hit(`file_exists:${p.file_exists}`) : miss(`file_exists:miss:${p.file_exists}`);
  }
  if (p.file_glob) return fileGlob(p.file_glob, ctx.cwd);
  for (const probe of ['imds_reachable', 'gcp_metadata_reachable', 'azure_metadata_reachable'] as const) {
    const want = p[probe];
    if (want === undefined) continue;
    const got = ctx.probes.get(probe);
    if (got === undefined) return miss(`${probe}:not-probed (pass --probe-cloud)`);
    return got === want ? hit(`${probe}:${got}`) : miss(`${probe}:miss:${got}!=${want}`);
  }
  if (p.socket_listening !== undefined) {
    const got = ctx.probes.get(`socket_listening:${p.socket_listening}`);
    if (got === undefined) return miss(`socket_listening:${p.socket_listening}:not-probed (pass --probe-cloud)`);
    return got ? hit(`socket_listening:${p.socket_listening}`) : miss(`socket_listening:${p.socket_listening}:miss`);
  }
  if (p.product_glob) {
    const products = ctx.products ?? [];
    if (!products.length) return miss('product_glob:no-products');
    const isMatch = picomatch(p.product_glob, { dot: true });
    const found = products.find((f) => isMatch(f.split(path.sep).join('/')));
    return found ? hit(`product_glob:${p.product_glob.join(',')}:${found}`) : miss('product_glob:miss');
  }
  if (p.exit_code) return exitCode(p.exit_code, ctx.exitCode ?? 0);
  if (p.exec_observed) return execObserved(p.exec_observed, ctx);
  if (p.any_of) {
    for (const [i, child] of p.any_of.entries()) {
      const r = evaluate(child, ctx);
      if (r.match) return hit(`any_of[${i}]:${r.rule}`);
    }
    return miss('any_of:no-match');
  }
  if (p.all_of) {
    for (const [i, child] of p.all_of.entries()) {
      const r = evaluate(child, ctx);
      if (!r.match) return miss(`all_of[${i}]:no-match:${r.rule}`);
    }
    return hit('all_of:match');
  }
  if (p.not) {
    const r = evaluate(p.not, ctx);
    return { match: !r.match, rule: `not:${r.rule}` };
  }
  return miss('empty-predicate');
}

/** The inner predicate against each observed exec's argv in turn; the first match wins. */
function execObserved(inner: Predicate, ctx: EvalContext): EvalResult {
  if (ctx.execs === undefined) return miss('exec_observed:trace-unavailable:off');
  if (ctx.execs.length === 0) return miss('exec_observed:trace-unavailable:no-execs');
  for (const [i, argv] of ctx.execs.entries()) {
    const r = evaluate(inner, { ...ctx, argv: [...argv] });
    if (r.match) return hit(`exec_observed[${i}]:${r.rule}`);
  }
  return miss('exec_observed:no-exec-matched');
}

/** Strict positions; argv[0] also matches by basename (`/usr/bin/kubescape`, `./kubescape`). */
function argvPrefix(want: string[], argv: string[]): EvalResult {
  if (argv.length < want.length) return miss('argv_prefix:short');
  for (const [i, w] of want.entries()) {
    const got = argv[i]!;
    const ok = got === w || (i === 0 && commandName(got) === w);
    if (!ok) return miss(`argv_prefix:miss[${i}]:${got}!=${w}`);
  }
  return hit(`argv_prefix:${want.join('.')}`);
}

/** Positional arguments after the prefix: words that are not flags nor the values of `value_flags`. */
export function countPositionals(spec: ArgvPositionals, argv: string[]): number | undefined {
  if (argvPrefix(spec.after, argv).match === false) return undefined;
  let count = 0;
  for (let i = spec.after.length; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      count += argv.length - i - 1;
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      if (!a.includes('=') && spec.value_flags.includes(a)) i++;
      continue;
    }
    count++;
  }
  return count;
}

function argvPositionals(spec: ArgvPositionals, argv: string[]): EvalResult {
  const n = countPositionals(spec, argv);
  const label = `argv_positionals:${spec.after.join('.')}`;
  if (n === undefined) return miss(`${label}:prefix-miss`);
  if (spec.min !== undefined && n < spec.min) return miss(`${label}:${n}<${spec.min}`);
  if (spec.max !== undefined && n > spec.max) return miss(`${label}:${n}>${spec.max}`);
  return hit(`${label}:${n}`);
}

function exitCode(spec: { eq?: number; ne?: number; in?: number[] }, code: number): EvalResult {
  if (spec.eq !== undefined) return code === spec.eq ? hit(`exit_code:eq:${code}`) : miss(`exit_code:eq:miss:${code}`);
  if (spec.ne !== undefined) return code !== spec.ne ? hit(`exit_code:ne:${code}`) : miss(`exit_code:ne:miss:${code}`);
  return spec.in?.includes(code) ? hit(`exit_code:in:${code}`) : miss(`exit_code:in:miss:${code}`);
}

/** Directories a recursive glob never enters (upstream's list); other dot-directories are skipped too. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', 'vendor', '.venv', 'venv', '__pycache__', '.tox', 'target', 'build', 'dist']);

function fileGlob(globs: string[], cwd: string): EvalResult {
  const isMatch = picomatch(globs, { dot: true });
  const recursive = globs.some((g) => g.includes('**'));
  const root = cwd || '.';
  const stack: string[] = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (isMatch(relPath)) return hit(`file_glob:${globs.join(',')}`);
      if (recursive && e.isDirectory() && !SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push(relPath);
    }
  }
  return miss('file_glob:miss');
}
