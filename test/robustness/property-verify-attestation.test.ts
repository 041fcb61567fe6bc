import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INTOTO_PAYLOAD_TYPE, signEnvelope } from '../../src/attestation/dsse.js';
import { evaluatePolicy, parsePolicy } from '../../src/attestation/policy.js';
import { COLLECTION_PREDICATE_TYPE, STATEMENT_TYPE } from '../../src/attestation/statement.js';
import { MATERIAL_V03_TYPE, PRODUCT_V03_TYPE, verifyAttestation, type VerifiedAttestation } from '../../src/attestation/verify.js';
import { ed25519Key } from './support.js';

const key = ed25519Key();
const SARIF = 'https://aflock.ai/attestations/sarif/v0.1';
const policy = parsePolicy(JSON.stringify({
  steps: {
    scan: { name: 'scan', functionaries: [{ type: 'publickey', publickeyid: key.publicKey.keyid }], attestations: [{ type: SARIF, celpolicies: [{ name: 'few', expression: 'size(input.report.runs[0].results) <= 10' }] }, { type: PRODUCT_V03_TYPE }] },
  },
}), 'policy.json');

function isVerdict(result: VerifiedAttestation): void {
  expect(result.checks.length).toBeGreaterThan(0);
  for (const check of result.checks) {
    expect(typeof check.name).toBe('string');
    expect(typeof check.detail).toBe('string');
  }
  expect(result.passed).toBe(result.checks.every((check) => check.passed));
  for (const check of evaluatePolicy(policy, [result])) expect(typeof check.detail).toBe('string');
}

const anything = fc.jsonValue({ maxDepth: 4 });
const entry = fc.oneof(anything, fc.record({ type: fc.oneof(fc.constantFrom(SARIF, MATERIAL_V03_TYPE, PRODUCT_V03_TYPE), anything), attestation: anything }, { requiredKeys: [] }));
const statement = fc.oneof(
  anything,
  fc.record(
    {
      _type: fc.oneof(fc.constant(STATEMENT_TYPE), anything),
      subject: fc.oneof(fc.array(fc.oneof(anything, fc.record({ name: fc.oneof(fc.string(), anything), digest: anything }, { requiredKeys: [] }))), anything),
      predicateType: fc.oneof(fc.constant(COLLECTION_PREDICATE_TYPE), anything),
      predicate: fc.oneof(anything, fc.record({ name: fc.oneof(fc.constant('scan'), anything), attestations: fc.oneof(fc.array(entry), anything) }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  ),
);

describe('verifyAttestation on arbitrary input always gives a verdict', () => {
  it('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => isVerdict(verifyAttestation(text, 'prop.json', [key.publicKey]))), { numRuns: 300 });
  });

  it('arbitrary JSON', () => {
    fc.assert(fc.property(fc.json(), (text) => isVerdict(verifyAttestation(text, 'prop.json', [key.publicKey]))), { numRuns: 300 });
  });

  it('genuinely signed envelopes around arbitrary statements', () => {
    fc.assert(
      fc.property(statement, (value) => {
        const envelope = signEnvelope(Buffer.from(JSON.stringify(value) ?? 'null'), INTOTO_PAYLOAD_TYPE, key.signing);
        const result = verifyAttestation(JSON.stringify(envelope), 'prop.json', [key.publicKey]);
        expect(result.signerKeyids).toEqual([key.publicKey.keyid]);
        isVerdict(result);
      }),
      { numRuns: 1000 },
    );
  });
});
