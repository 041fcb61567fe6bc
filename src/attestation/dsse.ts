/**
 * DSSE envelopes: `{payload, payloadType, signatures:[{keyid, sig}]}` with standard padded
 * base64, signed over the PAE of the exact payload bytes.
 */
import { pae, paeHeader } from './pae.js';
import { signBytes, verifyBytes, type PublicKeyInfo, type SigningKey } from './keys.js';

export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseSignature {
  keyid: string;
  sig: string;
  certificate?: string;
  intermediates?: string[];
  timestamps?: { type: string; data: string }[];
}

export interface DsseEnvelope {
  payload: string;
  payloadType: string;
  signatures: DsseSignature[];
}

/**
 * An envelope whose shape was checked, with its payload decoded once. The base64 text is not kept:
 * for a large payload it is the biggest thing in memory.
 */
export interface ParsedEnvelope {
  readonly envelope: Omit<DsseEnvelope, 'payload'>;
  readonly payloadBytes: Buffer;
  /** The PAE the signatures cover; `payloadBytes` is a view into its tail. */
  readonly paeBytes: Buffer;
  readonly source: string;
}

export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

export function signEnvelope(payload: Uint8Array, payloadType: string, key: SigningKey): DsseEnvelope {
  const sig = signBytes(key, pae(payloadType, payload));
  return {
    payload: Buffer.from(payload).toString('base64'),
    payloadType,
    signatures: [{ keyid: key.keyid, sig: sig.toString('base64') }],
  };
}

const BASE64_ALPHABET = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64_ALPHABET[ch.charCodeAt(0)] = 1;

/**
 * The decoded length of standard, padded base64 (RFC 4648 §4), or -1 when `text` is anything else.
 * A single linear scan: a regular expression over a multi-megabyte payload overflows the stack.
 */
function strictBase64Length(text: string): number {
  if (text.length % 4 !== 0) return -1;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const end = text.length - padding;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || BASE64_ALPHABET[code] !== 1) return -1;
  }
  return (text.length / 4) * 3 - padding;
}

/** Decodes standard, padded base64 (RFC 4648 §4) and refuses anything else, as the upstream decoder does. */
export function decodeStrictBase64(text: string, what: string): Buffer {
  return decodeAfterHeader(text, what, () => Buffer.alloc(0));
}

/** Decodes into one new buffer that starts with `headerFor(decodedLength)`, so no copy of the body is needed. */
function decodeAfterHeader(text: string, what: string, headerFor: (decodedLength: number) => Buffer): Buffer {
  const length = strictBase64Length(text);
  if (length < 0) throw new EnvelopeError(`${what} is not standard padded base64`);
  const header = headerFor(length);
  const out = Buffer.allocUnsafe(header.length + length);
  header.copy(out, 0);
  if (out.write(text, header.length, 'base64') !== length) throw new EnvelopeError(`${what} is not standard padded base64`);
  return out;
}

/** Parses envelope JSON text and checks its shape; `source` names the file in messages. */
export function parseEnvelope(text: string, source: string): ParsedEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EnvelopeError(`${source} is not JSON (${(error as Error).message}); expected a DSSE envelope written by cilock run`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EnvelopeError(`${source} is not a DSSE envelope: expected a JSON object with payload, payloadType and signatures`);
  }
  const record = value as Record<string, unknown>;
  if (typeof record.payload !== 'string') throw new EnvelopeError(`${source}: DSSE field "payload" is missing or not a string`);
  if (typeof record.payloadType !== 'string') throw new EnvelopeError(`${source}: DSSE field "payloadType" is missing or not a string`);
  if (!Array.isArray(record.signatures) || record.signatures.length === 0) {
    throw new EnvelopeError(`${source}: DSSE field "signatures" must be a non-empty array`);
  }
  const signatures: DsseSignature[] = record.signatures.map((entry: unknown, index: number) => {
    const sig = entry as Record<string, unknown> | null;
    if (typeof sig !== 'object' || sig === null || typeof sig.sig !== 'string') {
      throw new EnvelopeError(`${source}: signatures[${index}] has no "sig" string`);
    }
    return { ...(sig as object), keyid: typeof sig.keyid === 'string' ? sig.keyid : '', sig: sig.sig } as DsseSignature;
  });
  // Decode straight into the PAE buffer: a 100 MB payload is then held once, not three times.
  const payloadType = record.payloadType;
  let headerLength = 0;
  const paeBytes = decodeAfterHeader(record.payload, `${source}: DSSE payload`, (length) => {
    const header = paeHeader(payloadType, length);
    headerLength = header.length;
    return header;
  });
  const payloadBytes = paeBytes.subarray(headerLength);
  return { envelope: { payloadType: record.payloadType, signatures }, payloadBytes, paeBytes, source };
}

export interface SignatureCheck {
  readonly index: number;
  readonly envelopeKeyid: string;
  /** keyids of the supplied keys that verify this signature (empty when none does). */
  readonly verifiedBy: string[];
  readonly error?: string;
}

/**
 * Tries every supplied key against every signature over the PAE. The envelope's `keyid` is
 * informational only and never used for matching.
 */
export function checkSignatures(parsed: ParsedEnvelope, keys: readonly PublicKeyInfo[]): SignatureCheck[] {
  const message = parsed.paeBytes;
  // A repeated signature is checked once: each check hashes the whole payload.
  const seen = new Map<string, Omit<SignatureCheck, 'index' | 'envelopeKeyid'>>();
  return parsed.envelope.signatures.map((signature, index) => {
    let result = seen.get(signature.sig);
    if (result === undefined) {
      result = checkOne(signature.sig, index, message, keys);
      seen.set(signature.sig, result);
    }
    return { index, envelopeKeyid: signature.keyid, ...result };
  });
}

function checkOne(sig: string, index: number, message: Buffer, keys: readonly PublicKeyInfo[]): Omit<SignatureCheck, 'index' | 'envelopeKeyid'> {
  let sigBytes: Buffer;
  try {
    sigBytes = decodeStrictBase64(sig, `signatures[${index}].sig`);
  } catch (error) {
    return { verifiedBy: [], error: (error as Error).message };
  }
  const verifiedBy = keys.filter((key) => verifyBytes(key, message, sigBytes)).map((key) => key.keyid);
  return { verifiedBy: [...new Set(verifiedBy)] };
}
