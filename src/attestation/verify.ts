/**
 * Checks one attestation envelope without a policy: signatures (every supplied key against every
 * signature, over the PAE of the exact payload bytes), payload and predicate types, collection
 * shape, and the v0.3 material/product Merkle trees rebuilt from their inline leaves and matched
 * against the signed subjects. Every check is named so a verdict can say exactly what failed.
 */
import { checkSignatures, INTOTO_PAYLOAD_TYPE, parseEnvelope } from './dsse.js';
import type { PublicKeyInfo } from './keys.js';
import type { Collection } from './collection.js';
import { COLLECTION_PREDICATE_TYPE, LEGACY_COLLECTION_PREDICATE_TYPE, STATEMENT_TYPE } from './statement.js';
import { jsonDepth } from './json.js';
import { MAX_JSON_DEPTH } from './limits.js';
import { typeOf } from '../catalog/attestor-declarations.js';
import { checkTreeBody } from '../merkle/merkle.js';
import { LEGACY_ENCODING, rebuildsUnderLegacyEncoding } from './legacy-leaves.js';

export const MATERIAL_V03_TYPE = typeOf('material');
export const PRODUCT_V03_TYPE = typeOf('product');

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
  /** The decoded statement, whatever its shape. */
  readonly statement?: unknown;
  /** The collection, present only when it has the expected shape (a name and typed entries within the depth limit). */
  readonly collection?: Collection;
  /** True when every check on this file passed. */
  readonly passed: boolean;
}

const TREE_SUBJECTS: Record<string, string> = {
  [MATERIAL_V03_TYPE]: 'tree:materials',
  [PRODUCT_V03_TYPE]: 'tree:products',
};

/** At most this many items are named in one message; the rest are counted. */
const LISTED = 3;

function shortKeyid(keyid: string): string {
  return keyid.length > 16 ? `${keyid.slice(0, 16)}…` : keyid;
}

/** `a, b, c and 9997 more`: keeps messages about hostile input short. */
export function listBounded(items: readonly string[], max = LISTED): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** A value of unknown shape, described without serialising it (JSON.stringify recurses). */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The collection's problems (empty when usable): a name, entries `{type, attestation}` and bodies within the depth limit. */
function collectionProblems(predicate: unknown): string[] {
  if (!isRecord(predicate) || typeof predicate.name !== 'string' || !Array.isArray(predicate.attestations)) {
    return [`the predicate is ${describeValue(predicate)}, not a collection {name, attestations[]}`];
  }
  const problems: string[] = [];
  predicate.attestations.forEach((entry: unknown, index: number) => {
    if (!isRecord(entry) || typeof entry.type !== 'string') {
      problems.push(`attestations[${index}] is ${describeValue(entry)}, not an entry {type, attestation}`);
      return;
    }
    const depth = jsonDepth(entry.attestation);
    if (depth > MAX_JSON_DEPTH) problems.push(`attestations[${index}] (${entry.type}) nests ${depth} levels deep, more than the ${MAX_JSON_DEPTH} allowed (cilock run refuses to attest such a body)`);
  });
  return problems;
}

type AddCheck = (name: string, passed: boolean, detail: string) => void;

/**
 * The envelope and signature checks. Returns the payload as text (or undefined when the envelope
 * is unusable); the decoded bytes stay inside this call so they can be collected before the
 * statement is parsed, which keeps the peak memory of a large envelope down.
 */
function checkEnvelope(text: string | Buffer, source: string, keys: readonly PublicKeyInfo[], add: AddCheck): { signerKeyids: string[]; payloadText: string } | undefined {
  let parsed;
  try {
    parsed = parseEnvelope(text, source);
    add('envelope', true, 'DSSE envelope with payload, payloadType and signatures');
  } catch (error) {
    add('envelope', false, (error as Error).message);
    return undefined;
  }

  const typeOk = parsed.envelope.payloadType === INTOTO_PAYLOAD_TYPE;
  add('payload-type', typeOk, typeOk ? INTOTO_PAYLOAD_TYPE : `payloadType is ${describeValue(parsed.envelope.payloadType)}, expected "${INTOTO_PAYLOAD_TYPE}"`);

  const results = checkSignatures(parsed, keys);
  const signerKeyids = [...new Set(results.flatMap((result) => result.verifiedBy))];
  if (signerKeyids.length > 0) {
    const described = results
      .filter((result) => result.verifiedBy.length > 0)
      .map((result) => `signature ${result.index} verified by ${result.verifiedBy.map((id) => `${shortKeyid(id)} (${keys.find((key) => key.keyid === id)?.source ?? 'key'})`).join(', ')}`);
    add('signature', true, listBounded(described));
  } else {
    const envelopeIds = results.map((result) => shortKeyid(result.envelopeKeyid) || '(none)');
    const errors = results.flatMap((result) => (result.error ? [result.error] : []));
    add(
      'signature',
      false,
      `none of the ${results.length} signature(s) verifies with the ${keys.length} supplied key(s) over this payload (envelope keyids: ${listBounded(envelopeIds)}${errors.length ? `; ${listBounded(errors)}` : ''}); the payload was altered or it was signed by another key`,
    );
  }

  return { signerKeyids, payloadText: parsed.payloadBytes.toString('utf8') };
}

