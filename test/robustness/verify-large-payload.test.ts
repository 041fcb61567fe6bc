import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTOTO_PAYLOAD_TYPE, signEnvelope } from '../../src/attestation/dsse.js';
import { verifyAttestation } from '../../src/attestation/verify.js';
import { ed25519Key, largeStatementPayload, runBuiltCli, workDir } from './support.js';

const work = workDir('cilock-large-');
afterAll(work.cleanup);
const key = ed25519Key();

describe('verify of large envelopes', () => {
  it('the built CLI verifies an 8 MB payload end to end', () => {
    const payload = largeStatementPayload(8 * 1024 * 1024);
    const envelopePath = join(work.dir, 'big8.att.json');
    writeFileSync(envelopePath, JSON.stringify(signEnvelope(payload, INTOTO_PAYLOAD_TYPE, key.signing)));
    const pubPath = join(work.dir, 'key.pub.pem');
    writeFileSync(pubPath, key.publicPem);
    const result = runBuiltCli(['verify', '-a', envelopePath, '-k', pubPath]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/verification PASSED \(6 checks\)/);
    expect(result.status).toBe(0);
  });

  it('the library verifies a 100 MB payload, from the file bytes and from text', () => {
    const payload = largeStatementPayload(100 * 1024 * 1024);
    const text = JSON.stringify(signEnvelope(payload, INTOTO_PAYLOAD_TYPE, key.signing));
    for (const input of [Buffer.from(text), text]) {
      const verified = verifyAttestation(input, 'big100.att.json', [key.publicKey]);
      expect(verified.checks.filter((check) => !check.passed)).toEqual([]);
      expect(verified.signerKeyids).toEqual([key.publicKey.keyid]);
    }
  }, 120_000);
});
