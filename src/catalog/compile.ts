/** Turns the validated source tree into the single JSON bundle the CLI ships with. */
import type { LoadedCatalog } from './load.js';
import { BUNDLE_SCHEMA_VERSION, type CompiledCatalog, type CompiledEntry, type ProgramSource } from './compiled.js';

/** Where a required program comes from in this project; the build passes what its manifests declare. */
export type SourceOfProgram = (program: string) => Omit<ProgramSource, 'program'> | undefined;

export function compileCatalog(loaded: LoadedCatalog, sourceOf: SourceOfProgram = () => undefined): CompiledCatalog {
  const entries: CompiledEntry[] = [
    ...loaded.tools.map(({ entry, doc, source_file }): CompiledEntry => ({
      kind: 'tool',
      ...entry,
      examples: entry.examples.map((ex) => ({ ...ex, requires_from: ex.requires.map((program) => ({ program, ...(sourceOf(program) ?? { from: "the machine's PATH, not installed by this project" }) })) })),
      source_file,
      ...(doc ? { doc } : {}),
    })),
    ...loaded.attestors.map(({ entry, doc, source_file }): CompiledEntry => ({ kind: 'attestor', ...entry, source_file, ...(doc ? { doc } : {}) })),
  ];
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { schema_version: BUNDLE_SCHEMA_VERSION, entries };
}
