/**
 * cilock's DSSE signatures checked by a different implementation: the openssl CLI verifies the
 * signature over the PAE bytes for each key type (and openssl-made signatures verify with ours).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSignatures, INTOTO_PAYLOAD_TYPE, parseEnvelope, signEnvelope } from '../../../src/attestation/dsse.js';
import { loadPublicKey, loadSigningKey } from '../../../src/attestation/keys.js';
import { pae } from '../../../src/attestation/pae.js';
import { cleanupTempDirs, generateKey, openssl, tempDir, type KeyKind } from '../run/support.js';
import { needsTool } from '../../lib/system.js';

needsTool('openssl');

function opensslVerifyArgs(kind: KeyKind, pub: string, sig: string, data: string): string[] {
  switch (kind) {
    case 'ed25519':
      return ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', data, '-sigfile', sig];
    case 'rsa':
      // saltlen "max" makes openssl insist on the maximum salt length, which is what we sign with.
      return ['dgst', '-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:max', '-sigopt', 'rsa_mgf1_md:sha256', '-verify', pub, '-signature', sig, data];
    default:
      // ECDSA over SHA-256 on every curve, DER-encoded signature.
      return ['dgst', '-sha256', '-verify', pub, '-signature', sig, data];
  }
}

describe('DSSE signatures verified by openssl', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(cleanupTempDirs);

  it.each(['ed25519', 'p256', 'p384', 'rsa'] as const)('%s: openssl verifies the signature over the PAE', (kind) => {
    const { privatePath, publicPath } = generateKey(dir, kind);
    const key = loadSigningKey(readFileSync(privatePath, 'utf8'), privatePath);
    const payload = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', subject: [], kind }));
    const envelope = signEnvelope(payload, INTOTO_PAYLOAD_TYPE, key);
    expect(envelope.signatures[0]?.keyid).toBe(key.keyid);

    const paePath = join(dir, `${kind}.pae`);
    const sigPath = join(dir, `${kind}.sig`);
    writeFileSync(paePath, pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64')));
    writeFileSync(sigPath, Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64'));
    const output = openssl(opensslVerifyArgs(kind, publicPath, sigPath, paePath));
    expect(output).toMatch(/Verified OK|Signature Verified Successfully/);

    // And openssl refuses the same signature over different bytes.
    writeFileSync(paePath, pae(envelope.payloadType, Buffer.from('tampered')));
    expect(() => openssl(opensslVerifyArgs(kind, publicPath, sigPath, paePath))).toThrow();
  });

  it.each(['ed25519', 'p384', 'rsa'] as const)('%s: a signature made by openssl verifies with cilock', (kind) => {
    const { privatePath, publicPath } = generateKey(dir, kind, `${kind}-rev`);
    const payload = Buffer.from('{"hello":"world"}');
    const paePath = join(dir, `${kind}-rev.pae`);
    const sigPath = join(dir, `${kind}-rev.sig`);
    writeFileSync(paePath, pae(INTOTO_PAYLOAD_TYPE, payload));
    const signArgs =
      kind === 'ed25519'
        ? ['pkeyutl', '-sign', '-inkey', privatePath, '-rawin', '-in', paePath, '-out', sigPath]
        : kind === 'rsa'
          ? ['dgst', '-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-sign', privatePath, '-out', sigPath, paePath]
          : ['dgst', '-sha256', '-sign', privatePath, '-out', sigPath, paePath];
    openssl(signArgs);
    const envelopeText = JSON.stringify({ payload: payload.toString('base64'), payloadType: INTOTO_PAYLOAD_TYPE, signatures: [{ keyid: '', sig: readFileSync(sigPath).toString('base64') }] });
    const pub = loadPublicKey(readFileSync(publicPath, 'utf8'), publicPath);
    const [check] = checkSignatures(parseEnvelope(envelopeText, 'openssl.json'), [pub]);
    expect(check?.verifiedBy).toEqual([pub.keyid]);
  });
});
