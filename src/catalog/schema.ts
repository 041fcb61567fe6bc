/**
 * The catalog schema: one zod definition per concept, strict everywhere (an unknown key is an
 * error). Every type the runtime, the generator and the tests use is inferred from here.
 */
import { z } from 'zod';
import { ATTESTOR_DECLARATIONS, declarationOf } from './attestor-declarations.js';
import { CATEGORIES } from './categories.js';
import { definitionOf, PREDICATE_KEYS, PREDICATES, type Predicate } from '../detection/predicate-table.js';
import { findKeys } from './predicate-walk.js';
import { argvOfCommand, DERIVED_FROM, derivedCheckOutput, isStandardCheck, STANDARD_CHECKS } from './standard-checks.js';

export const NAME_PATTERN = /^[a-z][a-z0-9_-]*$/;
const Name = z.string().regex(NAME_PATTERN, 'must match ^[a-z][a-z0-9_-]*$ (lower case letters, digits, "-" and "_")');
const Text = z.string().trim().min(1, 'must not be empty');
const HttpUrl = z.string().regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL');

export const Category = z.enum(CATEGORIES, {
  error: (issue) => `unknown category ${JSON.stringify(issue.input)}${closest(String(issue.input))} (the 45 allowed names are the categories enum in catalog/schema/tool.schema.json)`,
});

/** A "did you mean" hint for near-miss category names. */
function closest(input: string): string {
  const hit = CATEGORIES.find((c) => c.startsWith(input) || input.startsWith(c) || c.includes(input));
  return hit ? `; did you mean ${hit}?` : '';
}

// ---------------------------------------------------------------------------------------------
// Predicates: a tagged union written as an object with exactly one key per node. Each key's
// schema is its entry in src/detection/predicate-table.ts; the lists below derive from there.

export { PREDICATE_KEYS, type ArgvPositionals, type Predicate, type PredicateKey } from '../detection/predicate-table.js';
export const COMPOSER_KEYS = PREDICATE_KEYS.filter((k) => PREDICATES[k].children);
export const POST_ONLY_KEYS = PREDICATE_KEYS.filter((k) => PREDICATES[k].gate === 'post');
export const PRE_LEAF_KEYS = PREDICATE_KEYS.filter((k) => PREDICATES[k].gate === 'any' && !PREDICATES[k].children);

function describeKeys(keys: string[]): string {
  if (keys.length <= 2) return keys.join(' and ');
  return `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)}`;
}

export const PredicateSchema: z.ZodType<Predicate> = z.lazy(() => {
  const kit = { z, text: Text, predicate: PredicateSchema };
  const shape = Object.fromEntries(PREDICATE_KEYS.map((k) => [k, definitionOf(k).schema(kit).optional()]));
  return z.strictObject(shape).superRefine((node, ctx) => {
    const keys = Object.keys(node).filter((k) => node[k] !== undefined);
    if (keys.length === 1) return;
    ctx.addIssue({
      code: 'custom',
      message:
        keys.length === 0
          ? `exactly one predicate key expected, got none (use one of ${PREDICATE_KEYS.join(', ')})`
          : `exactly one predicate key expected, got ${describeKeys(keys)} (combine them with any_of/all_of)`,
    });
  }) as unknown as z.ZodType<Predicate>;
});

// ---------------------------------------------------------------------------------------------
// Warnings and their suggested fixes.

export const SuggestedFixSchema = z
  .strictObject({
    replace_argv: z.strictObject({ from: z.array(Text).min(1), to: z.array(Text).min(1) }).optional(),
    insert_arg: z
      .strictObject({ value: Text, after_subcommand: z.array(Text).optional(), position: z.number().int().nonnegative().optional() })
      .optional(),
    prepend_args: z.array(Text).min(1).optional(),
    append_args: z.array(Text).min(1).optional(),
    /** Makes the value of the first of these flags end with `suffix` (e.g. `--output x` → `--output x.sarif`). */
    ensure_flag_suffix: z.strictObject({ flags: z.array(Text).min(1), suffix: Text }).optional(),
    /** Runs `before` first, then the fixed command, under one `sh -c '…'` (e.g. dump-then-scan recipes). */
    wrap_in_shell: z.strictObject({ before: Text }).optional(),
    set_env: z.strictObject({ var: Text, value: z.string().default('') }).optional(),
  })
  .refine((fix) => Object.values(fix).some((v) => v !== undefined), {
    message:
      'needs at least one operation (replace_argv, insert_arg, prepend_args, append_args, ensure_flag_suffix, wrap_in_shell, set_env)',
  });
