import { afterAll, describe, expect, it } from 'vitest';
import { executeVerify, formatVerdict } from '../../src/cli/verify.js';
import { collection, ed25519Key, signStatement, statementWith, workDir, writeJson } from './support.js';

const work = workDir('cilock-malformed-');
afterAll(work.cleanup);
const key = ed25519Key();
const pub = writeJson(work.dir, 'key.pub.pem', key.publicPem);
const SARIF = 'https://aflock.ai/attestations/sarif/v0.1';
const policy = writeJson(work.dir, 'policy.json', {
  steps: { scan: { name: 'scan', functionaries: [{ type: 'publickey', publickeyid: key.publicKey.keyid }], attestations: [{ type: SARIF, celpolicies: [{ name: 'has-report', expression: 'has(input.report)' }] }] } },
});

const cases: [string, unknown][] = [
  ['attestations holding null and a string', statementWith(collection('scan', [null, 'x']))],
  ['an attestation entry without a type', statementWith(collection('scan', [{ attestation: {} }]))],
  ['non-object attestation bodies', statementWith(collection('scan', [{ type: SARIF, attestation: 'x' }, { type: 'https://aflock.ai/attestations/product/v0.3', attestation: 7 }]))],
  ['a string predicate', statementWith('scan')],
  ['a null predicate', statementWith(null)],
  ['an array predicate', statementWith([1, 2])],
  ['a non-array subject', statementWith(collection('scan', []), { subject: 'everything' })],
  ['subjects that are not objects', statementWith(collection('scan', [{ type: 'https://aflock.ai/attestations/product/v0.3', attestation: {} }]), { subject: [null, 3, { name: 1 }] })],
  ['a statement that is an array', [1, 2, 3]],
  ['a statement that is a string', 'statement'],
  ['non-string _type and predicateType', statementWith(collection('scan', []), { _type: { deep: [[[]]] }, predicateType: 42 })],
];

describe('verify gives a verdict for malformed statements, never a crash', () => {
  it.each(cases)('%s', async (_label, statement) => {
    const file = writeJson(work.dir, 'att.json', signStatement(statement, key));
    const verdict = await executeVerify({ attestations: [file], publicKeys: [pub], policy, format: 'text' });
    expect(verdict.passed).toBe(false);
    expect(verdict.checks.find((check) => check.name === 'signature')?.passed).toBe(true);
    const text = formatVerdict(verdict, 'text');
    expect(text).toMatch(/^FAIL {2}/m);
    expect(text).toMatch(/verification FAILED/);
  });
});
