/** The envelope's shape is checked by one zod schema; each refusal names the field and the file. */
import { describe, expect, it } from 'vitest';
import { EnvelopeError, parseEnvelope } from '../../../src/attestation/dsse.js';

const sig = { keyid: 'k', sig: 'AAAA' };
const envelope = (fields: Record<string, unknown>) => JSON.stringify({ payload: 'e30=', payloadType: 'application/vnd.in-toto+json', signatures: [sig], ...fields });

describe('DSSE envelope shape', () => {
  it.each([
    [{ payload: 5 }, 'att.json: DSSE field "payload" is missing or not a string'],
    [{ payloadType: undefined }, 'att.json: DSSE field "payloadType" is missing or not a string'],
    [{ signatures: [] }, 'att.json: DSSE field "signatures" must be a non-empty array'],
    [{ signatures: {} }, 'att.json: DSSE field "signatures" must be a non-empty array'],
    [{ signatures: [sig, { keyid: 'x' }] }, 'att.json: DSSE field "signatures[1].sig": missing or not a string'],
    [{ signatures: [{ ...sig, certificate: 5 }] }, 'att.json: DSSE field "signatures[0].certificate": Invalid input: expected string, received number'],
    [{ signatures: [{ ...sig, timestamps: [{ type: 'tsp' }] }] }, 'att.json: DSSE field "signatures[0].timestamps[0].data": Invalid input: expected string, received undefined'],
  ])('%j is refused', (fields, message) => {
    const parse = () => parseEnvelope(envelope(fields), 'att.json');
    expect(parse).toThrow(EnvelopeError);
    expect(parse).toThrow(message);
  });

  it('reads a missing or non-string keyid as empty and keeps the typed signature fields', () => {
    const parsed = parseEnvelope(envelope({ signatures: [{ sig: 'AAAA', keyid: 7, certificate: 'Y2VydA==', intermediates: ['aQ=='], timestamps: [{ type: 'tsp', data: 'ZA==' }] }] }), 'att.json');
    expect(parsed.envelope.signatures).toEqual([{ keyid: '', sig: 'AAAA', certificate: 'Y2VydA==', intermediates: ['aQ=='], timestamps: [{ type: 'tsp', data: 'ZA==' }] }]);
    expect(parsed.payloadBytes.toString()).toBe('{}');
  });
});
