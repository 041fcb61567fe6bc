/**
 * Certificate signers: a DSSE signature that carries an X.509 `certificate` (and `intermediates`)
 * counts only when
 * - an RFC 3161 timestamp in `timestamps` verifies against a trusted timestamp authority and
 *   covers the raw signature bytes (fail-closed: no trusted timestamp, no trust; the wall clock
 *   is never used);
 * - the certificate chains to a trusted root through the supplied and embedded intermediates,
 *   every certificate valid at the timestamp's time;
 * - the leaf allows code signing or names no extended key usage.
 * X.509, CMS and TSP come from pkijs (over Node's WebCrypto). Roots are matched by key: pkijs
 * checks each link's signature with the issuer's key, so a root with the right name and another
 * key never completes a chain. pkijs takes a quarter of a second to load, so verify imports this
 * module only when certificates are in play.
 */
import { webcrypto } from 'node:crypto';
import * as pkijs from 'pkijs';
import { CertificateError, type CertificateIdentity, type CertificateSigner } from './cert-constraints.js';
import { decodeStrictBase64, type DsseSignature } from './dsse.js';
import { loadPublicKey, type PublicKeyInfo } from './keys.js';
import type { Policy } from './policy.js';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

/** A trusted certificate with the label it is known by (a policy root id or a file name). */
export interface TrustedCertificate {
  readonly id: string;
  readonly certificate: pkijs.Certificate;
}