export type SuggestedFix = z.infer<typeof SuggestedFixSchema>;

export const WarningSchema = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'must match ^[A-Z][A-Z0-9_]+$ (e.g. KUBESCAPE_SARIF_NEEDS_LOCAL_INPUT)'),
  severity: z.enum(['info', 'warn', 'error']),
  message: Text,
  summary: Text.optional(),
  /** The warning is raised only when this matches too (upstream raises every warning of a fired detector). */
  when: PredicateSchema.optional(),
  suggested_fix: SuggestedFixSchema.optional(),
  doc_anchor: Text.optional(),
  llm_hint: Text.optional(),
});
export type Warning = z.infer<typeof WarningSchema>;

export const GateSchema = z
  .strictObject({
    description: Text.optional(),
    match: PredicateSchema,
    warn_unless: PredicateSchema.optional(),
    warnings: z.array(WarningSchema).default([]),
  })
  .superRefine((gate, ctx) => {
    const seen = new Set<string>();
    gate.warnings.forEach((w, i) => {
      if (seen.has(w.code)) ctx.addIssue({ code: 'custom', path: ['warnings', i, 'code'], message: `duplicate warning code ${w.code}` });
      seen.add(w.code);
    });
  });
export type Gate = z.infer<typeof GateSchema>;

// ---------------------------------------------------------------------------------------------
// Shared facts.

export const UpstreamSchema = z.strictObject({
  name: Text,
  vendor: Text,
  license: Text,
  source: HttpUrl,
  format_only: z.boolean().optional(),
});

export const TraceSchema = z.strictObject({
  mode: z.enum(['off', 'light', 'full']),
  reason: Text.max(80, 'keep the reason short (80 characters at most): it is shown in the fact box'),
});

export const LlmHintsSchema = z.strictObject({
  on_match: Text.optional(),
  on_warn: Text.optional(),
  on_observed_but_not_invoked: Text.optional(),
});

/** One quotable sentence of 20–40 words. */
export const DescriptionSchema = Text.refine((s) => {
  const words = s.split(/\s+/).filter(Boolean).length;
  return words >= 20 && words <= 40;
}, { error: (issue) => `must be one sentence of 20–40 words (has ${String(issue.input).split(/\s+/).filter(Boolean).length})` });

// ---------------------------------------------------------------------------------------------
// Validated invocations.

export const ValidateCheckSchema = z.strictObject({
  id: Name,
  comment: Text,
  command: Text,
  /** Lines of output may come in any order (the page says so, and the e2e runner sorts them). */
  order_may_vary: z.boolean().default(false),
});
export type ValidateCheck = z.infer<typeof ValidateCheckSchema>;

export const ExampleSchema = z.strictObject({
  id: Name,
  title: Text,
  intro: Text,
  outro: Text.optional(),
  step: Name,
  command: Text.refine((c) => c.startsWith('cilock '), 'must start with "cilock " (it is the exact text shown on the page)'),
  /** Folder (relative to the entry) copied into the working directory before the command runs. */
  fixtures: Text.optional(),
  /** External programs the command needs on PATH. */
  requires: z.array(Text).default([]),
  /** Services the e2e runner must provide (a recorded Kubernetes API behind KUBECONFIG). */
  services: z.array(z.enum(['kubernetes'])).default([]),
  expect: z.strictObject({
    exit_code: z.number().int().min(0).max(255),
    predicate_types: z.array(HttpUrl).min(1),
    /** The argv command-run records; derived from the command after " -- " unless stated (state it only when shell syntax there needs settling). */
    cmd: z.array(z.string()).min(1).optional(),
    products: z.array(Text).default([]),
    sarif_report: Text.optional(),
    sarif_results: z.number().int().nonnegative().optional(),
    checks: z.record(z.string(), z.string()).default({}),
  }),
});
/** An example as validated and completed (argv and checks' outputs derived): what the catalog ships. */
export type Example = ExampleInput & { expect: { cmd: string[] } };

// ---------------------------------------------------------------------------------------------
// Entries.

/** Entry-level checks run even when a field failed, so one build reports every problem at once. */
const ALWAYS = { when: () => true };
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

