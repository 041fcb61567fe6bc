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
import { loadPublicKey, type PublicKeyInfo } from '../attestation/keys.js';
import { constraintProblem, type CertConstraint, type CertificateSigner } from '../attestation/cert-constraints.js';
import { evaluatePolicyBound, parsePolicy, policyPublicKeys, PolicyError, type Policy } from '../attestation/policy.js';
import type { TrustAnchors } from '../attestation/x509.js';
import { bindingLine, bindingOf, candidateSubjects, dirHashOf, lookupDigests, parseSubjectFlag, type Binding, type RequestedSubject } from '../attestation/subjects.js';
import { listBounded, verifyAttestation, type Check, type VerifiedAttestation } from '../attestation/verify.js';
import { digestRegularFileSync } from '../files/digest.js';
import { walkTree } from '../attestors/file-walk.js';
import { CilockError, isCilockError } from '../util/errors.js';
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
  /** Certificate trust for a policy signed with a certificate: root, intermediate and TSA certificate files. */
  readonly policyCaRoots?: readonly string[];
  readonly policyCaIntermediates?: readonly string[];
  readonly policyTimestampServers?: readonly string[];
  /** What the policy signer's certificate must name (`*` allows anything, the default). */
  readonly policyIdentity?: CertConstraint;
}

export interface RawVerifyFlags {
  attestations?: string[];
  publickey?: string[];
  policy?: string;
  format?: string;
  artifactfile?: string;
  directoryPath?: string;
  subjects?: string[];
  policyCaRoots?: string[];
  policyCaIntermediates?: string[];
  policyTimestampServers?: string[];
  policyCommonname?: string;
  policyDnsNames?: string[];
  policyEmails?: string[];
  policyOrganizations?: string[];
  policyUris?: string[];
}

