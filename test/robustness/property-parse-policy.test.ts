import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluatePolicy, parsePolicy, policyPublicKeys, PolicyError } from '../../src/attestation/policy.js';
import { KeyError } from '../../src/attestation/keys.js';

/** parsePolicy returns a policy that evaluates without throwing, or throws a PolicyError with a message. */
function parsesOrRefuses(text: string): void {
  let policy;
  try {
    policy = parsePolicy(text, 'prop-policy.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toMatch(/^policy prop-policy\.json/);
    return;
  }
  try {
    policyPublicKeys(policy, 'prop-policy.json');
  } catch (error) {
    expect(error instanceof PolicyError || error instanceof KeyError).toBe(true);
  }
  for (const check of evaluatePolicy(policy, [])) expect(typeof check.detail).toBe('string');
}

const anything = fc.jsonValue({ maxDepth: 3 });
const stepName = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'scan'), fc.string());
const policyLike = fc.record(
  {
    expires: fc.oneof(fc.constant('2099-01-01T00:00:00Z'), anything),
    steps: fc.oneof(
      fc.dictionary(stepName, fc.oneof(anything, fc.record({ name: fc.oneof(stepName, anything), functionaries: fc.oneof(fc.array(fc.record({ type: fc.oneof(fc.constantFrom('publickey', 'root'), anything), publickeyid: fc.oneof(fc.string(), anything) }, { requiredKeys: [] })), anything), attestations: fc.oneof(fc.array(fc.oneof(anything, fc.record({ type: fc.oneof(fc.string(), anything), celpolicies: fc.oneof(fc.array(fc.record({ name: fc.string(), expression: fc.oneof(fc.constantFrom('true', 'input.x == 1', '1 +'), fc.string()) })), anything) }, { requiredKeys: [] }))), anything) }, { requiredKeys: [] }))),
      anything,
    ),
    publickeys: fc.oneof(fc.dictionary(fc.string(), fc.oneof(anything, fc.record({ keyid: fc.string(), key: fc.oneof(fc.base64String(), anything) }, { requiredKeys: [] }))), anything),
    roots: anything,
  },
  { requiredKeys: [] },
);

describe('parsePolicy on arbitrary input', () => {
  it('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), parsesOrRefuses), { numRuns: 300 });
  });

  it('arbitrary JSON', () => {
    fc.assert(fc.property(fc.json(), parsesOrRefuses), { numRuns: 500 });
  });

  it('policy-shaped JSON with arbitrary fields (including __proto__ step names)', () => {
    // JSON.stringify writes "__proto__" dictionary keys as own keys, as a policy file would.
    fc.assert(fc.property(policyLike, (value) => parsesOrRefuses(JSON.stringify(value))), { numRuns: 1000 });
  });
});
