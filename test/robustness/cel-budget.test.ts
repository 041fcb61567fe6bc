import { afterAll, describe, expect, it } from 'vitest';
import { evaluatePolicy, parsePolicy } from '../../src/attestation/policy.js';
import { verifyAttestation } from '../../src/attestation/verify.js';
import { collection, ed25519Key, signStatement, statementWith, workDir } from './support.js';

const work = workDir('cilock-cel-');
afterAll(work.cleanup);
const key = ed25519Key();
const SARIF = 'https://aflock.ai/attestations/sarif/v0.1';

describe('CEL expressions have an evaluation budget', () => {
  it('an expression over budget fails its own check, named, saying it exceeded the budget', () => {
    const items = Array.from({ length: 200 }, (_, i) => i);
    const envelope = signStatement(statementWith(collection('scan', [{ type: SARIF, attestation: { items } }])), key);
    const verified = verifyAttestation(JSON.stringify(envelope), 'att.json', [key.publicKey]);
    // 200^4 = 1.6e9 iterations: hours without a budget.
    const quartic = 'input.items.all(a, input.items.all(b, input.items.all(c, input.items.all(d, a + b + c + d >= 0))))';
    const policy = parsePolicy(JSON.stringify({
      steps: { scan: { name: 'scan', functionaries: [{ type: 'publickey', publickeyid: key.publicKey.keyid }], attestations: [{ type: SARIF, celpolicies: [{ name: 'quartic', expression: quartic }, { name: 'cheap', expression: 'size(input.items) == 200' }] }] } },
    }), 'policy.json');
    const started = Date.now();
    const checks = evaluatePolicy(policy, [verified]);
    expect(Date.now() - started).toBeLessThan(30_000);
    const quarticCheck = checks.find((check) => check.name === 'step:scan:cel:quartic');
    expect(quarticCheck?.passed).toBe(false);
    expect(quarticCheck?.detail).toMatch(/exceeded the evaluation budget/);
    expect(checks.find((check) => check.name === 'step:scan:cel:cheap')?.passed).toBe(true);
    expect(checks.find((check) => check.name === 'step:scan')?.passed).toBe(false);
  });
});
