import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EnvelopeError, parseEnvelope } from '../../src/attestation/dsse.js';

/** parseEnvelope either returns a parsed envelope or throws an EnvelopeError with a message; nothing else. */
function parsesOrRefuses(text: string | Buffer): void {
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

/** The outcome of parsing, comparable across the text and bytes paths. */
function outcome(input: string | Buffer): unknown {
  try {
    const parsed = parseEnvelope(input, 'prop.json');
    return { payload: parsed.payloadBytes.toString('hex'), pae: parsed.paeBytes.toString('hex'), envelope: parsed.envelope };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const sig = '{"keyid":"k","sig":"AAAA"}';
const tricky = [
  `{"payload":"AAAA","payloadType":"t","signatures":[${sig}]}`,
  `{"payload":"AAAA","payload":"BBBB","payloadType":"t","signatures":[${sig}]}`,
  `{"pay\\u006coad":"AAAA","payload":"BBBB","payloadType":"t","signatures":[${sig}]}`,
  `{"payload":"BBBB","pay\\u006coad":"AAAA","payloadType":"t","signatures":[${sig}]}`,
  `{"x":{"payload":"AAAA"},"payload":"BBBB","payloadType":"t","signatures":[${sig}]}`,
  `{"x":"\\"payload\\":","payload":"BBBB","payloadType":"t","signatures":[${sig}]}`,
  `{"payload":7,"payloadType":"t","signatures":[${sig}]}`,
  `{"payload":"AA=A","payloadType":"t","signatures":[${sig}]}`,
  `{"payload":"","payloadType":"t","signatures":[${sig}]}`,
  `{"payload":"AAAA","payloadType":"t","signatures":[${sig}]`,
  `["payload","AAAA"]`,
  `{"payload" : "AAAA" , "payloadType":"t","signatures":[${sig}]}`,
];

describe('parseEnvelope from bytes agrees with parsing the text', () => {
  it.each(tricky)('%s', (text) => {
    expect(outcome(Buffer.from(text))).toEqual(outcome(text));
  });

  it('on arbitrary envelope-shaped JSON', () => {
    fc.assert(fc.property(envelopeLike, (value) => {
      const text = JSON.stringify(value);
      expect(outcome(Buffer.from(text))).toEqual(outcome(text));
    }), { numRuns: 1000 });
  });
});

describe('parseEnvelope on arbitrary input', () => {
  it('arbitrary strings, as text and as bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      parsesOrRefuses(text);
      parsesOrRefuses(Buffer.from(text));
    }), { numRuns: 500 });
  });

  it('arbitrary JSON', () => {
    fc.assert(fc.property(fc.json(), parsesOrRefuses), { numRuns: 500 });
  });

  it('envelope-shaped JSON with arbitrary fields', () => {
    fc.assert(fc.property(envelopeLike, (value) => parsesOrRefuses(JSON.stringify(value))), { numRuns: 1000 });
  });
});
