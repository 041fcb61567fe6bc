/**
 * `cilock tools export --format json`: the surfaces the docs generator reads, in one process
 * instead of one per entry and per command. Each part is exactly what its own command prints,
 * followed by the JSON Schemas of the catalog and of every JSON surface.
 */
import type { Command } from 'commander';
import { loadCatalogSchemas, loadCompiledCatalog, loadSurfaceSchemas } from '../catalog/bundle.js';
import type { RunFlags } from '../detection/run-line.js';
import type { CatalogExport } from './contract.js';
import { PREDICATE_KEYS, PREDICATES } from '../detection/predicate-table.js';
import { toListEntry } from './entry-json.js';
import { helpTexts } from './help.js';
import { toShowJson } from './show.js';
import { TEST_PLAN_SCHEMA, testCase } from './test-plan.js';

export const EXPORT_SCHEMA = 'cilock.tools.export/v0.1';

export async function catalogExport(program: Command, runFlags: RunFlags = {}): Promise<CatalogExport> {
  const catalog = loadCompiledCatalog();
  const { entries } = catalog;
  const shown = await Promise.all(entries.map(async (e) => [e.name, await toShowJson(e, catalog, runFlags)] as const));
  const cases = entries.map(testCase);
  return {
    schema_version: EXPORT_SCHEMA,
    list: entries.map(toListEntry),
    test_plan: { schema_version: TEST_PLAN_SCHEMA, detectors_total: cases.length, cases },
    show: Object.fromEntries(shown),
    help: helpTexts(program),
    catalog_schemas: loadCatalogSchemas() as CatalogExport['catalog_schemas'],
    surface_schemas: loadSurfaceSchemas() as CatalogExport['surface_schemas'],
    predicates: PREDICATE_KEYS.map((key) => ({ key, gate: PREDICATES[key].gate, description: PREDICATES[key].description })),
  };
}
