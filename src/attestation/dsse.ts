/**
 * DSSE envelopes: `{payload, payloadType, signatures:[{keyid, sig}]}` with standard padded
 * base64, signed over the PAE of the exact payload bytes.
 */
import { z } from 'zod';
import { pae, paeHeader } from './pae.js';
import { signBytes, verifyBytes, type PublicKeyInfo, type SigningKey } from './keys.js';
import { CilockError } from '../util/errors.js';

export { INTOTO_PAYLOAD_TYPE } from './payload-types.js';

/**
 * One signature. `keyid` is informational (never used for matching), so a missing or non-string
 * one reads as ''. `certificate` and `intermediates` are base64 of PEM, `timestamps[].data` the
 * base64 of a DER RFC 3161 TimeStampToken.
 */
const signatureSchema = z.object({
  keyid: z.unknown().transform((value) => (typeof value === 'string' ? value : '')),
  sig: z.string({ error: 'missing or not a string' }),
  certificate: z.string().optional(),
  intermediates: z.array(z.string()).optional(),
  timestamps: z.array(z.object({ type: z.string(), data: z.string() })).optional(),
});

export const envelopeSchema = z.object({
  payload: z.string({ error: 'DSSE field "payload" is missing or not a string' }),
  payloadType: z.string({ error: 'DSSE field "payloadType" is missing or not a string' }),
  signatures: z.array(signatureSchema, { error: 'DSSE field "signatures" must be a non-empty array' }).min(1, 'DSSE field "signatures" must be a non-empty array'),
});

export type DsseSignature = z.infer<typeof signatureSchema>;
export type DsseEnvelope = z.infer<typeof envelopeSchema>;

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

export class EnvelopeError extends CilockError {
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
function strictBase64Length(text: string | Uint8Array): number {
  const length = text.length;
  if (length % 4 !== 0) return -1;
  const at = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i] as number;
  const EQUALS = 0x3d;
  const padding = length >= 2 && at(length - 1) === EQUALS ? (at(length - 2) === EQUALS ? 2 : 1) : 0;
  const end = length - padding;
  // Two plain loops, not one through `at`: the per-character call dominated large envelopes.
  if (typeof text === 'string') {
    for (let i = 0; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code >= 128 || BASE64_ALPHABET[code] !== 1) return -1;
    }
  } else {
    for (let i = 0; i < end; i++) {
      const code = text[i] as number;
      if (code >= 128 || BASE64_ALPHABET[code] !== 1) return -1;
    }
  }
  return (length / 4) * 3 - padding;
}

/** Decodes standard, padded base64 (RFC 4648 §4) and refuses anything else, as the upstream decoder does. */
export function decodeStrictBase64(text: string, what: string): Buffer {
  return decodeAfterHeader(text, what, () => Buffer.alloc(0));
}

/** Decodes into one new buffer that starts with `headerFor(decodedLength)`, so no copy of the body is needed. */
function decodeAfterHeader(text: string | Buffer, what: string, headerFor: (decodedLength: number) => Buffer): Buffer {
  const length = strictBase64Length(text);
  if (length < 0) throw new EnvelopeError(`${what} is not standard padded base64`);
  const header = headerFor(length);
  const out = Buffer.allocUnsafe(header.length + length);
  header.copy(out, 0);
  let written = header.length;
  if (typeof text === 'string') {
    written += out.write(text, written, 'base64');
  } else {
    // Bytes are decoded a slice at a time (a multiple of 4 characters), never as one big string.
    for (let offset = 0; offset < text.length; offset += DECODE_SLICE) {
      written += out.write(text.toString('latin1', offset, Math.min(offset + DECODE_SLICE, text.length)), written, 'base64');
    }
  }
  if (written !== out.length) throw new EnvelopeError(`${what} is not standard padded base64`);
  return out;
}

const DECODE_SLICE = 4 * 256 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index of the quote that closes the JSON string opening at `start`, or -1. */
function stringEnd(bytes: Uint8Array, start: number): number {
  for (let i = start + 1; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === BACKSLASH) i++;
    else if (byte === QUOTE) return i;
  }
  return -1;
}

/**
 * Where the top-level `"payload"` string's contents sit in envelope bytes, found in one pass that
 * only tracks strings and nesting. Anything unusual (no such key, two of them, a non-string
 * value) gives undefined and the caller parses the whole text the ordinary way.
 */
function payloadSpan(bytes: Uint8Array): [number, number] | undefined {
  let depth = 0;
  let expectKey = false;
  let afterPayloadKey = false;
  let span: [number, number] | undefined;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      const end = stringEnd(bytes, i);
      if (end < 0) return undefined;
      if (depth === 1 && expectKey) {
        afterPayloadKey = end - i === 8 && Buffer.from(bytes.buffer, bytes.byteOffset + i + 1, 7).toString('latin1') === 'payload';
        expectKey = false;
      } else if (depth === 1 && afterPayloadKey) {
        if (span) return undefined;
        span = [i + 1, end];
        afterPayloadKey = false;
      }
      i = end;
    } else if (byte === 0x7b || byte === 0x5b) {
      depth++;
      if (depth === 1) expectKey = byte === 0x7b;
      else if (depth === 2) afterPayloadKey = false;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    } else if (byte === 0x2c && depth === 1) {
      expectKey = true;
      afterPayloadKey = false;
    }
  }
  return span;
}

/**
 * Parses an envelope (JSON text, or the file's bytes) and checks its shape; `source` names the file
 * in messages. From bytes, the base64 payload is decoded straight from the file and only the rest
 * of the envelope becomes a string, so a large payload is never held as text twice.
 */
export function parseEnvelope(input: string | Buffer, source: string): ParsedEnvelope {
  if (typeof input !== 'string') {
    const span = payloadSpan(input);
    if (span && strictBase64Length(input.subarray(span[0], span[1])) >= 0) {
      const rest = Buffer.concat([input.subarray(0, span[0]), input.subarray(span[1])]).toString('utf8');
      try {
        const parsed = parseEnvelopeText(rest, source, input.subarray(span[0], span[1]));
        if (parsed) return parsed;
      } catch {
        // Refused: parse the whole text below, so the message is about the file as written.
      }
    }
    return parseEnvelope(input.toString('utf8'), source);
  }
  return parseEnvelopeText(input, source) as ParsedEnvelope;
}

/**
 * `payload` given: the text is the envelope with its payload string emptied, and undefined is
 * returned when the parsed text does not agree (JSON.parse saw another "payload" key).
 */
function parseEnvelopeText(text: string, source: string, payload?: Buffer): ParsedEnvelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EnvelopeError(`${source} is not JSON (${(error as Error).message}); expected a DSSE envelope written by cilock run`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EnvelopeError(`${source} is not a DSSE envelope: expected a JSON object with payload, payloadType and signatures`);
  }
  if (payload !== undefined && (value as Record<string, unknown>).payload !== '') return undefined;
  const result = envelopeSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    // Top-level messages name their field; deeper ones get the path, as `signatures[1].timestamps[0].data`.
    const path = (issue?.path ?? []).map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').slice(1);
    const deep = (issue?.path.length ?? 0) > 1;
    throw new EnvelopeError(`${source}: ${deep ? `DSSE field "${path}": ` : ''}${issue?.message ?? 'not a DSSE envelope'}`);
  }
  const record = result.data;
  const signatures = record.signatures;
  // Decode straight into the PAE buffer: a 100 MB payload is then held once, not three times.
  const payloadType = record.payloadType;
  let headerLength = 0;
  const paeBytes = decodeAfterHeader(payload ?? record.payload, `${source}: DSSE payload`, (length) => {
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
