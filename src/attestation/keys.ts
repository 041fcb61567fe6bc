/**
 * Signing and verifying keys for DSSE envelopes, loaded from PEM with node:crypto only.
 *
 * Supported: Ed25519, ECDSA P-256/P-384/P-521 and RSA, in PKCS#8, PKCS#1 (RSA), SEC1 (EC),
 * encrypted PKCS#8 and legacy `Proc-Type: 4,ENCRYPTED` PEM. The keyid is the SHA-256 of the
 * canonical PKIX PEM of the public key (64-column base64 body, trailing newline), so it does not
 * depend on how the user's file happens to be formatted.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, constants, X509Certificate, type KeyObject } from 'node:crypto';
import { CilockError } from '../util/errors.js';

export type KeyAlgorithm = 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'rsa-pss-sha256';

export interface PublicKeyInfo {
  readonly publicKey: KeyObject;
  readonly algorithm: KeyAlgorithm;
  /** Lowercase hex SHA-256 of `publicKeyPem`. */
  readonly keyid: string;
  /** Canonical PKIX ("PUBLIC KEY") PEM with a trailing newline. */
  readonly publicKeyPem: string;
  /** Where the key came from (a file path or a label), for messages. */
  readonly source: string;
}

export interface SigningKey extends PublicKeyInfo {
  readonly privateKey: KeyObject;
}

/** A key could not be read, decrypted or used; the message says which file and how to fix it. */
export class KeyError extends CilockError {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

interface PemBlock {
  readonly label: string;
  readonly text: string;
  readonly encryptedLegacy: boolean;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    blocks.push({ label: match[1] as string, text: `${match[0]}\n`, encryptedLegacy: /Proc-Type:\s*4,ENCRYPTED/.test(match[0]) });
  }
  return blocks;
}

const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/** A BEGIN line with no matching END line after it (the file was cut short), if there is one. */
function unterminatedBlock(text: string, complete: readonly PemBlock[]): string | undefined {
  const begun = [...text.matchAll(PEM_BEGIN)].map((match) => match[1] as string);
  const ended = complete.map((block) => block.label);
  for (const label of ended) begun.splice(begun.indexOf(label), 1);
  return begun[0];
}

function truncatedMessage(what: string, source: string, label: string): string {
  return `${what} ${source} has a "-----BEGIN ${label}-----" line but no matching "-----END ${label}-----" line: the file is truncated (copy the whole file, from the BEGIN line through the END line)`;
}

/** Node's decoder errors are raw OpenSSL strings; this says what they mean for a PEM that looked whole. */
function damagedMessage(what: string, source: string, kind: string): string {
  return `${what} ${source}: the ${kind} data is damaged or incomplete (the file may be truncated or edited between its BEGIN and END lines); re-export or re-copy the key`;
}

/** RSA below 2048 bits is factorable with modest means; NIST SP 800-131A disallows it. */
const MIN_RSA_BITS = 2048;

const PRIVATE_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);
const PUBLIC_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE']);

const PASSPHRASE_HINT =
  'pass --signer-file-key-passphrase, --signer-file-key-passphrase-path FILE, or set AFLOCK_KEY_PASSPHRASE';

