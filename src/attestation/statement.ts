/**
 * The in-toto Statement v0.1 that carries the collection, and the digest-set type shared by
 * subjects, back-references and file digests.
 */
import { compareStrings, goJson, sortedRecord } from './json.js';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v0.1';
export const COLLECTION_PREDICATE_TYPE = 'https://aflock.ai/attestation-collection/v0.1';
/** Older producers (witness) used this collection URI; verification accepts it too. */
export const LEGACY_COLLECTION_PREDICATE_TYPE = 'https://witness.testifysec.com/attestation-collection/v0.1';

/** Algorithm name (`sha256`, `sha1`, `gitoid:sha256`, …) to lowercase hex or gitoid URI. */
export type DigestSet = Record<string, string>;

/** True when both sets agree on every algorithm they share and share at least one. */
export function digestSetsEqual(a: DigestSet, b: DigestSet): boolean {
  const shared = Object.keys(a).filter((key) => key in b);
  return shared.length > 0 && shared.every((key) => a[key] === b[key]);
}

export interface Subject {
  name: string;
  digest: DigestSet;
}

export interface Statement<P = unknown> {
  _type: string;
  subject: Subject[];
  predicateType: string;
  predicate: P;
}

/** Builds a statement with subjects sorted by name (byte order) and digest keys sorted. */
export function buildStatement<P>(subjects: Record<string, DigestSet>, predicateType: string, predicate: P): Statement<P> {
  const subject = Object.keys(subjects)
    .sort(compareStrings)
    .map((name) => ({ name, digest: sortedRecord(subjects[name] as DigestSet) }));
  return { _type: STATEMENT_TYPE, subject, predicateType, predicate };
}

/** The exact payload bytes that get signed. */
export function statementBytes(statement: Statement): Buffer {
  return Buffer.from(goJson(statement), 'utf8');
}
