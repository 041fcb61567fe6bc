import { describe, expect, it } from 'vitest';
import { pae } from '../../../src/attestation/pae.js';
import { goJson } from '../../../src/attestation/json.js';
import { rfc3339Nano } from '../../../src/attestation/time.js';

describe('pae', () => {
  it('encodes the DSSE v1 example from the spec', () => {
    expect(pae('application/vnd.in-toto+json', Buffer.from('{"a":1}')).toString()).toBe('DSSEv1 28 application/vnd.in-toto+json 7 {"a":1}');
  });

  it('counts bytes, not characters', () => {
    const body = Buffer.from('é', 'utf8');
    expect(pae('t', body).toString('utf8')).toBe('DSSEv1 1 t 2 é');
  });

  it('handles an empty payload', () => {
    expect(pae('x', Buffer.alloc(0)).toString()).toBe('DSSEv1 1 x 0 ');
  });
});

describe('goJson', () => {
  it('escapes HTML characters and line separators the way Go does', () => {
    expect(goJson({ a: '<b>&\u2028' })).toBe('{"a":"\\u003cb\\u003e\\u0026\\u2028"}');
  });
});

describe('rfc3339Nano', () => {
  it('trims trailing zeros of the fraction', () => {
    expect(rfc3339Nano(1_780_000_000_123_400n)).toBe('2026-05-28T20:26:40.1234Z');
    expect(rfc3339Nano(1_780_000_000_000_000n)).toBe('2026-05-28T20:26:40Z');
  });
});
