/**
 * `cilock verify` on envelopes and policies written by witness and rookery (test/fixtures/interop,
 * attribution in its SOURCES.md): what upstream's own tests expect of them, and tampered copies
 * failing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSignatures, parseEnvelope, type DsseEnvelope } from '../../../src/attestation/dsse.js';
import { loadPublicKey } from '../../../src/attestation/keys.js';
import { LEGACY_ENCODING } from '../../../src/attestation/legacy-leaves.js';
import { executeVerify, formatVerdict } from '../../../src/cli/verify.js';
import { cleanupTempDirs, tempDir } from '../run/support.js';

const fixtures = resolve(import.meta.dirname, '../../fixtures/interop');
const at = (path: string) => join(fixtures, path);
afterAll(cleanupTempDirs);

const verifyKeyOnly = (attestation: string, key: string) => executeVerify({ attestations: [attestation], publicKeys: [key], format: 'text' });

interface Tree { leaves: { path: string; fileDigest: string; leafHash: string }[] }
interface Statement { predicate: { attestations: { type: string; attestation: Tree }[] } }

/** A copy of an envelope whose statement is edited (the signature no longer covers it) or whose signature is. */
function tampered(source: string, edit: (envelope: DsseEnvelope, statement: Statement) => void): string {
  const envelope = JSON.parse(readFileSync(source, 'utf8')) as DsseEnvelope;
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Statement;
  edit(envelope, statement);
  envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  const file = join(tempDir(), 'tampered.json');
  writeFileSync(file, JSON.stringify(envelope));
  return file;
}

describe('witness envelopes', () => {
  it.each(['witness/cdx-att.json', 'witness/sast.attestation.json'])('%s verifies with testpub.pem (Ed25519)', async (file) => {
    const verdict = await verifyKeyOnly(at(file), at('witness/testpub.pem'));
    expect(verdict.failed).toEqual([]);
    expect(verdict.checks.find((c) => c.name === 'signature')?.detail).toMatch(/^signature 0 verified by ae2dcc989ea9c109/);
  });

  it('sast.attestation.json keeps its old witness.testifysec.com collection type', async () => {
    const verdict = await verifyKeyOnly(at('witness/sast.attestation.json'), at('witness/testpub.pem'));
    expect(verdict.checks.find((c) => c.name === 'predicate-type')?.detail).toBe('https://witness.testifysec.com/attestation-collection/v0.1');
  });

  it('a tampered copy fails its signature check', async () => {
    const file = tampered(at('witness/cdx-att.json'), (_envelope, statement) => {
      statement.predicate.attestations.pop();
    });
    const verdict = await verifyKeyOnly(file, at('witness/testpub.pem'));
    expect(verdict.failed).toEqual([`signature@${file}`]);
  });

  it('RSA-PSS with the maximum salt length: the Fulcio-signed policy verifies with its certificate\'s key, and fails once altered', () => {
    const text = readFileSync(at('witness/fulcio-policy-presigned.json'), 'utf8');
    const envelope = JSON.parse(text) as DsseEnvelope & { signatures: { certificate: string }[] };
    const key = loadPublicKey(Buffer.from(envelope.signatures[0]!.certificate, 'base64').toString('utf8'), 'fulcio leaf');
    expect(key.algorithm).toBe('rsa-pss-sha256');
    expect(checkSignatures(parseEnvelope(text, 'fulcio-policy-presigned.json'), [key])[0]?.verifiedBy).toEqual([key.keyid]);
    const altered = JSON.stringify({ ...envelope, payload: Buffer.from(`${Buffer.from(envelope.payload, 'base64').toString('utf8')} `).toString('base64') });
    expect(checkSignatures(parseEnvelope(altered, 'altered'), [key])[0]?.verifiedBy).toEqual([]);
  });

  it('the expired log4shell policy is refused, naming the expiry; its signature still verifies', async () => {
    const verdict = await executeVerify({
      policy: at('witness/log4shell-policy.signed.json'),
      publicKeys: [at('witness/log4shell-demokey.pub.pem')],
      attestations: [at('witness/cdx-att.json')],
      subjects: [`sha256:${'0'.repeat(64)}`],
      format: 'text',
    });
    expect(verdict.passed).toBe(false);
    expect(verdict.mode).toBe('policy');
    expect(verdict.checks.find((c) => c.name === 'policy:signature')).toMatchObject({ passed: true });
    expect(verdict.checks.find((c) => c.name === 'policy:expires')).toMatchObject({ passed: false, detail: 'the policy expired at 2022-12-17T23:57:40-05:00' });
    expect(formatVerdict(verdict, 'text')).toMatch(/FAIL {2}policy:expires +the policy expired at 2022-12-17T23:57:40-05:00/);
  });
});

describe('rookery gcp-iit envelope: the leaf encoding before June 2026', () => {
  const envelope = at('rookery/gcp-iit.attestation.json');
  const recoveredKey = at('rookery/gcp-iit.recovered.pub.pem');

  it('verifies with the recovered key, rebuilt under the old encoding, and says so', async () => {
    const verdict = await verifyKeyOnly(envelope, recoveredKey);
    expect(verdict.failed).toEqual([]);
    const material = verdict.checks.find((c) => c.name === 'merkle:material');
    expect(material?.detail).toBe(`7 leaves rebuild to the signed root fb016268ddc7225e5458d19261e908eb0f62819a0843952eddf5ac9b418ae7b9 under the old leaf encoding ${LEGACY_ENCODING}`);
    // The empty product tree is the same under both encodings; nothing to say about it.
    expect(verdict.checks.find((c) => c.name === 'merkle:product')?.detail).not.toMatch(/old leaf encoding/);
  });

  it.each([
    ['a leaf digest changed', (tree: Tree) => { tree.leaves[0]!.fileDigest = 'f'.repeat(64); }],
    ['two leaves swapped', (tree: Tree) => { tree.leaves.reverse(); }],
    ['one leaf in the current encoding among old ones', (tree: Tree) => { tree.leaves[1]!.leafHash = '29b55cb4b7584cdeb6e0bed82d3b8e13118f823dcde2e1e926b11b0b29cd08cc'; }],
  ])('%s: fails its Merkle check even with the signature set aside', async (_what, edit) => {
    const file = tampered(envelope, (_envelope, statement) => {
      edit(statement.predicate.attestations.find((a) => a.type.endsWith('material/v0.3'))!.attestation);
    });
    const verdict = await verifyKeyOnly(file, recoveredKey);
    expect(verdict.failed).toEqual(expect.arrayContaining([`signature@${file}`, `merkle:material@${file}`]));
    expect(verdict.checks.find((c) => c.name === 'merkle:material')?.detail).not.toMatch(/old leaf encoding/);
  });
});