const categoriesRefinement = (entry: { categories: string[]; primary_category?: string | undefined }, ctx: z.RefinementCtx) => {
  if (!isArray(entry.categories)) return;
  const seen = new Set<string>();
  entry.categories.forEach((c, i) => {
    if (seen.has(c)) ctx.addIssue({ code: 'custom', path: ['categories', i], message: `duplicate category ${c}` });
    seen.add(c);
  });
  if (entry.categories.length >= 2 && !entry.primary_category) {
    ctx.addIssue({ code: 'custom', path: ['primary_category'], message: `required when there are two or more categories (pick one of ${[...new Set(entry.categories)].join(', ')})` });
  }
  if (entry.primary_category && !entry.categories.includes(entry.primary_category)) {
    ctx.addIssue({ code: 'custom', path: ['primary_category'], message: `must be one of the entry's categories (${entry.categories.join(', ') || 'none listed'})` });
  }
};

const gatesRefinement = (entry: { pre?: Gate | undefined; post?: Gate | undefined }, ctx: z.RefinementCtx) => {
  if (entry.pre && typeof entry.pre.match === 'object' && entry.pre.match !== null) {
    for (const [path, key] of findKeys(entry.pre.match, ['match'])) {
      if ((POST_ONLY_KEYS as readonly string[]).includes(key)) {
        ctx.addIssue({ code: 'custom', path: ['pre', ...path], message: `${key} is only allowed in the post gate (the pre gate runs before the command)` });
      }
    }
  }
};

export const ToolSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: Name,
    title: Text,
    description: DescriptionSchema,
    categories: z.array(Category).min(1, 'needs at least one category'),
    primary_category: Category.optional(),
    upstream: UpstreamSchema,
    emits_formats: z.array(Name).default([]),
    recommended_trace: TraceSchema,
    exits_nonzero_on_findings: z.boolean().default(false),
    pre: GateSchema.optional(),
    post: GateSchema.optional(),
    llm_hints: LlmHintsSchema.default({}),
    /** Per-attestor wording for the "What gets captured" table (defaults to the attestor's own `captures`). */
    captured: z.record(Name, Text).default({}),
    /** The "Validate it locally" checks; the standard ones (src/catalog/standard-checks.ts) unless the entry lists its own. */
    validate: z.array(ValidateCheckSchema).optional(),
    examples: z.array(ExampleSchema).default([]),
  })
  .superRefine(categoriesRefinement, ALWAYS)
  .superRefine(gatesRefinement, ALWAYS)
  .superRefine((tool, ctx) => {
    if (!isArray(tool.examples) || (tool.validate !== undefined && !isArray(tool.validate))) return;
    if (!tool.pre && !tool.post) ctx.addIssue({ code: 'custom', path: ['pre'], message: 'a tool needs a pre or post gate (how cilock detects it)' });
    const ids = new Set<string>();
    // Runs even when fields failed, so entries may be any YAML value (`examples: [null]`).
    const validate = validateOf(tool).filter((v): v is ValidateCheck => typeof v === 'object' && v !== null);
    tool.examples.forEach((ex, i) => {
      if (typeof ex !== 'object' || ex === null) return;
      if (ids.has(ex.id)) ctx.addIssue({ code: 'custom', path: ['examples', i, 'id'], message: `duplicate example id ${ex.id}` });
      ids.add(ex.id);
      if (typeof ex?.expect !== 'object' || ex.expect === null) return;
      expectationsStatedOnce(ex, i, validate, ctx);
    });
  }, ALWAYS)
  .transform((tool) => {
    const validate = validateOf(tool);
    return { ...tool, validate, examples: tool.examples.map((ex) => withDerivedExpectations(ex, validate)) };
  });
export type ToolEntry = z.output<typeof ToolSchema>;
export type ToolEntryInput = z.input<typeof ToolSchema>;

type ExampleInput = z.output<typeof ExampleSchema>;

/** The entry's own checks, else the standard ones for an entry with examples (the SARIF count only for a tool that emits SARIF). */
function validateOf(tool: { validate?: ValidateCheck[] | undefined; emits_formats: string[]; examples: unknown[] }): ValidateCheck[] {
  if (tool.validate) return tool.validate;
  if (!isArray(tool.examples) || tool.examples.length === 0) return [];
  const sarif = isArray(tool.emits_formats) && tool.emits_formats.includes('sarif');
  return STANDARD_CHECKS.filter((c) => sarif || c.id !== 'sarif-results').map((c) => ({ ...c }));
}