const splitList = (values: readonly string[] | undefined) => (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');

async function readInput(path: string, what: string, fix: string): Promise<string>;
async function readInput(path: string, what: string, fix: string, bytes: true): Promise<Buffer>;
async function readInput(path: string, what: string, fix: string, bytes = false): Promise<string | Buffer> {
  try {
    return bytes ? await readFile(path) : await readFile(path, 'utf8');
  } catch (error) {
    throw new CilockError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; ${fix}`, 2);
  }
}

/** Runs `fn`, turning the input errors of the verification modules into usage errors (exit 2). */
function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    // A key, policy, subject or certificate given on verify's command line that does not load is a usage error.
    if (isCilockError(error)) throw new CilockError(error.message, 2);
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

/** The --policy-* identity flags' default: any certificate that chains and is timestamped. */
const ANY_IDENTITY: CertConstraint = { commonname: '*', dnsnames: ['*'], emails: ['*'], organizations: ['*'], uris: ['*'] };

/** The X.509 code, loaded only when certificates are in play (pkijs is slow to load). */
const x509 = () => import('../attestation/x509.js');

/** Certificates from PEM files, each labelled with its path. */
async function loadCertificateFiles(paths: readonly string[], flag: string) {
  const out = [];
  for (const path of paths) {
    const text = await readInput(path, flag, 'pass a PEM file of CA certificates');
    const { parseCertificates } = await x509();
    for (const certificate of usage(() => parseCertificates(text, `${flag} ${path}`))) out.push({ id: path, certificate });
  }
  return out;
}

/** Whether a certificate signature of the policy counts: chain, timestamp, identity flags, then the signature itself. */
async function policyCertificateCheck(parsed: ReturnType<typeof parseEnvelope>, anchors: TrustAnchors, identity: CertConstraint, path: string): Promise<string | undefined> {
  const reasons: string[] = [];
  for (const signature of parsed.envelope.signatures) {
    if (signature.certificate === undefined) continue;
    const signer = await (await x509()).verifyCertificateSigner(signature, anchors, path);
    if (typeof signer === 'string') {
      reasons.push(signer);
      continue;
    }
    const problem = constraintProblem({ ...identity, roots: ['*'] }, signer);
    if (problem) {
      reasons.push(`the signing certificate does not match the --policy-* identity flags: ${problem}`);
      continue;
    }
    if (checkSignatures(parsed, [signer.key]).some((result) => result.verifiedBy.length > 0)) return undefined;
    reasons.push(`the signature does not verify with the key of certificate "${signer.identity.commonName}"`);
  }
  return reasons.length > 0 ? listBounded(reasons) : 'the policy envelope carries no certificate';
}

/** Loads the policy, plain JSON or a DSSE-signed policy envelope (whose signature must verify with the -k keys or chain to --policy-ca-roots). */
async function loadPolicy(path: string, keys: readonly PublicKeyInfo[], options: VerifyOptions): Promise<LoadedPolicy> {
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
    const caRoots = await loadCertificateFiles(options.policyCaRoots ?? [], '--policy-ca-roots');
    if (keys.length === 0 && caRoots.length === 0) {
      throw new CilockError(`${path} is a signed policy, so its signer must be trusted: pass -k/--publickey POLICY-SIGNER.pub.pem (the public half of the key given to cilock sign -k), or --policy-ca-roots CA.pem (with --policy-timestamp-servers TSA.pem) for a policy signed with a certificate`, 2);
    }
    const parsed = usage(() => {
      try {
        return parseEnvelope(text, path);
      } catch (error) {
        throw new PolicyError((error as Error).message);
      }
    });
    const byKey = keys.length > 0 && checkSignatures(parsed, keys).some((result) => result.verifiedBy.length > 0);
    let byCertificate: string | undefined = 'no --policy-ca-roots given';
    if (!byKey && caRoots.length > 0) {
      const anchors: TrustAnchors = {
        roots: caRoots,
        intermediates: (await loadCertificateFiles(options.policyCaIntermediates ?? [], '--policy-ca-intermediates')).map((c) => c.certificate),
        timestampAuthorities: await loadCertificateFiles(options.policyTimestampServers ?? [], '--policy-timestamp-servers'),
      };
      byCertificate = await policyCertificateCheck(parsed, anchors, options.policyIdentity ?? ANY_IDENTITY, path);
    }
    const verified = byKey || byCertificate === undefined;
    const keyids = listBounded(parsed.envelope.signatures.map((signature) => signature.keyid || '(none)'));
    checks.push({
      name: 'policy:signature',
      passed: verified,
      detail: byKey
        ? 'the signed policy verifies with a supplied -k key'
        : verified
          ? 'the policy is signed by a certificate that chains to --policy-ca-roots, valid at its trusted timestamp'
          : `no valid signatures for the provided verifiers found for keyids ${keyids}: ${keys.length > 0 ? `no supplied -k/--publickey verifies the policy envelope (${keys.length} key(s) tried); ` : ''}${caRoots.length > 0 ? `certificate trust: ${byCertificate ?? ''}; ` : ''}pass the key or CA the policy was signed with`,
      file: path,
    });
    policyText = parsed.payloadBytes.toString('utf8');
  }
  return { policy: usage(() => parsePolicy(policyText, path)), checks, signed };
}

/** Certificate signers of one envelope that chain to the policy roots with a trusted timestamp. */
async function certificateSigners(bytes: Buffer, file: string, anchors: TrustAnchors): Promise<CertificateSigner[]> {
  let parsed;
  try {
    parsed = parseEnvelope(bytes, file);
  } catch {
    return []; // verifyAttestation reports the envelope itself.
  }
  const signers: CertificateSigner[] = [];
  for (const signature of parsed.envelope.signatures) {
    if (signature.certificate === undefined) continue;
    const signer = await (await x509()).verifyCertificateSigner(signature, anchors, file);
    if (typeof signer !== 'string') signers.push(signer);
  }
  return signers;
}

/** The digests the verdict is about: the artifact file's sha256, the directory's dirHash and the -s values. */
async function requestedSubjects(options: VerifyOptions): Promise<RequestedSubject[]> {
  const requested: RequestedSubject[] = [];
  if (options.artifactFile !== undefined) {
    let hex: string;
    try {
      hex = digestRegularFileSync(resolve(options.artifactFile)).digest.sha256 as string;
    } catch (error) {
      throw new CilockError(`cannot read -f/--artifactfile ${options.artifactFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; pass the artifact file the attestations are about`, 2);
    }
    requested.push({ hex, origin: `-f ${options.artifactFile}`, fileDigest: true });
  }
  if (options.directoryPath !== undefined) {
    const info = await stat(options.directoryPath).catch((error: NodeJS.ErrnoException) => {
      throw new CilockError(`cannot read --directory-path ${options.directoryPath}: ${error.code ?? error.message}; pass the artifact directory the attestations are about`, 2);
    });
    if (!info.isDirectory()) throw new CilockError(`--directory-path ${options.directoryPath} is not a directory; pass a single artifact file with -f/--artifactfile`, 2);
    const walked = await walkTree(resolve(options.directoryPath)).catch((error: unknown) => {
      throw new CilockError(`cannot walk --directory-path ${options.directoryPath}: ${(error as Error).message}`, 2);
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

/** Runs every check and returns the verdict; throws CilockError(2) for unusable input. */
export async function executeVerify(options: VerifyOptions): Promise<Verdict> {
  if (options.attestations.length === 0) throw new CilockError('no attestations to verify: pass -a/--attestations FILE[,FILE…] (envelopes written by cilock run)', 2);
  const keys = await loadKeys(options.publicKeys);
  const requested = await requestedSubjects(options);
  let loaded: LoadedPolicy | undefined;
  const checks: Check[] = [];
  let attestationKeys = keys;
  let anchors: TrustAnchors | undefined;
  if (options.policy !== undefined) {
    loaded = await loadPolicy(options.policy, keys, options);
    for (const check of loaded.checks) checks.push(check);
    const policyKeys = usage(() => policyPublicKeys(loaded!.policy, options.policy!));
    if (loaded.policy.roots.size > 0) {
      const { policyTrustAnchors } = await x509();
      anchors = usage(() => policyTrustAnchors(loaded!.policy, options.policy!));
    }
    if (loaded.signed) {
      // Upstream's trust model: -k vouches for the policy, the policy names who may sign attestations.
      if (policyKeys.length === 0 && !anchors) throw new CilockError(`the signed policy ${options.policy} lists no "publickeys" and no "roots", so no attestation signature can count; add each functionary's key as {"<keyid>": {"keyid": "<keyid>", "key": "<base64 of the PEM>"}}`, 2);
      attestationKeys = policyKeys;
    } else {
      attestationKeys = [...keys, ...policyKeys];
    }
  }
  if (attestationKeys.length === 0 && !anchors) throw new CilockError('no public key: pass -k/--publickey PUB.pem (the public half of the key given to cilock run -k)', 2);
  const verified: VerifiedAttestation[] = [];
  const certSigners = new Map<string, CertificateSigner[]>();
  for (const file of options.attestations) {
    // Bytes, not text: the payload is decoded from them directly. No local holds them, so they
    // can be collected once the envelope is parsed.
    let bytes: Buffer | undefined = await readInput(file, 'attestation', 'pass the envelope files written by cilock run --outfile', true);
    let fileKeys = attestationKeys;
    if (anchors) {
      const signers = await certificateSigners(bytes, file, anchors);
      certSigners.set(file, signers);
      fileKeys = [...attestationKeys, ...signers.map((signer) => signer.key)];
    }
    const result = verifyAttestation(bytes, file, fileKeys);
    bytes = undefined;
    verified.push(result);
    // Loops, not push(...spread): a spread of a few hundred thousand checks overflows the stack.
    for (const check of result.checks) checks.push(check);
  }
  if (loaded?.signed && requested.length === 0) throw new CilockError(noSubjectMessage(verified), 2);
  const lookup = requested.length > 0 ? lookupDigests(requested) : undefined;
  let bindings: Binding[] = [];
  if (loaded) {
    const outcome = evaluatePolicyBound(loaded.policy, verified, { ...(options.now ? { now: options.now } : {}), ...(lookup ? { subjects: lookup } : {}), certSigners });
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
    throw new CilockError(`artifact given both positionally ("${positional}") and via --artifactfile/--directory-path; use one`, 2);
  }
  let info;
  try {
    info = await stat(positional);
  } catch (error) {
    throw new CilockError(`artifact path "${positional}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
  }
  return info.isDirectory() ? { ...options, directoryPath: positional } : { ...options, artifactFile: positional };
}

export async function parseVerifyFlags(raw: RawVerifyFlags, positional?: string): Promise<VerifyOptions> {
  const format = (raw.format ?? 'text').toLowerCase();
  if (format !== 'text' && format !== 'json') throw new CilockError(`unknown --format "${raw.format}" (want text|json)`, 2);
  const options: VerifyOptions = {
    attestations: splitList(raw.attestations),
    publicKeys: splitList(raw.publickey),
    ...(raw.policy !== undefined ? { policy: raw.policy } : {}),
    ...(raw.artifactfile !== undefined ? { artifactFile: raw.artifactfile } : {}),
    ...(raw.directoryPath !== undefined ? { directoryPath: raw.directoryPath } : {}),
    // Not comma-split, as upstream: a subject is one value per flag.
    ...(raw.subjects !== undefined ? { subjects: raw.subjects } : {}),
    policyCaRoots: splitList(raw.policyCaRoots),
    policyCaIntermediates: splitList(raw.policyCaIntermediates),
    policyTimestampServers: splitList(raw.policyTimestampServers),
    policyIdentity: {
      commonname: raw.policyCommonname ?? ANY_IDENTITY.commonname,
      dnsnames: raw.policyDnsNames ? splitList(raw.policyDnsNames) : ANY_IDENTITY.dnsnames,
      emails: raw.policyEmails ? splitList(raw.policyEmails) : ANY_IDENTITY.emails,
      organizations: raw.policyOrganizations ? splitList(raw.policyOrganizations) : ANY_IDENTITY.organizations,
      uris: raw.policyUris ? splitList(raw.policyUris) : ANY_IDENTITY.uris,
    },
    format,
  };
  return withPositional(options, positional);
}
