/**
 * Hostile step chaining: a policy whose 100,000 steps each chain from the one before, in reverse
 * order, is ordered without recursion (no stack overflow) and evaluated in one round; a cycle at
 * the end of such a chain is refused naming it; many -s values stay a usage error for the bad one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parsePolicy, PolicyError } from '../../src/attestation/policy.js';
import { executeVerify } from '../../src/cli/verify.js';
import { collection, ed25519Key, signStatement, statementWith, workDir, writeJson } from './support.js';

const work = workDir('cilock-chain-');
afterAll(work.cleanup);

const STEPS = 100_000;
const step = (i: number, from?: number) => ({ name: `s${i}`, functionaries: [], attestations: [{ type: 'x' }], ...(from !== undefined ? { artifactsFrom: [`s${from}`] } : {}) });

describe('a chain of 100,000 steps', () => {
  it('is ordered upstream-first without recursion', () => {
    const steps: Record<string, unknown> = {};
    for (let i = STEPS - 1; i >= 0; i--) steps[`s${i}`] = step(i, i > 0 ? i - 1 : undefined);
    const policy = parsePolicy(JSON.stringify({ steps }), 'policy.json');
    expect(policy.order[0]).toBe('s0');
    expect(policy.order.at(-1)).toBe(`s${STEPS - 1}`);
  }, 60_000);

  it('a cycle at its end is refused, naming the steps', () => {
    const steps: Record<string, unknown> = {};
    for (let i = 0; i < STEPS; i++) steps[`s${i}`] = step(i, i > 0 ? i - 1 : STEPS - 1);
    const text = JSON.stringify({ steps });
    let error: unknown;
    try {
      parsePolicy(text, 'policy.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toMatch(/^policy policy\.json: steps chain in a cycle \("s0" → "s99999" → "s99998" → … 99996 more … → "s1" → "s0"\); artifactsFrom and attestationsFrom must name earlier steps$/);
  }, 60_000);

  it('is evaluated to a verdict in which every later step waits on the first', async () => {
    const key = ed25519Key();
    const steps: Record<string, unknown> = {};
    for (let i = 0; i < 2_000; i++) steps[`s${i}`] = step(i, i > 0 ? i - 1 : undefined);
    const policy = writeJson(work.dir, 'policy.json', { steps });
    const file = writeJson(work.dir, 'att.json', signStatement(statementWith(collection('other', [])), key));
    const verdict = await executeVerify({ attestations: [file], publicKeys: [writeJson(work.dir, 'k.pub.pem', key.publicPem)], policy, subjects: [`sha256:${'a'.repeat(64)}`], format: 'text' });
    expect(verdict.passed).toBe(false);
    expect(verdict.checks.find((c) => c.name === 'step:s1999')?.detail).toBe('step "s1999" chains from "s1998", which did not pass');
  }, 60_000);
});
