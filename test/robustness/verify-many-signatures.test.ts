import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { executeVerify, formatVerdict } from '../../src/cli/verify.js';
import { collection, ed25519Key, signStatement, statementWith, workDir, writeJson } from './support.js';

const work = workDir('cilock-sigs-');
afterAll(work.cleanup);

describe('an envelope with 10,000 signatures', () => {
  it('fails the signature check with a bounded message that counts them', async () => {
    const key = ed25519Key();
    const other = ed25519Key();
    const envelope = signStatement(statementWith(collection('scan', [])), other);
    envelope.signatures = Array.from({ length: 10_000 }, (_, i) => ({ keyid: `keyid-${i}-${'k'.repeat(40)}`, sig: randomBytes(64).toString('base64') }));
    const file = writeJson(work.dir, 'sigs.json', envelope);
    const verdict = await executeVerify({ attestations: [file], publicKeys: [writeJson(work.dir, 'k.pub.pem', key.publicPem)], format: 'text' });
    const check = verdict.checks.find((c) => c.name === 'signature');
    expect(check?.passed).toBe(false);
    expect(check?.detail).toMatch(/none of the 10000 signature\(s\) verifies with the 1 supplied key\(s\)/);
    expect(check?.detail).toMatch(/and 9997 more/);
    expect(check?.detail.length).toBeLessThan(600);
    expect(formatVerdict(verdict, 'text').length).toBeLessThan(3000);
  });
});
