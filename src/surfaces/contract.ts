/**
 * The output contract: every JSON surface the binary prints, declared once. The builders in
 * src/surfaces take their types from here (`import type`, so `tools list|show` stay free of zod at
 * start-up); `tools export` prints these as JSON Schemas (`surface_schemas`), which is what the
 * generator, the tests and the site validate against. Field names and order follow upstream's binary;
 * fields upstream lacks come after them.
 */
import { z } from 'zod';
import { ExampleSchema, UpstreamSchema, ValidateCheckSchema } from '../catalog/schema.js';

const Gate = z.enum(['pre', 'post']);

export const TriggerSchema = z.strictObject({ gate: Gate, kind: z.string(), value: z.string() });
export type Trigger = z.infer<typeof TriggerSchema>;

export const SourceSchema = z.enum(['attestor-backed', 'catalog-only']);
export type Source = z.infer<typeof SourceSchema>;

/** One entry of `cilock tools list --format json`. */
export const ListEntrySchema = z.strictObject({
  name: z.string().min(1),
  predicate_type: z.string().optional(),
  run_type: z.string().optional(),
  default_on: z.boolean(),
  description: z.string().optional(),
  categories: z.array(z.string()).optional(),
  upstream: UpstreamSchema.optional(),
  source: SourceSchema,
  emits_formats: z.array(z.string()).optional(),
  gates: z.array(Gate).nullable(),
  recommended_trace: z.string(),
  triggers: z.array(TriggerSchema).nullable(),
  warnings: z.array(z.strictObject({ code: z.string(), severity: z.string(), message: z.string(), suggested_example: z.string().optional() })).optional(),
  llm_hints: z.record(z.string(), z.string()).optional(),
  // Beyond upstream:
  title: z.string(),
  primary_category: z.string().optional(),
  recommended_trace_reason: z.string().optional(),
  exits_nonzero_on_findings: z.boolean().optional(),
  runnable: z.boolean().optional(),
  captures: z.string().optional(),
  catalog_file: z.string(),
  has_doc: z.boolean(),
  /** How the docs and `tools show` describe `source` and `recommended_trace`. */
  source_label: z.string(),
  trace_label: z.string(),
});
export type ListEntry = z.infer<typeof ListEntrySchema>;

/** Where the project's own tests get a program an example requires (see src/scripts/program-sources.ts). */
export const ProgramSourceSchema = z.strictObject({
  program: z.string(),
  /** The pinned version, when the project pins one. */
  version: z.string().optional(),
  /** e.g. "the Go module proxy, via `npm run tools:install`", "npm", "Debian package jq". */
  from: z.string(),
});
export type ProgramSource = z.infer<typeof ProgramSourceSchema>;

/** An example as the catalog ships it: the argv command-run records is always derived by then. */
const ShownExampleSchema = ExampleSchema.extend({
  expect: ExampleSchema.shape.expect.extend({ cmd: z.array(z.string()).min(1) }),
  requires_from: z.array(ProgramSourceSchema),
});

/** The `cilock run` line `cilock plan` suggests (for `tools show`: for the entry's own argv trigger). */
const SuggestedRunSchema = z.strictObject({ step: z.string(), attestations: z.array(z.string()), command: z.string(), traced_command: z.string().optional() });

const DocSectionSchema = z.strictObject({ slug: z.string(), title: z.string(), markdown: z.string() });

/** `cilock tools show NAME --format json`: the list entry plus docs, examples and checks. */
export const ShowEntrySchema = ListEntrySchema.extend({
  doc: z
    .strictObject({
      name: z.string(),
      title: z.string(),
      description: z.string(),
      sidebar_position: z.number().optional(),
      sections: z.array(DocSectionSchema),
      body: z.string(),
      source_file: z.string(),
    })
    .optional(),
  detection_command: z.string().nullable(),
  suggested_run: SuggestedRunSchema.optional(),
  captured: z.record(z.string(), z.string()).optional(),
  validate: z.array(ValidateCheckSchema).optional(),
  examples: z.array(ShownExampleSchema).optional(),
});
export type ShowEntry = z.infer<typeof ShowEntrySchema>;

/** One case of `cilock tools test-plan --format json`. */
export const TestCaseSchema = z.strictObject({
  detector: z.string(),
  description: z.string().optional(),
  categories: z.array(z.string()).optional(),
  upstream: UpstreamSchema.optional(),
  gates: z.array(z.string()),
  recommended_trace: z.string(),
  positive_setup: z.string(),
  positive_assert: z.string(),
  negative_setup: z.string().optional(),
  negative_assert: z.string().optional(),
  cilock_command: z.string(),
  warning_codes: z.array(z.string()).optional(),
});
export type TestCase = z.infer<typeof TestCaseSchema>;

export const TestPlanSchema = z.strictObject({ schema_version: z.string(), detectors_total: z.number().int(), cases: z.array(TestCaseSchema) });
export type TestPlan = z.infer<typeof TestPlanSchema>;

/** One command's `--help` text; `command` is the words after `cilock` ([] for the program). */
export const CommandHelpSchema = z.strictObject({ command: z.array(z.string()), text: z.string() });
export type CommandHelp = z.infer<typeof CommandHelpSchema>;