/** Parses a private key PEM. `source` names the file in messages. */
export function loadSigningKey(pemText: string, source: string, passphrase?: string): SigningKey {
  const blocks = pemBlocks(pemText);
  // `openssl ecparam -genkey` writes an EC PARAMETERS block first; it carries nothing we need.
  const block = blocks.find((b) => b.label !== 'EC PARAMETERS');
  const cut = unterminatedBlock(pemText, blocks);
  if (!block && cut !== undefined) throw new KeyError(truncatedMessage('key file', source, cut));
  if (!block) {
    throw new KeyError(`key file ${source} holds no PEM block; expected a private key such as "-----BEGIN PRIVATE KEY-----" (create one with: openssl genpkey -algorithm ed25519 -out key.pem)`);
  }
  if (PUBLIC_LABELS.has(block.label)) {
    throw new KeyError(`key file ${source} holds a ${block.label.toLowerCase()}, but signing needs the private key; pass the private key file to -k/--signer-file-key-path`);
  }
  if (!PRIVATE_LABELS.has(block.label)) {
    throw new KeyError(`key file ${source} starts with an unsupported PEM block "${block.label}"; expected PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY`);
  }
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || block.encryptedLegacy;
  if (encrypted && (passphrase === undefined || passphrase === '')) {
    throw new KeyError(`key file ${source} is encrypted and no passphrase was given: ${PASSPHRASE_HINT}`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(encrypted ? { key: block.text, format: 'pem', passphrase } : { key: block.text, format: 'pem' });
  } catch {
    if (encrypted) {
      throw new KeyError(`could not decrypt key file ${source}: the passphrase is wrong (check --signer-file-key-passphrase, --signer-file-key-passphrase-path or AFLOCK_KEY_PASSPHRASE), or the file is damaged`);
    }
    throw new KeyError(damagedMessage('key file', source, block.label.toLowerCase()));
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, ...describePublicKey(publicKey, source) };
}

/** Parses a public key (PKIX, PKCS#1 or the key inside an X.509 certificate). Private keys are refused. */
export function loadPublicKey(pemText: string, source: string): PublicKeyInfo {
  const blocks = pemBlocks(pemText);
  const block = blocks[0];
  const cut = unterminatedBlock(pemText, blocks);
  if (!block && cut !== undefined) throw new KeyError(truncatedMessage('public key file', source, cut));
  if (!block) {
    throw new KeyError(`public key file ${source} holds no PEM block; expected "-----BEGIN PUBLIC KEY-----" (derive it with: openssl pkey -in key.pem -pubout -out pub.pem)`);
  }
  if (PRIVATE_LABELS.has(block.label) || block.label === 'EC PARAMETERS') {
    throw new KeyError(`public key file ${source} holds a private key; verification takes the public key only (derive it with: openssl pkey -in ${source} -pubout -out pub.pem)`);
  }
  if (!PUBLIC_LABELS.has(block.label)) {
    throw new KeyError(`public key file ${source} starts with an unsupported PEM block "${block.label}"; expected PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE`);
  }
  let publicKey: KeyObject;
  try {
    publicKey = block.label === 'CERTIFICATE' ? new X509Certificate(block.text).publicKey : createPublicKey({ key: block.text, format: 'pem' });
  } catch {
    throw new KeyError(damagedMessage('public key file', source, block.label === 'CERTIFICATE' ? 'certificate' : block.label.toLowerCase()));
  }
  return describePublicKey(publicKey, source);
}

/** The canonical PKIX PEM of a public key: Node writes 64-column lines and a trailing newline, as Go does. */
export function canonicalPublicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(canonicalPublicKeyPem(publicKey), 'utf8').digest('hex');
}

function describePublicKey(publicKey: KeyObject, source: string): PublicKeyInfo {
  const algorithm = algorithmOf(publicKey, source);
  const publicKeyPem = canonicalPublicKeyPem(publicKey);
  return { publicKey, algorithm, keyid: keyIdOf(publicKey), publicKeyPem, source };
}

const CURVES: Record<string, KeyAlgorithm> = {
  prime256v1: 'ecdsa-p256',
  secp384r1: 'ecdsa-p384',
  secp521r1: 'ecdsa-p521',
};

function algorithmOf(key: KeyObject, source: string): KeyAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return 'ed25519';
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) {
      throw new KeyError(`key ${source} is a ${bits}-bit RSA key; cilock requires RSA keys of at least ${MIN_RSA_BITS} bits (create one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out key.pem), or use Ed25519`);
    }
    return 'rsa-pss-sha256';
  }
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
    const algorithm = CURVES[curve];
    if (algorithm) return algorithm;
    throw new KeyError(`key ${source} uses the elliptic curve ${curve}; supported curves are P-256, P-384 and P-521`);
  }
  throw new KeyError(`key ${source} has the unsupported type ${type ?? 'unknown'}; use Ed25519, ECDSA (P-256/P-384/P-521) or RSA`);
}

/**
 * Signs `data` (the PAE bytes): pure Ed25519; ECDSA over SHA-256 on every curve with an ASN.1 DER
 * signature; RSA-PSS with SHA-256, MGF1-SHA-256 and the maximum salt length.
 */
export function signBytes(key: SigningKey, data: Uint8Array): Buffer {
  switch (key.algorithm) {
    case 'ed25519':
      return sign(null, data, key.privateKey);
    case 'rsa-pss-sha256':
      return sign('sha256', data, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN });
    default:
      return sign('sha256', data, { key: key.privateKey, dsaEncoding: 'der' });
  }
}

/** Checks a signature made by `signBytes` (RSA-PSS salt length auto-detected). Never throws on a bad signature. */
export function verifyBytes(key: PublicKeyInfo, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    switch (key.algorithm) {
      case 'ed25519':
        return verify(null, data, key.publicKey, signature);
      case 'rsa-pss-sha256':
        return verify('sha256', data, { key: key.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
      default:
        return verify('sha256', data, { key: key.publicKey, dsaEncoding: 'der' }, signature);
    }
  } catch {
    return false;
  }
}
