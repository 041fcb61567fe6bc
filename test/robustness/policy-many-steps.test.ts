import { afterAll, describe, expect, it } from 'vitest';
import { executeVerify, formatVerdict } from '../../src/cli/verify.js';
import { collection, ed25519Key, signStatement, statementWith, workDir, writeJson } from './support.js';

const work = workDir('cilock-steps-');
afterAll(work.cleanup);

describe('a policy with 200,000 steps', () => {
  it('is evaluated to a verdict naming the missing steps, with a bounded summary line', async () => {
    const key = ed25519Key();
    const steps: Record<string, unknown> = {};
    for (let i = 0; i < 200_000; i++) steps[`s${i}`] = { name: `s${i}`, functionaries: [{ type: 'publickey', publickeyid: key.publicKey.keyid }], attestations: [{ type: 'https://aflock.ai/attestations/sarif/v0.1' }] };
    const policy = writeJson(work.dir, 'policy.json', { steps });
    const file = writeJson(work.dir, 'att.json', signStatement(statementWith(collection('s0', [])), key));
    const verdict = await executeVerify({ attestations: [file], publicKeys: [writeJson(work.dir, 'k.pub.pem', key.publicPem)], policy, format: 'text' });
    expect(verdict.passed).toBe(false);
    expect(verdict.failed).toContain('step:s199999');
    const text = formatVerdict(verdict, 'text');
    const summary = text.trimEnd().split('\n').at(-1) ?? '';
    expect(summary).toMatch(/^verification FAILED: 200001 of \d+ checks failed: /);
    expect(summary.length).toBeLessThan(2000);
  }, 60_000);
});
