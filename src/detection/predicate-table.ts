/**
 * Every detection predicate, one entry each: its catalog schema, how it is evaluated, how the
 * `tools` surfaces render it as a trigger, its test-plan case, the probe it needs and its
 * reference text. The schema (src/catalog/schema.ts), the evaluator (./predicates.ts), the
 * triggers, the test plan, the probes and `cilock tools export` all derive from this table, so a
 * new predicate is one entry here (plus its value type in `PredicateValues`, which the compiler
 * ties to the entry).
 *
 * zod is only imported as a type: each entry's schema is built from the zod instance the catalog
 * schema passes in, so `cilock plan` (which evaluates, never validates) does not load zod.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Picomatch from 'picomatch';
import type * as TinyGlobby from 'tinyglobby';
import type { z as Zod } from 'zod';
import { commandName } from './unwrap.js';

/** Counts the positional arguments after an argv prefix, skipping flags (and the values of `value_flags`). */
export interface ArgvPositionals {
  after: string[];
  value_flags: string[];
  min?: number | undefined;
  max?: number | undefined;
}

export interface ExitCodeSpec {
  eq?: number | undefined;
  ne?: number | undefined;
  in?: number[] | undefined;
}

/** The value each predicate key takes in the catalog. */
export interface PredicateValues {
  argv_prefix: string[];
  argv_contains: string;
  argv_regex: string;
  argv_positionals: ArgvPositionals;
  env_set: string;
  env_equals: { var: string; value: string };
  file_exists: string;
  file_glob: string[];
  imds_reachable: boolean;
  gcp_metadata_reachable: boolean;
  azure_metadata_reachable: boolean;
  socket_listening: number;
  product_glob: string[];
  exit_code: ExitCodeSpec;
  exec_observed: Predicate;
  any_of: Predicate[];
  all_of: Predicate[];
  not: Predicate;
}
export type PredicateKey = keyof PredicateValues;
/** A predicate node: exactly one key (the schema enforces "exactly one"). */
export type Predicate = { [K in PredicateKey]?: PredicateValues[K] };

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

export type Evaluate = (p: Predicate, ctx: EvalContext) => EvalResult;

/** What a probe checks: an HTTP answer from a URL, or a TCP listener on a local port. */
export type ProbeCheck = { http: { url: string; headers: Record<string, string> } } | { socket: number };

/** What the catalog schema hands each entry to build its zod schema from. */
export interface SchemaKit {
  z: typeof Zod;
  /** A trimmed, non-empty string. */
  text: Zod.ZodString;
  /** The predicate schema itself, for composers. */
  predicate: Zod.ZodType<Predicate>;
}

/** A test-plan case: setup, the command to run, the negative setup. */
export type TestPlanCase = [setup: string, command: string, negative: string];

export interface PredicateDef<V> {
  /** `any`: pre or post gate; `post`: post gate only (needs the run's products, exit code or trace). */
  gate: 'any' | 'post';
  /** One sentence for the catalog-schema reference. */
  description: string;
  /** A valid value, used by the tests that tie every derived list to this table. */
  example: V;
  schema(kit: SchemaKit): Zod.ZodType<V>;
  evaluate(value: V, ctx: EvalContext, evaluate: Evaluate): EvalResult;
  /** Nested predicates (composers), for walks over a tree. */
  children?(value: V): Predicate[];
  /** Whether it reads the command line (such entries are also looked for among traced programs). */
  readsArgv?: true;
  /** How the `tools` surfaces show it: a trigger, its children's triggers (`flatten`), or nothing (absent). */
  trigger?: { kind?: string; value(v: V): string } | 'flatten';
  /** The test-plan case, from the trigger's rendered value. */
  testCase?(value: string): TestPlanCase;
  /** The probe `cilock plan --probe-cloud` must run before evaluation, and the id its result has. */
  probe?(value: V): { id: string; check: ProbeCheck };
}

// Loaded on first use: only file and product globs need them, and `cilock plan` should start fast.
const require = createRequire(import.meta.url);
let globMatcher: typeof Picomatch | undefined;
const picomatch = (...args: Parameters<typeof Picomatch>) => (globMatcher ??= require('picomatch') as typeof Picomatch)(...args);
let globber: typeof TinyGlobby | undefined;
const tinyglobby = () => (globber ??= require('tinyglobby') as typeof TinyGlobby);

const hit = (rule: string): EvalResult => ({ match: true, rule });
const miss = (rule: string): EvalResult => ({ match: false, rule });

const PLAN = 'cilock plan --format=json --';
const GENERIC_NEGATIVE = 'Invoke cilock with an unrelated argv (e.g. echo unrelated)';

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

