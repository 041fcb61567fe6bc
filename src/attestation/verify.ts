/**
 * Checks one attestation envelope without a policy: signatures (every supplied key against every
 * signature, over the PAE of the exact payload bytes), payload and predicate types, collection
 * shape, and the v0.3 material/product Merkle trees rebuilt from their inline leaves and matched
 * against the signed subjects. Every check is named so a verdict can say exactly what failed.
 */
import { checkSignatures, INTOTO_PAYLOAD_TYPE, parseEnvelope } from './dsse.js';
import type { PublicKeyInfo } from './keys.js';
import type { Collection } from './collection.js';
import { COLLECTION_PREDICATE_TYPE, LEGACY_COLLECTION_PREDICATE_TYPE, STATEMENT_TYPE, type Statement } from './statement.js';
import { checkTreeBody } from '../attestors/merkle.js';

export const MATERIAL_V03_TYPE = 'https://aflock.ai/attestations/material/v0.3';
export const PRODUCT_V03_TYPE = 'https://aflock.ai/attestations/product/v0.3';

export interface Check {
  /** Stable identifier, e.g. `signature`, `merkle:product`, `step:build:cel:few-findings`. */
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
  /** The attestation file the check is about, when it is about one. */
  readonly file?: string;
}

export interface VerifiedAttestation {
  readonly source: string;
  readonly checks: Check[];
  /** keyids of supplied keys that verified at least one signature. */
  readonly signerKeyids: string[];
  readonly statement?: Statement<Collection>;
  /** True when every check on this file passed. */
  readonly passed: boolean;
}

const TREE_SUBJECTS: Record<string, string> = {
  [MATERIAL_V03_TYPE]: 'tree:materials',
  [PRODUCT_V03_TYPE]: 'tree:products',
};

function shortKeyid(keyid: string): string {
  return keyid.length > 16 ? `${keyid.slice(0, 16)}…` : keyid;
}

export function verifyAttestation(text: string, source: string, keys: readonly PublicKeyInfo[]): VerifiedAttestation {
  const checks: Check[] = [];
  const add = (name: string, passed: boolean, detail: string) => checks.push({ name, passed, detail, file: source });
  const done = (signerKeyids: string[], statement?: Statement<Collection>): VerifiedAttestation => ({
    source,
    checks,
    signerKeyids,
    ...(statement ? { statement } : {}),
    passed: checks.every((check) => check.passed),
  });

  let parsed;
  try {
    parsed = parseEnvelope(text, source);
    add('envelope', true, 'DSSE envelope with payload, payloadType and signatures');
  } catch (error) {
    add('envelope', false, (error as Error).message);
    return done([]);
  }

  const typeOk = parsed.envelope.payloadType === INTOTO_PAYLOAD_TYPE;
  add('payload-type', typeOk, typeOk ? INTOTO_PAYLOAD_TYPE : `payloadType is "${parsed.envelope.payloadType}", expected "${INTOTO_PAYLOAD_TYPE}"`);

  const results = checkSignatures(parsed, keys);
  const signerKeyids = [...new Set(results.flatMap((result) => result.verifiedBy))];
  if (signerKeyids.length > 0) {
    const described = results
      .filter((result) => result.verifiedBy.length > 0)
      .map((result) => `signature ${result.index} verified by ${result.verifiedBy.map((id) => `${shortKeyid(id)} (${keys.find((key) => key.keyid === id)?.source ?? 'key'})`).join(', ')}`);
    add('signature', true, described.join('; '));
  } else {
    const envelopeIds = results.map((result) => shortKeyid(result.envelopeKeyid) || '(none)').join(', ');
    const errors = results.filter((result) => result.error).map((result) => result.error);
    add(
      'signature',
      false,
      `none of the ${results.length} signature(s) verifies with the ${keys.length} supplied key(s) over this payload (envelope keyids: ${envelopeIds}${errors.length ? `; ${errors.join('; ')}` : ''}); the payload was altered or it was signed by another key`,
    );
  }

  let statement: Statement<Collection>;
  try {
    statement = JSON.parse(parsed.payloadBytes.toString('utf8')) as Statement<Collection>;
    if (typeof statement !== 'object' || statement === null) throw new Error('not an object');
  } catch (error) {
    add('statement', false, `the payload is not a JSON in-toto statement (${(error as Error).message})`);
    return done(signerKeyids);
  }
  add('statement-type', statement._type === STATEMENT_TYPE, statement._type === STATEMENT_TYPE ? STATEMENT_TYPE : `_type is ${JSON.stringify(statement._type)}, expected "${STATEMENT_TYPE}"`);
  const predicateOk = statement.predicateType === COLLECTION_PREDICATE_TYPE || statement.predicateType === LEGACY_COLLECTION_PREDICATE_TYPE;
  add('predicate-type', predicateOk, predicateOk ? statement.predicateType : `predicateType is ${JSON.stringify(statement.predicateType)}, expected "${COLLECTION_PREDICATE_TYPE}"`);

  const collection = statement.predicate;
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  if (typeof collection !== 'object' || collection === null || typeof collection.name !== 'string' || !Array.isArray(collection.attestations)) {
    add('collection', false, 'the predicate is not a collection {name, attestations[]}');
    return done(signerKeyids, statement);
  }
  add('collection', true, `step "${collection.name}" with ${collection.attestations.length} attestation(s)`);

  for (const entry of collection.attestations) {
    const subjectName = TREE_SUBJECTS[entry?.type];
    if (!subjectName) continue;
    const label = entry.type === MATERIAL_V03_TYPE ? 'merkle:material' : 'merkle:product';
    const problems = checkTreeBody(entry.attestation);
    const root = (entry.attestation as { merkleRoot?: unknown } | null)?.merkleRoot;
    const subject = subjects.find((candidate) => candidate?.name === `${entry.type}/${subjectName}`);
    if (!subject) problems.push(`the statement has no subject "${entry.type}/${subjectName}"`);
    else if (subject.digest?.sha256 !== root) problems.push(`subject "${subjectName}" has sha256 ${String(subject.digest?.sha256)} but the tree's merkleRoot is ${String(root)}`);
    add(label, problems.length === 0, problems.length === 0 ? `${String((entry.attestation as { treeSize?: number }).treeSize)} leaves rebuild to the signed root ${String(root)}` : problems.join('; '));
  }
  return done(signerKeyids, statement);
}
