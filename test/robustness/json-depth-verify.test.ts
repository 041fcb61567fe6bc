import { afterAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/attestation/limits.js';
import { executeVerify, formatVerdict } from '../../src/cli/verify.js';
import { collection, ed25519Key, statementWith, workDir, writeJson } from './support.js';
import { INTOTO_PAYLOAD_TYPE, signEnvelope } from '../../src/attestation/dsse.js';

const work = workDir('cilock-depth-');
afterAll(work.cleanup);
const key = ed25519Key();
const pub = writeJson(work.dir, 'key.pub.pem', key.publicPem);
const SARIF = 'https://aflock.ai/attestations/sarif/v0.1';
const policy = writeJson(work.dir, 'policy.json', {
  steps: { scan: { name: 'scan', functionaries: [{ type: 'publickey', publickeyid: key.publicKey.keyid }], attestations: [{ type: SARIF, celpolicies: [{ name: 'has-runs', expression: 'size(input.report.runs) == 1' }] }] } },
});

/** A signed envelope whose SARIF attestation body is `bodyDepth` levels deep (built as text: JSON.stringify would recurse). */
function envelopeWithBodyDepth(bodyDepth: number): string {
  // body {report:{runs:[{properties:{deep: X}}]}} is 5 levels around X.
  const inner = bodyDepth - 5;
  const body = `{"report":{"runs":[{"properties":{"deep":${'['.repeat(inner)}${']'.repeat(inner)}}}]},"reportFileName":"r.sarif","reportDigestSet":{}}`;
  const entries = JSON.stringify(collection('scan', [{ type: SARIF, attestation: 0 }])).replace('"attestation":0', `"attestation":${body}`);
  const statement = JSON.stringify(statementWith(0)).replace('"predicate":0', `"predicate":${entries}`);
  return JSON.stringify(signEnvelope(Buffer.from(statement), INTOTO_PAYLOAD_TYPE, key.signing));
}

describe('verify and its policies check attestation bodies up to the shared depth limit', () => {
  it.each([5_000, 100_000])('a body %i levels deep fails the collection check with a clear message', async (depth) => {
    const file = writeJson(work.dir, `deep-${depth}.att.json`, envelopeWithBodyDepth(depth));
    const verdict = await executeVerify({ attestations: [file], publicKeys: [pub], policy, format: 'text' });
    expect(verdict.passed).toBe(false);
    const check = verdict.checks.find((c) => c.name === 'collection');
    expect(check).toMatchObject({ passed: false, file });
    expect(check?.detail).toMatch(new RegExp(`attestations\\[0\\] \\(${SARIF.replace(/[./]/g, '\\$&')}\\) nests ${depth} levels deep, more than the ${MAX_JSON_DEPTH} allowed`));
    expect(formatVerdict(verdict, 'text')).toMatch(/verification FAILED/);
  });

  it('a body right at the limit is verified and its CEL policy evaluated', async () => {
    const file = writeJson(work.dir, 'at-limit.att.json', envelopeWithBodyDepth(MAX_JSON_DEPTH));
    const verdict = await executeVerify({ attestations: [file], publicKeys: [pub], policy, format: 'text' });
    expect(verdict.failed).toEqual([]);
    expect(verdict.checks.find((c) => c.name === 'step:scan:cel:has-runs')?.passed).toBe(true);
  });
});