function describePositionals(spec: ArgvPositionals): string {
  const bounds = [spec.min !== undefined ? `≥${spec.min}` : '', spec.max !== undefined ? `≤${spec.max}` : ''].filter(Boolean).join(' ');
  return `${spec.after.join(' ')} with ${bounds || 'any number of'} positional argument(s)`;
}

function exitCode(spec: ExitCodeSpec, code: number): EvalResult {
  if (spec.eq !== undefined) return code === spec.eq ? hit(`exit_code:eq:${code}`) : miss(`exit_code:eq:miss:${code}`);
  if (spec.ne !== undefined) return code !== spec.ne ? hit(`exit_code:ne:${code}`) : miss(`exit_code:ne:miss:${code}`);
  return spec.in?.includes(code) ? hit(`exit_code:in:${code}`) : miss(`exit_code:in:miss:${code}`);
}

/** Directories a recursive glob never enters (upstream's list); other dot-directories are skipped too. */
const SKIPPED_DIRS = ['.git', 'node_modules', 'vendor', '.venv', 'venv', '__pycache__', '.tox', 'target', 'build', 'dist'];
const IGNORED = [...SKIPPED_DIRS.map((dir) => `**/${dir}/**`), '**/.*/**'];

function fileGlob(globs: string[], cwd: string): EvalResult {
  // Symbolic links are not followed: a link loop or a link out of the tree must not widen the walk.
  const found = tinyglobby().globSync(globs, { cwd: cwd || '.', dot: true, onlyFiles: false, followSymbolicLinks: false, ignore: IGNORED, expandDirectories: false });
  return found.length > 0 ? hit(`file_glob:${globs.join(',')}`) : miss('file_glob:miss');
}

/** A cloud-metadata probe: an HTTP answer from the metadata endpoint means "reachable". */
function metadataProbe(key: string, url: string, headers: Record<string, string>, where: string): PredicateDef<boolean> {
  return {
    gate: 'any',
    description: `Probe: whether the ${where} metadata endpoint answers (only with \`cilock plan --probe-cloud\`); the value is the expected answer.`,
    example: true,
    schema: ({ z }) => z.boolean(),
    evaluate(want, ctx) {
      const got = ctx.probes.get(key);
      if (got === undefined) return miss(`${key}:not-probed (pass --probe-cloud)`);
      return got === want ? hit(`${key}:${got}`) : miss(`${key}:miss:${got}!=${want}`);
    },
    trigger: { kind: 'probe', value: (v) => `${key}=${v}` },
    testCase: probeCase,
    probe: () => ({ id: key, check: { http: { url, headers } } }),
  };
}

function probeCase(value: string): TestPlanCase {
  return [`The probe must return ${value} (real cloud only)`, `(real cloud only) ${PLAN} --probe-cloud echo hi`, 'Run off-cloud'];
}

const globList = ({ z, text }: SchemaKit) => z.array(text).min(1, 'needs at least one glob');
const predicateList = ({ z, predicate }: SchemaKit) => z.array(predicate).min(1, 'needs at least one predicate');

