import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeName, encodeName } from '../../src/files/path-encoding.js';

const bytes = fc.uint8Array({ maxLength: 64 }).map((array) => Buffer.from(array));
// Bytes biased towards the UTF-8 edge cases: continuation bytes, lead bytes, surrogate and overlong forms.
const edgy = fc.array(fc.constantFrom(0x00, 0x2f, 0x25, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0xa0, 0xb3), { maxLength: 24 }).map((array) => Buffer.from(array));

describe('leaf path encoding', () => {
  it('round-trips every byte string', () => {
    fc.assert(
      fc.property(fc.oneof(bytes, edgy), (name) => {
        expect(decodeName(encodeName(name)).equals(name)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('is injective: distinct byte strings never share an encoding', () => {
    fc.assert(
      fc.property(fc.oneof(bytes, edgy), fc.oneof(bytes, edgy), (a, b) => {
        fc.pre(!a.equals(b));
        expect(encodeName(a)).not.toBe(encodeName(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves valid UTF-8 unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => {
        expect(encodeName(Buffer.from(text, 'utf8'))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes each byte of an invalid sequence as a lone surrogate', () => {
    expect(encodeName(Buffer.from([0x70, 0xff]))).toBe('p\udcff');
    // An encoded surrogate (CESU-style) is not valid UTF-8: each of its bytes is escaped.
    expect(encodeName(Buffer.from([0xed, 0xb3, 0xbf]))).toBe('\udced\udcb3\udcbf');
    // Overlong form of "/" and a truncated sequence.
    expect(encodeName(Buffer.from([0xc0, 0xaf]))).toBe('\udcc0\udcaf');
    expect(encodeName(Buffer.from([0x61, 0xe2, 0x82]))).toBe('a\udce2\udc82');
  });
});
