/** Turns the validated source tree into the single JSON bundle the CLI ships with. */
import type { LoadedCatalog } from './load.js';
import { BUNDLE_SCHEMA_VERSION, type CompiledCatalog, type CompiledEntry } from './compiled.js';

export function compileCatalog(loaded: LoadedCatalog): CompiledCatalog {
  const entries: CompiledEntry[] = [
    ...loaded.tools.map(({ entry, doc, source_file }): CompiledEntry => ({ kind: 'tool', ...entry, source_file, ...(doc ? { doc } : {}) })),
    ...loaded.attestors.map(({ entry, doc, source_file }): CompiledEntry => ({ kind: 'attestor', ...entry, source_file, ...(doc ? { doc } : {}) })),
  ];
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { schema_version: BUNDLE_SCHEMA_VERSION, entries };
}
