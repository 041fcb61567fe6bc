import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyError, loadPublicKey, loadSigningKey, signBytes, verifyBytes } from '../../../src/attestation/keys.js';
import { cleanupTempDirs, generateKey, openssl, tempDir } from '../run/support.js';
import { needsTool } from '../../lib/system.js';

needsTool('openssl');

describe('keyid', () => {
  it('matches the spec example for the Ed25519 key with seed 00..1f', () => {
    const seed = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
    const pem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString();
    const key = loadSigningKey(pem, 'seed.pem');
    expect(key.algorithm).toBe('ed25519');
    expect(key.publicKeyPem).toBe('-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAA6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n-----END PUBLIC KEY-----\n');
    expect(key.keyid).toBe('f0ff50dacf109dea7f716d7c03eb7a821aa3a283fd3fa02f4c14dbba7d3c3322');
  });
});

describe('key formats', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(cleanupTempDirs);

  it.each([
    ['ed25519', 'ed25519'],
    ['p256', 'ecdsa-p256'],
    ['p384', 'ecdsa-p384'],
    ['rsa', 'rsa-pss-sha256'],
  ] as const)('loads a PKCS#8 %s key and gives the public key the same keyid', (kind, algorithm) => {
    const { privatePath, publicPath } = generateKey(dir, kind);
    const key = loadSigningKey(readFileSync(privatePath, 'utf8'), privatePath);
    const pub = loadPublicKey(readFileSync(publicPath, 'utf8'), publicPath);
    expect(key.algorithm).toBe(algorithm);
    expect(pub.keyid).toBe(key.keyid);
    expect(key.keyid).toMatch(/^[0-9a-f]{64}$/);
    const sig = signBytes(key, Buffer.from('data'));
    expect(verifyBytes(pub, Buffer.from('data'), sig)).toBe(true);
    expect(verifyBytes(pub, Buffer.from('datA'), sig)).toBe(false);
  });

  it('loads PKCS#1 RSA and SEC1 EC keys with the same keyid as their PKCS#8 form', () => {
    const rsa = generateKey(dir, 'rsa', 'rsa-for-pkcs1');
    const pkcs1 = join(dir, 'rsa-pkcs1.pem');
    openssl(['rsa', '-in', rsa.privatePath, '-traditional', '-out', pkcs1]);
    expect(readFileSync(pkcs1, 'utf8')).toContain('BEGIN RSA PRIVATE KEY');
    expect(loadSigningKey(readFileSync(pkcs1, 'utf8'), pkcs1).keyid).toBe(loadSigningKey(readFileSync(rsa.privatePath, 'utf8'), 'x').keyid);

    const sec1 = join(dir, 'sec1.pem');
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', sec1]);
    expect(readFileSync(sec1, 'utf8')).toContain('BEGIN EC PRIVATE KEY');
    expect(loadSigningKey(readFileSync(sec1, 'utf8'), sec1).algorithm).toBe('ecdsa-p256');
  });

  it('skips an EC PARAMETERS block in front of the key (openssl ecparam -genkey without -noout)', () => {
    const withParams = join(dir, 'with-params.pem');
    openssl(['ecparam', '-name', 'secp384r1', '-genkey', '-out', withParams]);
    expect(readFileSync(withParams, 'utf8')).toContain('BEGIN EC PARAMETERS');
    expect(loadSigningKey(readFileSync(withParams, 'utf8'), withParams).algorithm).toBe('ecdsa-p384');
  });

  it('decrypts encrypted PKCS#8 and legacy DEK-Info keys with the passphrase', () => {
    const base = generateKey(dir, 'p256', 'to-encrypt');
    const encrypted = join(dir, 'encrypted.pem');
    openssl(['pkcs8', '-topk8', '-in', base.privatePath, '-v2', 'aes-256-cbc', '-passout', 'pass:correct horse', '-out', encrypted]);
    const text = readFileSync(encrypted, 'utf8');
    expect(text).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(loadSigningKey(text, encrypted, 'correct horse').algorithm).toBe('ecdsa-p256');

    const rsa = generateKey(dir, 'rsa', 'legacy');
    const legacy = join(dir, 'legacy-encrypted.pem');
    openssl(['rsa', '-in', rsa.privatePath, '-traditional', '-aes256', '-passout', 'pass:pw-legacy', '-out', legacy]);
    expect(readFileSync(legacy, 'utf8')).toContain('Proc-Type: 4,ENCRYPTED');
    expect(loadSigningKey(readFileSync(legacy, 'utf8'), legacy, 'pw-legacy').algorithm).toBe('rsa-pss-sha256');
  });

  it('explains a missing or wrong passphrase', () => {
    const base = generateKey(dir, 'ed25519', 'enc2');
    const encrypted = join(dir, 'encrypted2.pem');
    openssl(['pkcs8', '-topk8', '-in', base.privatePath, '-v2', 'aes-256-cbc', '-passout', 'pass:right', '-out', encrypted]);
    const text = readFileSync(encrypted, 'utf8');
    expect(() => loadSigningKey(text, 'enc.pem')).toThrow(/enc\.pem is encrypted and no passphrase was given: pass --signer-file-key-passphrase/);
    expect(() => loadSigningKey(text, 'enc.pem', 'wrong')).toThrow(/could not decrypt key file enc\.pem: the passphrase is wrong/);
  });

  it('refuses public keys for signing, private keys for verifying, and unsupported curves', () => {
    const { privatePath, publicPath } = generateKey(dir, 'ed25519', 'roles');
    expect(() => loadSigningKey(readFileSync(publicPath, 'utf8'), 'pub.pem')).toThrow(/holds a public key, but signing needs the private key/);
    expect(() => loadPublicKey(readFileSync(privatePath, 'utf8'), 'priv.pem')).toThrow(/holds a private key; verification takes the public key only/);
    const k1 = join(dir, 'secp256k1.pem');
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1', '-out', k1]);
    expect(() => loadSigningKey(readFileSync(k1, 'utf8'), 'k1.pem')).toThrow(/curve secp256k1; supported curves are P-256, P-384 and P-521/);
    const ed448 = join(dir, 'ed448.pem');
    openssl(['genpkey', '-algorithm', 'ed448', '-out', ed448]);
    expect(() => loadSigningKey(readFileSync(ed448, 'utf8'), 'ed448.pem')).toThrow(KeyError);
    writeFileSync(join(dir, 'garbage.pem'), 'not a key');
    expect(() => loadSigningKey('not a key', 'garbage.pem')).toThrow(/holds no PEM block/);
  });
});
