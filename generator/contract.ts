/**
 * What the generator expects `cilock tools … --format json` to print. Checked with zod so a binary
 * whose JSON has drifted stops the generator with the field that is wrong, instead of a broken page.
 * Fields beyond upstream's are optional, so another cilock binary with upstream's shapes still renders.
 */
import { z } from 'zod';

const Trigger = z.object({ gate: z.enum(['pre', 'post']), kind: z.string(), value: z.string() });
const Upstream = z.object({ name: z.string(), source: z.string(), license: z.string(), vendor: z.string(), format_only: z.boolean().optional() });

export const ListEntry = z.object({
  name: z.string().min(1),
  predicate_type: z.string().optional(),
  run_type: z.string().optional(),
  default_on: z.boolean(),
  description: z.string().optional(),
  categories: z.array(z.string()).optional(),
  upstream: Upstream.optional(),
  source: z.enum(['attestor-backed', 'catalog-only']),
  emits_formats: z.array(z.string()).optional(),
  gates: z.array(z.enum(['pre', 'post'])).nullable(),
  recommended_trace: z.string(),
  triggers: z.array(Trigger).nullable(),
  title: z.string().optional(),
  primary_category: z.string().optional(),
  recommended_trace_reason: z.string().optional(),
  exits_nonzero_on_findings: z.boolean().optional(),
  runnable: z.boolean().optional(),
  captures: z.string().optional(),
  catalog_file: z.string().optional(),
  has_doc: z.boolean().optional(),
});
export type ListEntry = z.infer<typeof ListEntry>;

const Section = z.object({ slug: z.string(), title: z.string(), markdown: z.string() });
const ValidateCheck = z.object({ id: z.string(), comment: z.string(), command: z.string(), order_may_vary: z.boolean() });
const Example = z.object({
  id: z.string(),
  title: z.string(),
  intro: z.string(),
  outro: z.string().optional(),
  step: z.string(),
  command: z.string(),
  fixtures: z.string().optional(),
  requires: z.array(z.string()),
  services: z.array(z.string()),
  expect: z.object({
    exit_code: z.number(),
    predicate_types: z.array(z.string()),
    cmd: z.array(z.string()),
    products: z.array(z.string()),
    sarif_report: z.string().optional(),
    sarif_results: z.number().optional(),
    checks: z.record(z.string(), z.string()),
  }),
});
export type Example = z.infer<typeof Example>;
export type ValidateCheck = z.infer<typeof ValidateCheck>;

export const ShowEntry = ListEntry.extend({
  doc: z
    .object({
      name: z.string(),
      title: z.string(),
      description: z.string(),
      sidebar_position: z.number().optional(),
      sections: z.array(Section),
      body: z.string(),
      source_file: z.string().optional(),
    })
    .optional(),
  detection_command: z.string().nullable().optional(),
  captured: z.record(z.string(), z.string()).optional(),
  validate: z.array(ValidateCheck).optional(),
  examples: z.array(Example).optional(),
});
export type ShowEntry = z.infer<typeof ShowEntry>;

export const TestPlan = z.object({
  schema_version: z.string(),
  detectors_total: z.number(),
  cases: z.array(z.object({ detector: z.string(), cilock_command: z.string(), positive_setup: z.string() }).passthrough()),
});
export type TestPlan = z.infer<typeof TestPlan>;

const CommandHelp = z.object({ command: z.array(z.string()), text: z.string() });
export const HelpTexts = z.array(CommandHelp);
export type HelpTexts = z.infer<typeof HelpTexts>;
export const CatalogSchemas = z.record(z.string(), z.record(z.string(), z.unknown()));
export type CatalogSchemas = z.infer<typeof CatalogSchemas>;

/** `cilock tools export --format json`: every surface above in one document. */
export const CatalogExport = z.object({
  schema_version: z.string(),
  list: z.array(ListEntry),
  test_plan: TestPlan,
  show: z.record(z.string(), ShowEntry),
  help: HelpTexts,
  catalog_schemas: CatalogSchemas,
  /** Every detection predicate key, the gates it may appear in, and what it means (for the schema reference). */
  predicates: z.array(z.object({ key: z.string(), gate: z.enum(['any', 'post']), description: z.string() })).optional(),
});

/** Parses one surface's output, naming the command and the failing field on error. */
export function parseSurface<S extends z.ZodType>(schema: S, text: string, what: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} did not print JSON: ${(err as Error).message}`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(top level)';
    throw new Error(`${what} printed an unexpected shape: field ${field}: ${issue.message} (${result.error.issues.length} problem(s) in all; is CILOCK_BIN a compatible cilock?)`);
  }
  return result.data;
}
