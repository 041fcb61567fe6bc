/**
 * `cilock verify [ARTIFACT] -a FILE[,FILE…] -k PUB.pem [-p POLICY] [-f FILE|--directory-path DIR|-s DIGEST] [-o text|json]`
 *
 * Two trust models:
 * - policy mode (`-p` a DSSE-signed policy): `-k` verifies the policy; the functionaries' keys in
 *   its `publickeys` decide which attestation signatures count, and at least one subject is
 *   required: each step must be satisfied by a collection bound to it (upstream's model);
 * - key-only mode (no `-p`, or a plain policy file you wrote): the `-k` keys (and a plain policy's
 *   `publickeys`) check the attestation signatures; subjects are optional.
 * Every envelope is checked (signatures over the PAE, statement and predicate types, Merkle trees
 * rebuilt from their leaves). Exit 0 pass, 1 fail, 2 usage.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkSignatures, parseEnvelope } from '../attestation/dsse.js';
import { KeyError, loadPublicKey, type PublicKeyInfo } from '../attestation/keys.js';
import { evaluatePolicyBound, parsePolicy, policyPublicKeys, PolicyError, type Policy } from '../attestation/policy.js';
import { bindingLine, bindingOf, candidateSubjects, dirHashOf, lookupDigests, parseSubjectFlag, SubjectError, type Binding, type RequestedSubject } from '../attestation/subjects.js';
import { listBounded, verifyAttestation, type Check, type VerifiedAttestation } from '../attestation/verify.js';
import { digestRegularFileSync } from '../attestors/digest.js';
import { walkTree } from '../attestors/file-walk.js';
import { CliError } from './errors.js';
import { formatVerdictText, verdictOf, type Verdict } from './verify-report.js';

export interface VerifyOptions {
  readonly attestations: readonly string[];
  readonly publicKeys: readonly string[];
  readonly policy?: string;
  readonly format: 'text' | 'json';
  /** Policy expiry is judged against this time (defaults to now). */
  readonly now?: Date;
  /** `-f`/`--artifactfile` (or a positional file). */
  readonly artifactFile?: string;
  /** `--directory-path` (or a positional directory). */
  readonly directoryPath?: string;
  /** `-s`/`--subjects` values as given. */
  readonly subjects?: readonly string[];
}

export interface RawVerifyFlags {
  attestations?: string[];
  publickey?: string[];
  policy?: string;
  format?: string;
  artifactfile?: string;
  directoryPath?: string;
  subjects?: string[];
}