/** `cilock plan --format json`. */
export const PlanResultSchema = z.strictObject({
  plan: z.strictObject({
    gate: z.literal('pre'),
    fire: z.array(z.strictObject({ attestor: z.string(), gate: z.literal('pre'), matched_rule: z.string(), llm_hint: z.string().optional() })),
    skip: z.array(z.strictObject({ attestor: z.string(), gate: z.literal('pre'), cause: z.enum(['no-match', 'post-gate-only']), reason: z.string().optional() })),
    warnings: z.array(
      z.strictObject({
        attestor: z.string(),
        gate: z.literal('pre'),
        code: z.string(),
        severity: z.enum(['info', 'warn', 'error']),
        message: z.string(),
        summary: z.string().optional(),
        original_command: z.string().optional(),
        suggested_command: z.string().optional(),
        diff_summary: z.string().optional(),
        doc_anchor: z.string().optional(),
        llm_hint: z.string().optional(),
        extra: z.strictObject({ env_override: z.record(z.string(), z.string()) }).optional(),
      }),
    ),
    inputs: z.strictObject({
      argv: z.array(z.string()),
      env_keys_observed: z.array(z.string()),
      named_probes: z.record(z.string(), z.boolean()),
      trace_mode: z.literal('off'),
      exit_code: z.number().int(),
    }),
  }),
  trace_recommendation: z.strictObject({ mode: z.enum(['off', 'light', 'full']), reasons: z.record(z.string(), z.string()) }),
  ignore_exit_code_recommended: z.boolean(),
  suggested_run: SuggestedRunSchema,
  summary: z.strictObject({ fired: z.array(z.string()), skipped: z.number().int(), warnings: z.number().int() }),
});
export type PlanResultJson = z.infer<typeof PlanResultSchema>;

const DigestSetSchema = z.record(z.string(), z.string());

/** `cilock run --json`: the run summary on stdout. */
export const RunSummarySchema = z.strictObject({
  step: z.string(),
  working_dir: z.string(),
  signer: z.string(),
  signer_algorithm: z.string(),
  uploaded: z.literal(false),
  outfile: z.string().optional(),
  written: z.boolean(),
  subjects: z.array(z.strictObject({ name: z.string(), digests: DigestSetSchema })),
  attestors: z.array(z.strictObject({ name: z.string(), status: z.enum(['ran', 'skipped', 'failed']), detail: z.string().optional(), warnings: z.array(z.string()).optional() })),
  wrapped_command: z.strictObject({ args: z.array(z.string()), exit_code: z.number().int() }),
  detection: z.array(z.string()).optional(),
  tracing: z.strictObject({ tracer: z.literal('strace'), processes: z.number().int(), execs: z.number().int() }).optional(),
  envelope: z
    .strictObject({ payloadType: z.string(), payload: z.string(), signatures: z.array(z.looseObject({ keyid: z.string().optional(), sig: z.string() })) })
    .optional(),
  error: z.string().optional(),
});
export type RunSummaryJson = z.infer<typeof RunSummarySchema>;

/** `cilock verify -o json`: the verdict (binding fields only when a subject bound). */
export const VerdictJsonSchema = z.strictObject({
  passed: z.boolean(),
  step: z.string().optional(),
  matchedSubject: z.string().optional(),
  observedSubjectName: z.string().optional(),
  checks: z.array(z.strictObject({ name: z.string(), passed: z.boolean(), detail: z.string(), file: z.string().optional() })),
  failed: z.array(z.string()),
});
export type VerdictJson = z.infer<typeof VerdictJsonSchema>;

/** `cilock tools export --format json`: the catalog surfaces in one document, with the schemas of all of them. */
export const CatalogExportSchema = z.strictObject({
  schema_version: z.string(),
  list: z.array(ListEntrySchema),
  test_plan: TestPlanSchema,
  show: z.record(z.string(), ShowEntrySchema),
  help: z.array(CommandHelpSchema),
  catalog_schemas: z.record(z.string(), z.record(z.string(), z.unknown())),
  surface_schemas: z.record(z.string(), z.record(z.string(), z.unknown())),
  /** Every detection predicate key, the gates it may appear in, and what it means (for the schema reference). */
  predicates: z.array(z.strictObject({ key: z.string(), gate: z.enum(['any', 'post']), description: z.string() })),
});
export type CatalogExport = z.infer<typeof CatalogExportSchema>;

/** The surfaces by the name `tools export` files their JSON Schema under. */
export const SURFACES = {
  'tools-list': z.array(ListEntrySchema),
  'tools-show': ShowEntrySchema,
  'tools-test-plan': TestPlanSchema,
  'tools-export': CatalogExportSchema,
  help: z.array(CommandHelpSchema),
  plan: PlanResultSchema,
  run: RunSummarySchema,
  verify: VerdictJsonSchema,
} as const;
export type SurfaceName = keyof typeof SURFACES;

/** JSON Schema (draft 2020-12) of every surface: what the binary prints, so output-side schemas. */
export function surfaceSchemas(): Record<SurfaceName, Record<string, unknown>> {
  const one = (name: string, schema: z.ZodType): Record<string, unknown> => ({ title: `cilock ${name} JSON output`, ...z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) });
  return Object.fromEntries(Object.entries(SURFACES).map(([name, schema]) => [name, one(name, schema)])) as Record<SurfaceName, Record<string, unknown>>;
}