/** The payload as a statement object; `raw` is whatever JSON it held when that is not an object. */
function parseStatement(envelope: { payloadText: string }, add: AddCheck): { statement?: Record<string, unknown>; raw?: unknown } {
  let raw: unknown;
  try {
    raw = JSON.parse(envelope.payloadText);
    envelope.payloadText = '';
  } catch (error) {
    add('statement', false, `the payload is not a JSON in-toto statement (${(error as Error).message})`);
    return {};
  }
  if (!isRecord(raw)) {
    add('statement', false, `the payload is ${describeValue(raw)}, not an in-toto statement object`);
    return { raw };
  }
  return { statement: raw };
}

/** Each material/product tree must rebuild to its signed root, and that root must be the statement's subject. */
function checkTrees(statement: Record<string, unknown>, collection: Collection, add: AddCheck): void {
  const subjects: unknown[] = Array.isArray(statement.subject) ? statement.subject : [];
  for (const entry of collection.attestations) {
    const subjectName = Object.hasOwn(TREE_SUBJECTS, entry.type) ? TREE_SUBJECTS[entry.type] : undefined;
    if (!subjectName) continue;
    const label = entry.type === MATERIAL_V03_TYPE ? 'merkle:material' : 'merkle:product';
    const tree = checkTreeBody(entry.attestation);
    // Only when the current encoding fails: a tree written before June 2026 may still be genuine.
    const legacy = tree.length > 0 && rebuildsUnderLegacyEncoding(entry.attestation);
    const treeProblems = legacy ? [] : [...tree];
    const root = isRecord(entry.attestation) ? entry.attestation.merkleRoot : undefined;
    const subject = subjects.find((candidate): candidate is Record<string, unknown> => isRecord(candidate) && candidate.name === `${entry.type}/${subjectName}`);
    const subjectDigest = subject && isRecord(subject.digest) ? subject.digest.sha256 : undefined;
    if (!subject) treeProblems.push(`the statement has no subject "${entry.type}/${subjectName}"`);
    else if (subjectDigest !== root) treeProblems.push(`subject "${subjectName}" has sha256 ${describeValue(subjectDigest)} but the tree's merkleRoot is ${describeValue(root)}`);
    const treeSize = isRecord(entry.attestation) ? entry.attestation.treeSize : undefined;
    const rebuilt = `${String(treeSize)} leaves rebuild to the signed root ${String(root)}${legacy ? ` under the old leaf encoding ${LEGACY_ENCODING}` : ''}`;
    add(label, treeProblems.length === 0, treeProblems.length === 0 ? rebuilt : listBounded(treeProblems));
  }
}

/** `text` is the envelope file's text or, better for large files, its bytes. */
export function verifyAttestation(text: string | Buffer, source: string, keys: readonly PublicKeyInfo[]): VerifiedAttestation {
  const checks: Check[] = [];
  const add: AddCheck = (name, passed, detail) => checks.push({ name, passed, detail, file: source });
  const done = (signerKeyids: string[], statement?: unknown, collection?: Collection): VerifiedAttestation => ({
    source,
    checks,
    signerKeyids,
    ...(statement !== undefined ? { statement } : {}),
    ...(collection ? { collection } : {}),
    passed: checks.every((check) => check.passed),
  });

  const envelope = checkEnvelope(text, source, keys, add);
  // Let the envelope (as large as the file) be collected before the statement is parsed.
  text = '';
  if (!envelope) return done([]);
  const { signerKeyids } = envelope;

  const parsed = parseStatement(envelope, add);
  if (!parsed.statement) return done(signerKeyids, parsed.raw);
  const { statement } = parsed;
  add('statement-type', statement._type === STATEMENT_TYPE, statement._type === STATEMENT_TYPE ? STATEMENT_TYPE : `_type is ${describeValue(statement._type)}, expected "${STATEMENT_TYPE}"`);
  const predicateType = statement.predicateType;
  const predicateOk = predicateType === COLLECTION_PREDICATE_TYPE || predicateType === LEGACY_COLLECTION_PREDICATE_TYPE;
  add('predicate-type', predicateOk, predicateOk ? String(predicateType) : `predicateType is ${describeValue(predicateType)}, expected "${COLLECTION_PREDICATE_TYPE}"`);

  const problems = collectionProblems(statement.predicate);
  if (problems.length > 0) {
    add('collection', false, listBounded(problems));
    return done(signerKeyids, statement);
  }
  const collection = statement.predicate as Collection;
  add('collection', true, `step "${collection.name}" with ${collection.attestations.length} attestation(s)`);
  checkTrees(statement, collection, add);
  return done(signerKeyids, statement, collection);
}
