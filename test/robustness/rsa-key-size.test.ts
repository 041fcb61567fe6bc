import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { KeyError, loadPublicKey, loadSigningKey } from '../../src/attestation/keys.js';
import { parsePolicy, policyPublicKeys } from '../../src/attestation/policy.js';

function rsa(bits: number) {
  const pair = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    pkcs1Pem: pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const small = rsa(1024);
const message = /key [^ ]+ is a 1024-bit RSA key; cilock requires RSA keys of at least 2048 bits/;

describe('RSA keys under 2048 bits are refused', () => {
  it('for signing (PKCS#8 and PKCS#1)', () => {
    expect(() => loadSigningKey(small.privatePem, 'small.pem')).toThrow(KeyError);
    expect(() => loadSigningKey(small.privatePem, 'small.pem')).toThrow(message);
    expect(() => loadSigningKey(small.pkcs1Pem, 'small-rsa.pem')).toThrow(message);
  });

  it('for verification', () => {
    expect(() => loadPublicKey(small.publicPem, 'small.pub.pem')).toThrow(KeyError);
    expect(() => loadPublicKey(small.publicPem, 'small.pub.pem')).toThrow(message);
  });

  it('when embedded in a policy', () => {
    const keyid = 'a'.repeat(64);
    const policy = parsePolicy(JSON.stringify({
      steps: { scan: { name: 'scan', functionaries: [{ type: 'publickey', publickeyid: keyid }], attestations: [{ type: 'https://aflock.ai/attestations/sarif/v0.1' }] } },
      publickeys: { [keyid]: { keyid, key: Buffer.from(small.publicPem).toString('base64') } },
    }), 'policy.json');
    expect(() => policyPublicKeys(policy, 'policy.json')).toThrow(/key policy\.json publickeys\["a+"\] is a 1024-bit RSA key/);
  });

  it('2048-bit keys still load', () => {
    const ok = rsa(2048);
    expect(loadSigningKey(ok.privatePem, 'ok.pem').algorithm).toBe('rsa-pss-sha256');
    expect(loadPublicKey(ok.publicPem, 'ok.pub.pem').algorithm).toBe('rsa-pss-sha256');
  });
});