/** Each expectation is stated once: what follows from another (the argv, the standard checks' output) must not be restated. */
function expectationsStatedOnce(ex: ExampleInput, i: number, validate: ValidateCheck[], ctx: z.RefinementCtx): void {
  const at = (...path: (string | number)[]) => ['examples', i, 'expect', ...path];
  const derivedArgv = typeof ex.command === 'string' ? argvOfCommand(ex.command) : undefined;
  if (ex.expect.cmd !== undefined && derivedArgv !== undefined && JSON.stringify(ex.expect.cmd) === JSON.stringify(derivedArgv)) {
    ctx.addIssue({ code: 'custom', path: at('cmd'), message: 'restates the argv after " -- " in the command; remove it (it is derived)' });
  }
  if (ex.expect.cmd === undefined && derivedArgv === undefined) {
    ctx.addIssue({ code: 'custom', path: at(), message: 'cannot derive the recorded argv from the command (no " -- ", or shell syntax after it): state expect.cmd' });
  }
  const cmd = ex.expect.cmd ?? derivedArgv ?? [];
  const checks = typeof ex.expect.checks === 'object' && ex.expect.checks !== null ? ex.expect.checks : {};
  for (const check of Object.keys(checks)) {
    const v = validate.find((c) => c.id === check);
    if (!v) {
      ctx.addIssue({ code: 'custom', path: at('checks', check), message: `no validate check with id ${check} (defined: ${validate.map((c) => c.id).join(', ') || 'none'})` });
    } else if (isStandardCheck(v)) {
      ctx.addIssue({ code: 'custom', path: at('checks', check), message: `the output of the standard check ${check} follows from ${DERIVED_FROM[check]}; remove it` });
    }
  }
  for (const v of validate) {
    if (v.id in checks || !Array.isArray(ex.expect.predicate_types)) continue;
    if (derivedCheckOutput(v, { predicate_types: ex.expect.predicate_types, cmd, sarif_results: ex.expect.sarif_results }) === undefined) {
      ctx.addIssue({ code: 'custom', path: at('checks'), message: isStandardCheck(v) ? `check ${v.id} needs ${DERIVED_FROM[v.id]}` : `missing the expected output of validate check ${v.id}` });
    }
  }
}

/** The example as everything downstream sees it: argv and every check's expected output filled in. */
function withDerivedExpectations(ex: ExampleInput, validate: ValidateCheck[]): ExampleInput & { expect: { cmd: string[] } } {
  const cmd = ex.expect.cmd ?? argvOfCommand(ex.command) ?? [];
  const checks: Record<string, string> = {};
  for (const v of validate) {
    const out = ex.expect.checks[v.id] ?? derivedCheckOutput(v, { predicate_types: ex.expect.predicate_types, cmd, sarif_results: ex.expect.sarif_results });
    if (out !== undefined) checks[v.id] = out;
  }
  return { ...ex, expect: { ...ex.expect, cmd, checks } };
}

export { RUN_TYPES } from './attestor-declarations.js';

/** An attestor's facts (type URI, phase, runnable, default) are its declaration; the YAML names it and holds the prose. */
const declaredAttestor = (entry: { name: string }, ctx: z.RefinementCtx) => {
  if (typeof entry.name === 'string' && NAME_PATTERN.test(entry.name) && !declarationOf(entry.name)) {
    ctx.addIssue({ code: 'custom', path: ['name'], message: `no attestor "${entry.name}" is declared in src/catalog/attestor-declarations.ts (declared: ${Object.keys(ATTESTOR_DECLARATIONS).join(', ')})` });
  }
};

export const AttestorSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: Name,
    title: Text,
    description: DescriptionSchema,
    /** Short text for "What gets captured" tables: what this attestor records. */
    captures: Text,
    categories: z.array(Category).default([]),
    primary_category: Category.optional(),
    upstream: UpstreamSchema.optional(),
    recommended_trace: TraceSchema.optional(),
    pre: GateSchema.optional(),
    post: GateSchema.optional(),
    llm_hints: LlmHintsSchema.default({}),
  })
  .superRefine(declaredAttestor, ALWAYS)
  .superRefine(categoriesRefinement, ALWAYS)
  .superRefine(gatesRefinement, ALWAYS)
  .transform((entry) => {
    const { predicate_type, run_type, runnable, default_on } = declarationOf(entry.name)!;
    return { ...entry, predicate_type, run_type, default_on, runnable };
  });
export type AttestorEntry = z.output<typeof AttestorSchema>;

export const DocFrontMatterSchema = z.strictObject({
  title: Text,
  description: DescriptionSchema,
  sidebar_position: z.number().int().nonnegative().optional(),
});
export type DocFrontMatter = z.infer<typeof DocFrontMatterSchema>;
