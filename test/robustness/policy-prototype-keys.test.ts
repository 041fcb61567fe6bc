import { afterAll, describe, expect, it } from 'vitest';
import { evaluatePolicy, parsePolicy, policyPublicKeys } from '../../src/attestation/policy.js';
import { verifyAttestation } from '../../src/attestation/verify.js';
import { collection, ed25519Key, signStatement, statementWith, workDir } from './support.js';

const work = workDir('cilock-proto-');
afterAll(work.cleanup);
const key = ed25519Key();
const SARIF = 'https://aflock.ai/attestations/sarif/v0.1';
const stepNamed = (name: string) => ({ name, functionaries: [{ type: 'publickey', publickeyid: key.publicKey.keyid }], attestations: [{ type: SARIF }] });

describe('steps named __proto__ or constructor are real steps', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('%s', (name) => {
    // Written as text: an object literal's "__proto__" key would set the prototype instead.
    const text = `{"steps": {${JSON.stringify(name)}: ${JSON.stringify(stepNamed(name))}}}`;
    const policy = parsePolicy(text, 'policy.json');
    expect([...policy.steps.keys()]).toEqual([name]);
    expect(({} as Record<string, unknown>).name).toBeUndefined();

    const unmatched = evaluatePolicy(policy, []);
    expect(unmatched).toEqual([expect.objectContaining({ name: `step:${name}`, passed: false })]);

    const envelope = signStatement(statementWith(collection(name, [{ type: SARIF, attestation: {} }])), key);
    const verified = verifyAttestation(JSON.stringify(envelope), 'att.json', [key.publicKey]);
    const checks = evaluatePolicy(policy, [verified]);
    expect(checks.find((check) => check.name === `step:${name}`)?.passed).toBe(true);
  });

  it('a publickeys entry named __proto__ is checked, not dropped', () => {
    const encoded = Buffer.from(key.publicPem).toString('base64');
    const text = `{"steps": {"scan": ${JSON.stringify(stepNamed('scan'))}}, "publickeys": {"__proto__": {"keyid": "__proto__", "key": "${encoded}"}}}`;
    const policy = parsePolicy(text, 'policy.json');
    expect(() => policyPublicKeys(policy, 'policy.json')).toThrow(/publickeys\["__proto__"\] declares keyid __proto__ but the key's keyid is/);
  });
});
