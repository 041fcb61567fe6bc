import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EnvelopeError, parseEnvelope } from '../../src/attestation/dsse.js';

/** parseEnvelope either returns a parsed envelope or throws an EnvelopeError with a message; nothing else. */
function parsesOrRefuses(text: string): void {
  try {
    const parsed = parseEnvelope(text, 'prop.json');
    expect(Buffer.isBuffer(parsed.payloadBytes)).toBe(true);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeError);
    expect((error as Error).message).toMatch(/^prop\.json/);
  }
}

// Valid base64, near misses (URL-safe alphabet, stray padding or whitespace) and anything at all.
const base64ish = fc.oneof(
  fc.base64String(),
  fc.base64String().map((text) => text.replace(/\+/g, '-').replace(/\//g, '_')),
  fc.base64String().map((text) => `${text}=`),
  fc.base64String().map((text) => ` ${text}\n`),
  fc.string(),
);
const envelopeLike = fc.record(
  {
    payload: fc.oneof(base64ish, fc.jsonValue()),
    payloadType: fc.oneof(fc.constant('application/vnd.in-toto+json'), fc.jsonValue()),
    signatures: fc.oneof(fc.array(fc.oneof(fc.record({ keyid: fc.oneof(fc.string(), fc.jsonValue()), sig: fc.oneof(base64ish, fc.jsonValue()) }, { requiredKeys: [] }), fc.jsonValue())), fc.jsonValue()),
  },
  { requiredKeys: [] },
);

describe('parseEnvelope on arbitrary input', () => {
  it('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), parsesOrRefuses), { numRuns: 500 });
  });

  it('arbitrary JSON', () => {
    fc.assert(fc.property(fc.json(), parsesOrRefuses), { numRuns: 500 });
  });

  it('envelope-shaped JSON with arbitrary fields', () => {
    fc.assert(fc.property(envelopeLike, (value) => parsesOrRefuses(JSON.stringify(value))), { numRuns: 1000 });
  });
});