const splitList = (values: readonly string[] | undefined) => (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');

async function readInput(path: string, what: string, fix: string): Promise<string>;
async function readInput(path: string, what: string, fix: string, bytes: true): Promise<Buffer>;
async function readInput(path: string, what: string, fix: string, bytes = false): Promise<string | Buffer> {
  try {
    return bytes ? await readFile(path) : await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; ${fix}`, 2);
  }
}

/** Runs `fn`, turning the input errors of the verification modules into usage errors (exit 2). */
function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof PolicyError || error instanceof KeyError || error instanceof SubjectError) throw new CliError(error.message, 2);
    throw error;
  }
}

async function loadKeys(paths: readonly string[]): Promise<PublicKeyInfo[]> {
  const keys: PublicKeyInfo[] = [];
  for (const path of paths) {
    const text = await readInput(path, '--publickey', 'pass the PEM public key that matches the signing key (openssl pkey -in key.pem -pubout)');
    keys.push(usage(() => loadPublicKey(text, path)));
  }
  return keys;
}

interface LoadedPolicy {
  readonly policy: Policy;
  readonly checks: Check[];
  /** True for a DSSE envelope: upstream's trust model applies. */
  readonly signed: boolean;
}

/** Loads the policy, plain JSON or a DSSE-signed policy envelope (whose signature must verify with the -k keys). */
async function loadPolicy(path: string, keys: readonly PublicKeyInfo[]): Promise<LoadedPolicy> {
  const text = await readInput(path, '--policy', 'check the path');
  const checks: Check[] = [];
  let policyText = text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const signed = typeof value === 'object' && value !== null && 'payloadType' in value && 'signatures' in value;
  if (signed) {
    if (keys.length === 0) throw new CliError(`${path} is a signed policy, so its signer's key is needed: pass -k/--publickey POLICY-SIGNER.pub.pem (the public half of the key given to cilock sign -k)`, 2);
    const parsed = usage(() => {
      try {
        return parseEnvelope(text, path);
      } catch (error) {
        throw new PolicyError((error as Error).message);
      }
    });
    const verified = checkSignatures(parsed, keys).some((result) => result.verifiedBy.length > 0);
    checks.push({ name: 'policy:signature', passed: verified, detail: verified ? 'the signed policy verifies with a supplied -k key' : `no supplied -k/--publickey verifies the policy envelope (${keys.length} key(s) tried); pass the public half of the key the policy was signed with`, file: path });
    policyText = parsed.payloadBytes.toString('utf8');
  }
  return { policy: usage(() => parsePolicy(policyText, path)), checks, signed };
}

/** The digests the verdict is about: the artifact file's sha256, the directory's dirHash and the -s values. */
async function requestedSubjects(options: VerifyOptions): Promise<RequestedSubject[]> {
  const requested: RequestedSubject[] = [];
  if (options.artifactFile !== undefined) {
    let hex: string;
    try {
      hex = digestRegularFileSync(resolve(options.artifactFile)).digest.sha256 as string;
    } catch (error) {
      throw new CliError(`cannot read -f/--artifactfile ${options.artifactFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; pass the artifact file the attestations are about`, 2);
    }
    requested.push({ hex, origin: `-f ${options.artifactFile}`, fileDigest: true });
  }
  if (options.directoryPath !== undefined) {
    const walked = await walkTree(resolve(options.directoryPath)).catch((error: unknown) => {
      throw new CliError(`cannot walk --directory-path ${options.directoryPath}: ${(error as Error).message}`, 2);
    });
    const files = walked.files.map((file) => ({ path: file.path, sha256: digestRegularFileSync(file.absolutePath).digest.sha256 as string }));
    requested.push({ hex: dirHashOf(files), origin: `--directory-path ${options.directoryPath}`, fileDigest: false });
  }
  for (const value of options.subjects ?? []) requested.push(usage(() => parseSubjectFlag(value)));
  return requested;
}

function noSubjectMessage(attestations: readonly VerifiedAttestation[]): string {
  const candidates = candidateSubjects(attestations);
  return [
    'at least one subject is required: a signed policy is checked for an artifact, so name it with one of',
    '  -f/--artifactfile FILE      (or a positional FILE) the artifact; its sha256 must be a subject or a product/material leaf',
    '  --directory-path DIR        (or a positional DIR) a directory, matched by its dirHash',
    '  -s/--subjects DIGEST        a sha256 digest (64 hex, optional "sha256:" prefix), repeatable',
    ...(candidates.length > 0 ? ['subjects in the supplied attestations (from unverified input, so check before use):', ...candidates.map((c) => `  ${c}`)] : ['(the supplied attestations name no sha256 subject)']),
  ].join('\n');
}

/** Key-only mode with subjects: at least one passing attestation must bind to them. */
function artifactCheck(verified: readonly VerifiedAttestation[], lookup: ReadonlyMap<string, RequestedSubject>, requested: readonly RequestedSubject[]): { check: Check; bindings: Binding[] } {
  const bindings = verified.flatMap((attestation) => bindingOf(attestation, attestation.collection?.name ?? '', lookup) ?? []);
  const wanted = listBounded(requested.map((s) => `sha256:${s.hex} (${s.origin})`));
  const check: Check = bindings.length > 0
    ? { name: 'artifact', passed: true, detail: `${wanted} bound by ${listBounded(bindings.map((b) => `${b.file} (${b.via === 'subject' ? `subject "${b.observedSubjectName}"` : `${b.via} "${b.observedSubjectName}"`})`))}` }
    : { name: 'artifact', passed: false, detail: `no attestation that passed its checks names ${wanted} as a subject or a product/material leaf; it is not the artifact these attestations are about` };
  return { check, bindings };
}

/** Runs every check and returns the verdict; throws CliError(2) for unusable input. */
export async function executeVerify(options: VerifyOptions): Promise<Verdict> {
  if (options.attestations.length === 0) throw new CliError('no attestations to verify: pass -a/--attestations FILE[,FILE…] (envelopes written by cilock run)', 2);
  const keys = await loadKeys(options.publicKeys);
  const requested = await requestedSubjects(options);
  let loaded: LoadedPolicy | undefined;
  const checks: Check[] = [];
  let attestationKeys = keys;
  if (options.policy !== undefined) {
    loaded = await loadPolicy(options.policy, keys);
    for (const check of loaded.checks) checks.push(check);
    const policyKeys = usage(() => policyPublicKeys(loaded!.policy, options.policy!));
    if (loaded.signed) {
      // Upstream's trust model: -k vouches for the policy, the policy names who may sign attestations.
      if (policyKeys.length === 0) throw new CliError(`the signed policy ${options.policy} lists no "publickeys", so no attestation signature can count; add each functionary's key as {"<keyid>": {"keyid": "<keyid>", "key": "<base64 of the PEM>"}}`, 2);
      attestationKeys = policyKeys;
    } else {
      attestationKeys = [...keys, ...policyKeys];
    }
  }
  if (attestationKeys.length === 0) throw new CliError('no public key: pass -k/--publickey PUB.pem (the public half of the key given to cilock run -k)', 2);
  const verified: VerifiedAttestation[] = [];
  for (const file of options.attestations) {
    // Bytes, not text: the payload is decoded from them directly. No local holds them, so they
    // can be collected once the envelope is parsed.
    const result = verifyAttestation(await readInput(file, 'attestation', 'pass the envelope files written by cilock run --outfile', true), file, attestationKeys);
    verified.push(result);
    // Loops, not push(...spread): a spread of a few hundred thousand checks overflows the stack.
    for (const check of result.checks) checks.push(check);
  }
  if (loaded?.signed && requested.length === 0) throw new CliError(noSubjectMessage(verified), 2);
  const lookup = requested.length > 0 ? lookupDigests(requested) : undefined;
  let bindings: Binding[] = [];
  if (loaded) {
    const outcome = evaluatePolicyBound(loaded.policy, verified, { ...(options.now ? { now: options.now } : {}), ...(lookup ? { subjects: lookup } : {}) });
    for (const check of outcome.checks) checks.push(check);
    bindings = outcome.bindings;
  } else if (lookup) {
    const artifact = artifactCheck(verified, lookup, requested);
    checks.push(artifact.check);
    bindings = artifact.bindings;
  }
  const bound = new Set(bindings.map((b) => b.matchedSubject));
  const unbound = requested.filter((s) => !bound.has(`sha256:${s.hex}`)).map((s) => `sha256:${s.hex} (${s.origin})`);
  return verdictOf(checks, bindings, unbound, loaded?.signed ? 'policy' : 'key-only');
}

export function formatVerdict(verdict: Verdict, format: 'text' | 'json'): string {
  if (format === 'text') return formatVerdictText(verdict);
  // Upstream's verdict keys first (binding fields only when something bound), then every check.
  const first = verdict.passed ? verdict.bindings[0] : undefined;
  const json = {
    passed: verdict.passed,
    ...(first ? { step: first.step, matchedSubject: first.matchedSubject, observedSubjectName: first.observedSubjectName } : {}),
    checks: verdict.checks,
    failed: verdict.failed,
  };
  return `${JSON.stringify(json)}\n`;
}

/**
 * The stderr lines upstream prints after a verdict: in policy mode `Verification succeeded` or
 * `failed to verify policy: …`; then one line per binding and a note per subject that bound to nothing.
 */
export function bindingReport(verdict: Verdict): string {
  const lines: string[] = [];
  if (verdict.mode === 'policy') {
    lines.push(verdict.passed ? 'Verification succeeded' : `failed to verify policy: ${verdict.failed.length} check(s) failed: ${listBounded(verdict.failed, 5)}`);
  }
  if (verdict.passed) {
    for (const binding of verdict.bindings) lines.push(bindingLine(binding));
    for (const subject of verdict.unbound) lines.push(`note: supplied artifact ${subject} did NOT match any attestation that passed`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Positional ARTIFACT: a file means -f, a directory --directory-path; it may not be combined with either. */
async function withPositional(options: VerifyOptions, positional: string | undefined): Promise<VerifyOptions> {
  if (positional === undefined) return options;
  if (options.artifactFile !== undefined || options.directoryPath !== undefined) {
    throw new CliError(`artifact given both positionally ("${positional}") and via --artifactfile/--directory-path; use one`, 2);
  }
  let info;
  try {
    info = await stat(positional);
  } catch (error) {
    throw new CliError(`artifact path "${positional}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
  }
  return info.isDirectory() ? { ...options, directoryPath: positional } : { ...options, artifactFile: positional };
}

export async function parseVerifyFlags(raw: RawVerifyFlags, positional?: string): Promise<VerifyOptions> {
  const format = (raw.format ?? 'text').toLowerCase();
  if (format !== 'text' && format !== 'json') throw new CliError(`unknown --format "${raw.format}" (want text|json)`, 2);
  const options: VerifyOptions = {
    attestations: splitList(raw.attestations),
    publicKeys: splitList(raw.publickey),
    ...(raw.policy !== undefined ? { policy: raw.policy } : {}),
    ...(raw.artifactfile !== undefined ? { artifactFile: raw.artifactfile } : {}),
    ...(raw.directoryPath !== undefined ? { directoryPath: raw.directoryPath } : {}),
    // Not comma-split, as upstream: a subject is one value per flag.
    ...(raw.subjects !== undefined ? { subjects: raw.subjects } : {}),
    format,
  };
  return withPositional(options, positional);
}
