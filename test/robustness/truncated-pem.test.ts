import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { KeyError, loadPublicKey, loadSigningKey } from '../../src/attestation/keys.js';

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const sec1Pem = pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const firstHalf = (text: string) => text.slice(0, Math.floor(text.length / 2));
const withoutEnd = (text: string) => text.replace(/-----END [A-Z ]+-----\s*$/, '');
/** The END line is kept but body lines are missing, so the DER inside is cut short. */
const bodyCut = (text: string) => {
  const lines = text.trimEnd().split('\n');
  return [lines[0], lines[1], lines.at(-1), ''].join('\n');
};
const NO_RAW_OPENSSL = /error:[0-9A-F]{8}|DECODER routines|unsupported$/;

describe('a truncated PEM key gives a clear message naming the file', () => {
  it.each([
    ['the first half of a private key', () => loadSigningKey(firstHalf(privatePem), 'key.pem'), /key file key\.pem has a "-----BEGIN PRIVATE KEY-----" line but no matching "-----END PRIVATE KEY-----" line: the file is truncated/],
    ['a private key without its END line', () => loadSigningKey(withoutEnd(sec1Pem), 'key.pem'), /key file key\.pem has a "-----BEGIN EC PRIVATE KEY-----" line but no matching "-----END EC PRIVATE KEY-----" line/],
    ['a private key with body lines missing', () => loadSigningKey(bodyCut(privatePem), 'key.pem'), /key file key\.pem: the private key data is damaged or incomplete \(the file may be truncated or edited/],
    ['the first half of a public key', () => loadPublicKey(firstHalf(publicPem), 'pub.pem'), /public key file pub\.pem has a "-----BEGIN PUBLIC KEY-----" line but no matching "-----END PUBLIC KEY-----" line: the file is truncated/],
    ['a public key with body lines missing', () => loadPublicKey(bodyCut(publicPem), 'pub.pem'), /public key file pub\.pem: the public key data is damaged or incomplete/],
    ['a public key whose body is not base64', () => loadPublicKey(publicPem.replace(/\n[A-Za-z0-9+/]{8}/, '\n!!!!!!!!'), 'pub.pem'), /public key file pub\.pem: the public key data is damaged or incomplete/],
  ])('%s', (_label, load, message) => {
    let error: unknown;
    try {
      load();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KeyError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(NO_RAW_OPENSSL);
  });
});
