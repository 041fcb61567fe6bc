/**
 * cilock's signing passphrase (AFLOCK_KEY_PASSPHRASE / WITNESS_KEY_PASSPHRASE) decrypts the key
 * and goes no further: the wrapped command does not see it, and no attestor records it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, generateKey, initGitRepo, openssl, tempDir } from '../unit/run/support.js';
import { runCilock } from '../unit/run/harness.js';

afterAll(cleanupTempDirs);

describe('the signing passphrase is withheld from the command and never recorded', () => {
  it('decrypts the key, is absent from the command environment and from the envelope', async () => {
    const keys = tempDir('cilock-keys-');
    const { privatePath } = generateKey(keys, 'ed25519');
    const encrypted = join(keys, 'enc.pem');
    const passphrase = 'signing-pass-4711';
    openssl(['pkcs8', '-topk8', '-in', privatePath, '-v2', 'aes-256-cbc', '-passout', `pass:${passphrase}`, '-out', encrypted]);
    const dir = tempDir();
    initGitRepo(dir);
    const env = { ...process.env, AFLOCK_KEY_PASSPHRASE: passphrase, WITNESS_KEY_PASSPHRASE: 'pw-7' };
    const result = await runCilock(
      dir,
      { step: 'build', signerFileKeyPath: encrypted, outfile: 'att.json', attestations: ['environment,git'] },
      ['sh', '-c', 'printf "[%s][%s]" "$AFLOCK_KEY_PASSPHRASE" "$WITNESS_KEY_PASSPHRASE" > seen.txt; env > env.txt; echo done'],
      { env },
    );
    expect(result.error).toBeUndefined();
    expect(readFileSync(join(dir, 'seen.txt'), 'utf8')).toBe('[][]');
    expect(readFileSync(join(dir, 'env.txt'), 'utf8')).not.toMatch(/KEY_PASSPHRASE/);
    const payload = Buffer.from(JSON.parse(readFileSync(join(dir, 'att.json'), 'utf8')).payload, 'base64').toString('utf8');
    expect(payload).not.toContain(passphrase);
    expect(payload).not.toContain('pw-7');
    const statement = JSON.parse(payload);
    const environment = statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('environment/v0.1')).attestation;
    expect(Object.keys(environment.variables).filter((name) => name.includes('KEY_PASSPHRASE'))).toEqual([]);
  });
});
