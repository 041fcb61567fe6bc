/** Reads the catalog compiled into this binary's distribution (`dist/catalog.json`, `dist/catalog-schemas.json`). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CompiledCatalog } from './compiled.js';
import { BUNDLE_SCHEMA_VERSION } from './compiled.js';

let cached: CompiledCatalog | undefined;

export function bundlePath(): string {
  return process.env.CILOCK_CATALOG_BUNDLE ?? fileURLToPath(new URL('../catalog.json', import.meta.url));
}

export function loadCompiledCatalog(): CompiledCatalog {
  if (cached) return cached;
  const file = bundlePath();
  let parsed: CompiledCatalog;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as CompiledCatalog;
  } catch (err) {
    throw new Error(`cannot read the compiled catalog at ${file}: ${(err as Error).message} (run \`npm run build\`)`);
  }
  if (parsed.schema_version !== BUNDLE_SCHEMA_VERSION) {
    throw new Error(`${file} has bundle version ${String(parsed.schema_version)}, this binary expects ${BUNDLE_SCHEMA_VERSION} (run \`npm run build\`)`);
  }
  cached = parsed;
  return parsed;
}

/**
 * The catalog's JSON Schemas as the build derived them from the zod schema (beside the bundle), so
 * printing them needs no zod at run time.
 */
export function loadCatalogSchemas(): Record<string, unknown> {
  return loadBeside('catalog-schemas.json', "the catalog's JSON Schemas");
}

/** The JSON Schemas of the JSON surfaces (src/surfaces/contract.ts), written by the build beside the bundle. */
export function loadSurfaceSchemas(): Record<string, unknown> {
  return loadBeside('surface-schemas.json', 'the JSON Schemas of the JSON surfaces');
}

/** Files of the binary's own distribution (dist/), whatever catalog CILOCK_CATALOG_BUNDLE picks. */
function loadBeside(name: string, what: string): Record<string, unknown> {
  const file = fileURLToPath(new URL(`../${name}`, import.meta.url));
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`cannot read ${what} at ${file}: ${(err as Error).message} (run \`npm run build\`)`);
  }
}
