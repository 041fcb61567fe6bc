/**
 * DSSE envelopes: `{payload, payloadType, signatures:[{keyid, sig}]}` with standard padded
 * base64, signed over the PAE of the exact payload bytes.
 */
import { pae } from './pae.js';
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

/** An envelope whose shape was checked, with its payload decoded once. */
export interface ParsedEnvelope {
  readonly envelope: DsseEnvelope;
  readonly payloadBytes: Buffer;
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

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes standard, padded base64 (RFC 4648 §4) and refuses anything else, as the upstream decoder does. */
export function decodeStrictBase64(text: string, what: string): Buffer {
  if (!STANDARD_BASE64.test(text)) {
    throw new EnvelopeError(`${what} is not standard padded base64`);
  }
  return Buffer.from(text, 'base64');
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
  const payloadBytes = decodeStrictBase64(record.payload, `${source}: DSSE payload`);
  return { envelope: { payload: record.payload, payloadType: record.payloadType, signatures }, payloadBytes, source };
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
  const message = pae(parsed.envelope.payloadType, parsed.payloadBytes);
  return parsed.envelope.signatures.map((signature, index) => {
    let sigBytes: Buffer;
    try {
      sigBytes = decodeStrictBase64(signature.sig, `signatures[${index}].sig`);
    } catch (error) {
      return { index, envelopeKeyid: signature.keyid, verifiedBy: [], error: (error as Error).message };
    }
    const verifiedBy = keys.filter((key) => verifyBytes(key, message, sigBytes)).map((key) => key.keyid);
    return { index, envelopeKeyid: signature.keyid, verifiedBy: [...new Set(verifiedBy)] };
  });
}
