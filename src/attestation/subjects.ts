/**
 * What `cilock verify` is asked about: the artifact's digests (the sha256 of `-f`, the dirHash of
 * `--directory-path`, `-s` values), and how a verified statement binds to them: a signed subject
 * with one of those digests, or an inline material/product leaf whose fileDigest is the artifact's
 * sha256 in a tree that rebuilt to its signed root (upstream's inclusion bridge).
 */
import { createHash } from 'node:crypto';
import { leafHashOf, rfc6962Root } from '../merkle/merkle.js';
import { compareStrings } from './json.js';
import { MATERIAL_V03_TYPE, PRODUCT_V03_TYPE, type VerifiedAttestation } from './verify.js';
import { CilockError } from '../util/errors.js';

/** Only these digests are matched against subjects, as upstream indexes them. */
const MATCHABLE = ['sha256', 'gitoid:sha256', 'dirHash'] as const;
const HEX64 = /^[0-9a-f]{64}$/;

export class SubjectError extends CilockError {}

export interface RequestedSubject {
  /** Lowercase hex. */
  readonly hex: string;
  /** How the user named it, e.g. `sha256:… (-f app)`. */
  readonly origin: string;
  /** True for the sha256 of an artifact file: only those can match a Merkle leaf. */
  readonly fileDigest: boolean;
  /** True for a back-reference of a passing collection (the depth search), not a digest the user asked about. */
  readonly derived?: boolean;
}

export interface Binding {
  readonly step: string;
  /** `sha256:<hex>` of the requested digest that bound. */
  readonly matchedSubject: string;
  /** The statement subject's name, or the leaf's path for a leaf binding. */
  readonly observedSubjectName: string;
  readonly via: 'subject' | 'product-leaf' | 'material-leaf';
  /** For a subject binding: the subject's digest (the single-leaf root of the artifact, when that is what was signed). */
  readonly subjectDigest?: string;
  readonly file: string;
}

/** `-s` values: 64 hex characters, optionally prefixed `sha256:`, `gitoid:sha256:` or `dirHash:`. */
export function parseSubjectFlag(value: string): RequestedSubject {
  const trimmed = value.trim();
  const match = /^(?:(sha256|gitoid:sha256|gitoid:blob:sha256|dirHash):)?([0-9a-fA-F]+)$/.exec(trimmed);
  const hex = match?.[2]?.toLowerCase();
  if (!hex || !HEX64.test(hex)) {
    throw new SubjectError(`invalid subject digest "${value}": must be a hex-encoded hash of 64 characters (a sha256, gitoid:sha256 or dirHash value), optionally prefixed "sha256:", e.g. -s sha256:$(sha256sum app | cut -d' ' -f1)`);
  }
  return { hex, origin: `-s ${trimmed}`, fileDigest: false };
}

/**
 * upstream's dirHash: SHA-256 over one line `<sha256hex>  <relpath>\n` per file, paths sorted (byte
 * order), no `h1:` prefix.
 */
export function dirHashOf(files: readonly { path: string; sha256: string }[]): string {
  const lines = [...files].sort((a, b) => compareStrings(a.path, b.path)).map((file) => `${file.sha256}  ${file.path}\n`);
  return createHash('sha256').update(lines.join(''), 'utf8').digest('hex');
}

