/**
 * The attestation collection predicate (`https://aflock.ai/attestation-collection/v0.1`):
 * `{name: <step>, attestations: [{type, attestation, starttime, endtime}], backrefs?}`.
 *
 * Entries are written in the fixed attestor order of `ATTESTOR_ORDER` (src/attestors/registry.ts),
 * not in completion order, so two runs of the same step produce the same layout.
 */
import type { DigestSet } from './statement.js';
import { sortedRecord } from './json.js';

export interface CollectionEntry {
  type: string;
  attestation: unknown;
  starttime: string;
  endtime: string;
}

export interface Collection {
  name: string;
  attestations: CollectionEntry[];
  backrefs?: Record<string, DigestSet>;
}

/** One attestor that completed successfully, with what it contributes to subjects and back-references. */
export interface CompletedAttestation {
  readonly type: string;
  readonly body: unknown;
  readonly starttime: string;
  readonly endtime: string;
  /** Subject names without the type prefix, e.g. `tree:materials`. */
  readonly subjects?: Record<string, DigestSet>;
  readonly backrefs?: Record<string, DigestSet>;
}

export interface BuiltCollection {
  readonly collection: Collection;
  /** Statement subjects, keyed `<attestorType>/<name>`. */
  readonly subjects: Record<string, DigestSet>;
}

/** Assembles the collection and its statement subjects from completed attestations (already in order). */
export function buildCollection(step: string, completed: readonly CompletedAttestation[]): BuiltCollection {
  const subjects: Record<string, DigestSet> = {};
  const backrefs: Record<string, DigestSet> = {};
  for (const entry of completed) {
    for (const [name, digest] of Object.entries(entry.subjects ?? {})) subjects[`${entry.type}/${name}`] = digest;
    for (const [name, digest] of Object.entries(entry.backrefs ?? {})) backrefs[`${entry.type}/${name}`] = digest;
  }
  const collection: Collection = {
    name: step,
    attestations: completed.map((entry) => ({
      type: entry.type,
      attestation: entry.body,
      starttime: entry.starttime,
      endtime: entry.endtime,
    })),
  };
  if (Object.keys(backrefs).length > 0) collection.backrefs = sortedRecord(backrefs);
  return { collection, subjects };
}