export const PREDICATES: { [K in PredicateKey]: PredicateDef<PredicateValues[K]> } = {
  argv_prefix: {
    gate: 'any',
    description: 'The command line starts with these words (the first also matches by basename, `/usr/bin/kubescape`).',
    example: ['kubescape', 'scan'],
    schema: ({ z, text }) => z.array(text).min(1, 'needs at least one argv element'),
    evaluate: (want, ctx) => argvPrefix(want, ctx.argv),
    readsArgv: true,
    trigger: { value: (v) => v.join(' ') },
    testCase: (v) => [`Invoke cilock with argv starting "${v}"`, `${PLAN} ${v} [...]`, GENERIC_NEGATIVE],
  },
  argv_contains: {
    gate: 'any',
    description: 'The command line, joined by spaces, contains this text.',
    example: '--format sarif',
    schema: ({ text }) => text,
    evaluate: (want, ctx) => (ctx.argv.join(' ').includes(want) ? hit(`argv_contains:${want}`) : miss('argv_contains:miss')),
    readsArgv: true,
    trigger: { value: (v) => v },
    testCase: (v) => [`Invoke cilock with an argv containing "${v}"`, `${PLAN} <cmd> ${v}`, GENERIC_NEGATIVE],
  },
  argv_regex: {
    gate: 'any',
    description: 'The command line, joined by spaces, matches this regular expression.',
    example: '^trivy (fs|image) ',
    schema: ({ text }) => text.refine(isValidRegex, 'is not a valid regular expression'),
    evaluate: (want, ctx) => (new RegExp(want).test(ctx.argv.join(' ')) ? hit(`argv_regex:${want}`) : miss('argv_regex:miss')),
    readsArgv: true,
    trigger: { value: (v) => v },
    testCase: (v) => [`Invoke cilock with an argv matching /${v}/`, `${PLAN} <cmd matching ${v}>`, GENERIC_NEGATIVE],
  },
  argv_positionals: {
    gate: 'any',
    description: 'After the argv prefix `after`, the number of positional arguments (flags and the values of `value_flags` skipped) is within `min`/`max`.',
    example: { after: ['kubescape', 'scan'], value_flags: ['--format'], min: 1 },
    schema: ({ z, text }) =>
      z.strictObject({
        after: z.array(text).min(1, 'needs at least one argv element'),
        value_flags: z.array(text).default([]),
        min: z.number().int().nonnegative().optional(),
        max: z.number().int().nonnegative().optional(),
      }),
    evaluate: (spec, ctx) => argvPositionals(spec, ctx.argv),
    readsArgv: true,
    trigger: { value: describePositionals },
  },
  env_set: {
    gate: 'any',
    description: 'This environment variable is set (to any value; values are never recorded).',
    example: 'CI',
    schema: ({ text }) => text,
    evaluate(key, ctx) {
      ctx.envKeysObserved.add(key);
      return ctx.env[key] !== undefined ? hit(`env_set:${key}`) : miss(`env_set:${key}:miss`);
    },
    trigger: { value: (v) => v },
    testCase: (v) => [`Set env ${v} (any value)`, `${v}=1 ${PLAN} echo hi`, `Run with ${v} UNSET`],
  },
  env_equals: {
    gate: 'any',
    description: 'The environment variable `var` has exactly the value `value`.',
    example: { var: 'GITHUB_ACTIONS', value: 'true' },
    schema: ({ z, text }) => z.strictObject({ var: text, value: z.string() }),
    evaluate({ var: key, value }, ctx) {
      ctx.envKeysObserved.add(key);
      const got = ctx.env[key];
      if (got === undefined) return miss(`env_equals:unset:${key}`);
      return got === value ? hit(`env_equals:${key}=${value}`) : miss(`env_equals:differ:${key}`);
    },
    trigger: { value: (v) => `${v.var}=${v.value}` },
    testCase: (v) => [`Set env: ${v}`, `${v} ${PLAN} echo hi`, `Run with ${v.split('=')[0]} UNSET`],
  },
  file_exists: {
    gate: 'any',
    description: 'This path exists (relative paths from the working directory).',
    example: 'Chart.yaml',
    schema: ({ text }) => text,
    evaluate(file, ctx) {
      const target = path.isAbsolute(file) ? file : path.join(ctx.cwd || '.', file);
      return existsSync(target) ? hit(`file_exists:${file}`) : miss(`file_exists:miss:${file}`);
    },
    trigger: { value: (v) => v },
    testCase: (v) => [`Create ${v} in the working directory`, `touch ${v} && ${PLAN} echo hi`, `Run in a temporary directory without ${v}`],
  },
  file_glob: {
    gate: 'any',
    description: 'A file under the working directory matches one of these globs (`**` descends, skipping dot-directories, `node_modules`, `vendor` and build outputs).',
    example: ['**/*.tf'],
    schema: globList,
    evaluate: (globs, ctx) => fileGlob(globs, ctx.cwd),
    trigger: { value: (v) => v.join(' | ') },
    testCase: (v) => [`Create a file matching ${v}`, `touch <file matching ${v}> && ${PLAN} echo hi`, GENERIC_NEGATIVE],
  },
  imds_reachable: metadataProbe('imds_reachable', 'http://169.254.169.254/latest/api/token', {}, 'AWS instance'),
  gcp_metadata_reachable: metadataProbe('gcp_metadata_reachable', 'http://metadata.google.internal/computeMetadata/v1/', { 'Metadata-Flavor': 'Google' }, 'GCP'),
  azure_metadata_reachable: metadataProbe('azure_metadata_reachable', 'http://169.254.169.254/metadata/instance?api-version=2021-02-01', { Metadata: 'true' }, 'Azure instance'),
  socket_listening: {
    gate: 'any',
    description: 'Probe: something listens on this local TCP port (only with `cilock plan --probe-cloud`).',
    example: 8080,
    schema: ({ z }) => z.number().int().min(1).max(65535),
    evaluate(port, ctx) {
      const got = ctx.probes.get(`socket_listening:${port}`);
      if (got === undefined) return miss(`socket_listening:${port}:not-probed (pass --probe-cloud)`);
      return got ? hit(`socket_listening:${port}`) : miss(`socket_listening:${port}:miss`);
    },
    trigger: { kind: 'probe', value: (v) => `socket_listening=${v}` },
    testCase: probeCase,
    probe: (port) => ({ id: `socket_listening:${port}`, check: { socket: port } }),
  },
  product_glob: {
    gate: 'post',
    description: 'A file the command wrote matches one of these globs.',
    example: ['*.sarif'],
    schema: globList,
    evaluate(globs, ctx) {
      const products = ctx.products ?? [];
      if (!products.length) return miss('product_glob:no-products');
      const isMatch = picomatch(globs, { dot: true });
      const found = products.find((f) => isMatch(f.split(path.sep).join('/')));
      return found ? hit(`product_glob:${globs.join(',')}:${found}`) : miss('product_glob:miss');
    },
    trigger: { value: (v) => v.join(' | ') },
    testCase: (v) => [`Expect a product matching ${v}`, `cilock run -o out.json -- <cmd-that-produces> ${v}`, 'Run a command that does not produce the file'],
  },
  exit_code: {
    gate: 'post',
    description: 'The command exited with a code that is `eq`, is not `ne`, or is `in` a list (exactly one of them).',
    example: { in: [0, 1] },
    schema: ({ z }) =>
      z
        .strictObject({ eq: z.number().int().optional(), ne: z.number().int().optional(), in: z.array(z.number().int()).min(1).optional() })
        .refine((v) => Object.values(v).filter((x) => x !== undefined).length === 1, 'exactly one of eq, ne, in expected'),
    evaluate: (spec, ctx) => exitCode(spec, ctx.exitCode ?? 0),
    trigger: { value: (v) => Object.entries(v).map(([k, n]) => `${k} ${String(n)}`).join('') },
  },
  exec_observed: {
    gate: 'post',
    description: 'Its inner predicate holds for the argv of some program a `--trace` run executed.',
    example: { argv_prefix: ['curl'] },
    schema: ({ predicate }) => predicate,
    evaluate(inner, ctx, evaluate) {
      if (ctx.execs === undefined) return miss('exec_observed:trace-unavailable:off');
      if (ctx.execs.length === 0) return miss('exec_observed:trace-unavailable:no-execs');
      for (const [i, argv] of ctx.execs.entries()) {
        const r = evaluate(inner, { ...ctx, argv: [...argv] });
        if (r.match) return hit(`exec_observed[${i}]:${r.rule}`);
      }
      return miss('exec_observed:no-exec-matched');
    },
    children: (inner) => [inner],
  },
  any_of: {
    gate: 'any',
    description: 'Composer: at least one of these predicates holds (the first that does is reported).',
    example: [{ env_set: 'CI' }, { file_exists: 'Makefile' }],
    schema: predicateList,
    evaluate(children, ctx, evaluate) {
      for (const [i, child] of children.entries()) {
        const r = evaluate(child, ctx);
        if (r.match) return hit(`any_of[${i}]:${r.rule}`);
      }
      return miss('any_of:no-match');
    },
    children: (v) => v,
    trigger: 'flatten',
  },
  all_of: {
    gate: 'any',
    description: 'Composer: every one of these predicates holds.',
    example: [{ env_set: 'CI' }, { file_exists: 'Makefile' }],
    schema: predicateList,
    evaluate(children, ctx, evaluate) {
      for (const [i, child] of children.entries()) {
        const r = evaluate(child, ctx);
        if (!r.match) return miss(`all_of[${i}]:no-match:${r.rule}`);
      }
      return hit('all_of:match');
    },
    children: (v) => v,
    trigger: 'flatten',
  },
  not: {
    gate: 'any',
    description: 'Composer: this predicate does not hold.',
    example: { env_set: 'CI' },
    schema: ({ predicate }) => predicate,
    evaluate(inner, ctx, evaluate) {
      const r = evaluate(inner, ctx);
      return { match: !r.match, rule: `not:${r.rule}` };
    },
    children: (inner) => [inner],
  },
};

export const PREDICATE_KEYS = Object.keys(PREDICATES) as PredicateKey[];

/** The one key of a predicate node and its value (undefined for an empty node). */
export function nodeOf(p: Predicate): { key: PredicateKey; value: unknown } | undefined {
  for (const key of PREDICATE_KEYS) if (p[key] !== undefined) return { key, value: p[key] };
  return undefined;
}

/** The test-plan case of a trigger: its entry's own, else a generic one. */
export function testPlanCase(key: PredicateKey, kind: string, value: string): TestPlanCase {
  return definitionOf(key).testCase?.(value) ?? [`Trigger ${kind}: ${value}`, `${PLAN} ...`, GENERIC_NEGATIVE];
}

/** The entry of a key, typed loosely for code that dispatches over every key. */
export function definitionOf(key: PredicateKey): PredicateDef<unknown> {
  return PREDICATES[key] as unknown as PredicateDef<unknown>;
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