/** The requested digests to look subjects up by, each once; a file digest also adds its single-leaf tree root. */
export function lookupDigests(requested: readonly RequestedSubject[]): Map<string, RequestedSubject> {
  const byHex = new Map<string, RequestedSubject>();
  for (const subject of requested) {
    if (!byHex.has(subject.hex)) byHex.set(subject.hex, subject);
    if (subject.fileDigest) {
      // A run whose only product is the artifact signs this root: upstream adds it too.
      const root = rfc6962Root([Buffer.from(leafHashOf(subject.hex), 'hex')]).toString('hex');
      if (!byHex.has(root)) byHex.set(root, subject);
    }
  }
  return byHex;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The hex of a matchable digest value (`gitoid:blob:sha256:<hex>` gives its hex). */
function matchableHex(algorithm: string, value: unknown): string | undefined {
  if (!(MATCHABLE as readonly string[]).includes(algorithm) || typeof value !== 'string') return undefined;
  const hex = algorithm === 'gitoid:sha256' ? value.replace(/^gitoid:blob:sha256:/, '') : value;
  return HEX64.test(hex) ? hex : undefined;
}

/** Every matchable subject digest of a statement, with the subject's name. */
export function subjectDigests(statement: unknown): { name: string; hex: string }[] {
  const subjects = isRecord(statement) && Array.isArray(statement.subject) ? statement.subject : [];
  const found: { name: string; hex: string }[] = [];
  for (const subject of subjects) {
    if (!isRecord(subject) || typeof subject.name !== 'string' || !isRecord(subject.digest)) continue;
    for (const [algorithm, value] of Object.entries(subject.digest)) {
      const hex = matchableHex(algorithm, value);
      if (hex) found.push({ name: subject.name, hex });
    }
  }
  return found;
}

/**
 * How this attestation binds to the requested digests, or undefined. Leaves are trusted only
 * because the attestation passed its basic checks, which rebuild every tree to its signed root.
 */
export function bindingOf(attestation: VerifiedAttestation, step: string, lookup: ReadonlyMap<string, RequestedSubject>): Binding | undefined {
  if (!attestation.passed) return undefined;
  // Best first: a subject that is a requested digest itself; a leaf, which names the artifact's
  // path; a single-leaf tree root; last a back-reference found by the depth search.
  let indirect: Binding | undefined;
  let derived: Binding | undefined;
  for (const { name, hex } of subjectDigests(attestation.statement)) {
    const requested = lookup.get(hex);
    if (!requested) continue;
    const binding: Binding = { step, matchedSubject: `sha256:${requested.hex}`, observedSubjectName: name, via: 'subject', subjectDigest: hex, file: attestation.source };
    if (requested.derived) derived ??= binding;
    else if (requested.hex === hex) return binding;
    else indirect ??= binding;
  }
  for (const entry of attestation.collection?.attestations ?? []) {
    const via = entry.type === PRODUCT_V03_TYPE ? 'product-leaf' : entry.type === MATERIAL_V03_TYPE ? 'material-leaf' : undefined;
    if (!via || !isRecord(entry.attestation) || !Array.isArray(entry.attestation.leaves)) continue;
    for (const leaf of entry.attestation.leaves as unknown[]) {
      if (!isRecord(leaf) || typeof leaf.fileDigest !== 'string' || typeof leaf.path !== 'string') continue;
      const requested = lookup.get(leaf.fileDigest);
      if (requested?.fileDigest) return { step, matchedSubject: `sha256:${requested.hex}`, observedSubjectName: leaf.path, via, file: attestation.source };
    }
  }
  return indirect ?? derived;
}

/** Up to `max` candidate `-s` values from the supplied statements, for the "no subject" message. */
export function candidateSubjects(attestations: readonly VerifiedAttestation[], max = 5): string[] {
  const seen = new Set<string>();
  for (const attestation of attestations) {
    for (const { name, hex } of subjectDigests(attestation.statement)) {
      if (seen.size >= max) break;
      if (![...seen].some((line) => line.includes(hex))) seen.add(`--subjects sha256:${hex}   (${name} in ${attestation.source})`);
    }
  }
  return [...seen];
}

/** The upstream-style line for one binding. */
export function bindingLine(binding: Binding): string {
  return binding.via === 'subject'
    ? `verified: ${binding.matchedSubject} bound to step "${binding.step}" subject "${binding.observedSubjectName}"`
    : `verified: ${binding.matchedSubject} bound to step "${binding.step}" as a ${binding.via === 'product-leaf' ? 'product' : 'material'} leaf "${binding.observedSubjectName}" (Merkle inclusion, root-verified)`;
}
