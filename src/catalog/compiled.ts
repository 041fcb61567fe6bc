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

/** Where the project's own tests get a program an example requires, so a page can say it runs for real. */
export interface ProgramSource {
  program: string;
  /** The pinned version, when the project pins one. */
  version?: string;
  /** e.g. "the Go module proxy", "PyPI", "npm", "Debian package jq". */
  from: string;
}

export type CompiledExample = ToolEntry['examples'][number] & { requires_from: ProgramSource[] };
export type CompiledTool = Omit<ToolEntry, 'examples'> & { examples: CompiledExample[] } & EntryMeta & { kind: 'tool' };
export type CompiledAttestor = AttestorEntry & EntryMeta & { kind: 'attestor' };
export type CompiledEntry = CompiledTool | CompiledAttestor;

export interface CompiledCatalog {
  schema_version: typeof BUNDLE_SCHEMA_VERSION;
  /** Every entry, tools and attestors together, sorted by name (the plan's evaluation order). */
  entries: CompiledEntry[];
}