export interface TrustAnchors {
  readonly roots: readonly TrustedCertificate[];
  readonly intermediates: readonly pkijs.Certificate[];
  readonly timestampAuthorities: readonly TrustedCertificate[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g;
const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const OID = { commonName: '2.5.4.3', organization: '2.5.4.10', extKeyUsage: '2.5.29.37', subjectAltName: '2.5.29.17' };

/** Every certificate in PEM text, parsed; `what` names the source in errors. */
export function parseCertificates(pem: string, what: string): pkijs.Certificate[] {
  const blocks = [...pem.matchAll(PEM_CERTIFICATE)];
  if (blocks.length === 0) throw new CertificateError(`${what} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`);
  return blocks.map((block, index) => {
    try {
      return pkijs.Certificate.fromBER(new Uint8Array(Buffer.from((block[1] as string).replace(/\s+/g, ''), 'base64')));
    } catch (error) {
      throw new CertificateError(`${what}: certificate ${index + 1} is not a valid X.509 certificate (${(error as Error).message})`);
    }
  });
}

/** Base64 of PEM (as envelopes and policies carry certificates) to certificates. */
export function parseBase64Certificates(value: string, what: string): pkijs.Certificate[] {
  return parseCertificates(Buffer.from(value, 'base64').toString('utf8'), what);
}

function toPem(certificate: pkijs.Certificate): string {
  const body = Buffer.from(certificate.toSchema().toBER()).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

function attribute(certificate: pkijs.Certificate, oid: string): string[] {
  return certificate.subject.typesAndValues.filter((entry) => entry.type === oid).map((entry) => String(entry.value.valueBlock.value));
}

export function identityOf(certificate: pkijs.Certificate): CertificateIdentity {
  const names = (certificate.extensions ?? []).filter((extension) => extension.extnID === OID.subjectAltName).flatMap((extension) => (extension.parsedValue as pkijs.AltName | undefined)?.altNames ?? []);
  const of = (type: number) => names.filter((name) => name.type === type).map((name) => String(name.value));
  return { commonName: attribute(certificate, OID.commonName)[0] ?? '', dnsNames: of(2), emails: of(1), organizations: attribute(certificate, OID.organization), uris: of(6) };
}

function sameKey(a: pkijs.Certificate, b: pkijs.Certificate): boolean {
  return Buffer.from(a.subjectPublicKeyInfo.toSchema().toBER()).equals(Buffer.from(b.subjectPublicKeyInfo.toSchema().toBER()));
}

/** The time of the first timestamp token that verifies against a trusted TSA and covers `signed`, or why none does. */
async function timestampTime(signature: DsseSignature, signed: Uint8Array, authorities: readonly TrustedCertificate[]): Promise<Date | string> {
  const tokens = (signature.timestamps ?? []).filter((token) => token.type === 'tsp');
  if (tokens.length === 0) return 'the signature carries no RFC 3161 timestamp, and a certificate signature counts only with a trusted timestamp';
  if (authorities.length === 0) return 'no timestamp authority is trusted (pass --policy-timestamp-servers, or list "timestampauthorities" in the policy), and a certificate signature counts only with a trusted timestamp';
  const reasons: string[] = [];
  for (const [index, token] of tokens.entries()) {
    try {
      const content = pkijs.ContentInfo.fromBER(new Uint8Array(decodeStrictBase64(token.data, `timestamps[${index}].data`)));
      const signedData = new pkijs.SignedData({ schema: content.content });
      const result = await signedData.verify({ signer: 0, data: new Uint8Array(signed).buffer, trustedCerts: authorities.map((a) => a.certificate), checkChain: true, extendedMode: true });
      if (result.signatureVerified && result.signerCertificateVerified && result.date) return result.date;
      reasons.push(`timestamp ${index}: ${result.message || 'does not verify'}`);
    } catch (error) {
      reasons.push(`timestamp ${index}: ${(error as Error).message}`);
    }
  }
  return `no timestamp verifies against the trusted timestamp authorities (${reasons.join('; ')})`;
}

/** Checks one certificate signature as the module comment says; a string is the reason it does not count. */
export async function verifyCertificateSigner(signature: DsseSignature, anchors: TrustAnchors, source: string): Promise<CertificateSigner | string> {
  if (signature.certificate === undefined) return 'the signature carries no certificate';
  let leaf: pkijs.Certificate;
  let embedded: pkijs.Certificate[];
  try {
    leaf = parseBase64Certificates(signature.certificate, `${source}: the signing certificate`)[0] as pkijs.Certificate;
    embedded = (signature.intermediates ?? []).flatMap((value, index) => parseBase64Certificates(value, `${source}: intermediates[${index}]`));
  } catch (error) {
    return (error as Error).message;
  }
  let sig: Buffer;
  try {
    sig = decodeStrictBase64(signature.sig, 'sig');
  } catch (error) {
    return (error as Error).message;
  }
  const time = await timestampTime(signature, sig, anchors.timestampAuthorities);
  if (typeof time === 'string') return time;
  if (anchors.roots.length === 0) return 'no certificate root is trusted';
  const engine = new pkijs.CertificateChainValidationEngine({ trustedCerts: anchors.roots.map((r) => r.certificate), certs: [leaf, ...embedded, ...anchors.intermediates], checkDate: time });
  const chain = await engine.verify();
  if (!chain.result) return `the certificate does not chain to a trusted root at the timestamp's time ${time.toISOString()} (${chain.resultMessage || 'no valid path'})`;
  const top = chain.certificatePath?.at(-1);
  const root = anchors.roots.find((candidate) => top !== undefined && sameKey(candidate.certificate, top));
  if (!root) return 'the certificate chain ends at no trusted root';
  const usage = (leaf.extensions ?? []).find((extension) => extension.extnID === OID.extKeyUsage)?.parsedValue as pkijs.ExtKeyUsage | undefined;
  if (usage && !usage.keyPurposes.includes(CODE_SIGNING)) return `the certificate's extended key usage (${usage.keyPurposes.join(', ')}) does not allow code signing`;
  let key: PublicKeyInfo;
  try {
    key = loadPublicKey(toPem(leaf), `${source}: certificate ${identityOf(leaf).commonName || '(no common name)'}`);
  } catch (error) {
    return (error as Error).message;
  }
  return { key, identity: identityOf(leaf), rootId: root.id, time };
}

/** The policy's certificate roots (ids as the policy names them), their intermediates and its timestamp authorities. */
export function policyTrustAnchors(policy: Policy, source: string): TrustAnchors {
  const parse = (field: string, id: string, value: string) => parseBase64Certificates(value, `policy ${source} ${field}["${id}"]`);
  const entries = (field: 'roots' | 'timestampauthorities') => [...policy[field]].map(([id, entry]) => ({ id, entry, certificates: parse(field, id, entry.certificate) }));
  const roots = entries('roots');
  return {
    roots: roots.flatMap(({ id, certificates }) => certificates.map((certificate) => ({ id, certificate }))),
    intermediates: roots.flatMap(({ id, entry }) => (entry.intermediates ?? []).flatMap((value) => parse('roots', `${id}"].intermediates["`, value))),
    timestampAuthorities: entries('timestampauthorities').flatMap(({ id, certificates }) => certificates.map((certificate) => ({ id, certificate }))),
  };
}
