/**
 * `cilock tools export --format json`: the surfaces the docs generator reads, in one process
 * instead of one per entry and per command. Each part is exactly what its own command prints.
 */
import type { Command } from 'commander';
import { loadCompiledCatalog } from '../catalog/bundle.js';
import { PREDICATE_KEYS, PREDICATES } from '../detection/predicate-table.js';
import { toListEntry } from './entry-json.js';
import { helpTexts, type CommandHelp } from './help.js';
import { toShowJson } from './show.js';
import { TEST_PLAN_SCHEMA, testCase } from './test-plan.js';

export const EXPORT_SCHEMA = 'cilock.tools.export/v0.1';

export interface CatalogExport {
  schema_version: string;
  list: ReturnType<typeof toListEntry>[];
  test_plan: { schema_version: string; detectors_total: number; cases: ReturnType<typeof testCase>[] };
  show: Record<string, ReturnType<typeof toShowJson>>;
  help: CommandHelp[];
  catalog_schemas: Record<string, unknown>;
  predicates: { key: string; gate: 'any' | 'post'; description: string }[];
}

export async function catalogExport(program: Command): Promise<CatalogExport> {
  const { entries } = loadCompiledCatalog();
  const cases = entries.map(testCase);
  // The zod schema (and so the JSON Schemas) load only here: no other command needs them.
  const { jsonSchemas } = await import('../catalog/json-schema.js');
  return {
    schema_version: EXPORT_SCHEMA,
    list: entries.map(toListEntry),
    test_plan: { schema_version: TEST_PLAN_SCHEMA, detectors_total: cases.length, cases },
    show: Object.fromEntries(entries.map((e) => [e.name, toShowJson(e)])),
    help: helpTexts(program),
    catalog_schemas: jsonSchemas(),
    predicates: PREDICATE_KEYS.map((key) => ({ key, gate: PREDICATES[key].gate, description: PREDICATES[key].description })),
  };
}
