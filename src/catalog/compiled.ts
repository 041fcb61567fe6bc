/**
 * The compiled catalog: what the build writes to `dist/catalog.json` and the CLI answers from.
 * Types only (no zod at runtime): the bundle was validated when it was built.
 */
import type { AttestorEntry, ToolEntry } from './schema.js';
import type { LoadedDoc } from './load.js';

export const BUNDLE_SCHEMA_VERSION = 'cilock.catalog-bundle/v1';

interface EntryMeta {
  doc?: LoadedDoc;
  /** Repo-relative facts file, named in generated-page banners. */
  source_file: string;
}

import type { ProgramSource } from '../surfaces/contract.js';

export type { ProgramSource };

export type CompiledExample = ToolEntry['examples'][number] & { requires_from: ProgramSource[] };
export type CompiledTool = Omit<ToolEntry, 'examples'> & { examples: CompiledExample[] } & EntryMeta & { kind: 'tool' };
export type CompiledAttestor = AttestorEntry & EntryMeta & { kind: 'attestor' };
export type CompiledEntry = CompiledTool | CompiledAttestor;

export interface CompiledCatalog {
  schema_version: typeof BUNDLE_SCHEMA_VERSION;
  /** Every entry, tools and attestors together, sorted by name (the plan's evaluation order). */
  entries: CompiledEntry[];
}

export function findEntry(catalog: CompiledCatalog, name: string): CompiledEntry | undefined {
  return catalog.entries.find((e) => e.name === name);
}
