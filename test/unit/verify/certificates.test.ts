/**
 * Certificate functionaries and RFC 3161 timestamps on witness's own data (test/fixtures/interop,
 * attribution in its SOURCES.md): `TestVerifyPolicyWithFulcio` (a keyless Fulcio policy and
 * attestation, FreeTSA timestamps, artifact test.txt) passes; its wrong-CA twin fails with
 * witness's message; roots are matched by key, not name; the chain is judged at the timestamp's time.
 */
import { webcrypto } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DsseEnvelope } from '../../../src/attestation/dsse.js';
import { parseCertificates } from '../../../src/attestation/x509.js';
import { executeVerify, formatVerdict, type VerifyOptions } from '../../../src/cli/verify.js';
import { cleanupTempDirs, tempDir } from '../run/support.js';

const witness = (name: string) => resolve(import.meta.dirname, '../../fixtures/interop/witness', name);
afterAll(cleanupTempDirs);

/** witness's TestVerifyPolicyWithFulcio invocation, with overrides. */
const fulcio = (options: Partial<VerifyOptions> = {}) => executeVerify({
  policy: witness('fulcio-policy-presigned.json'),
  publicKeys: [],
  attestations: [witness('test.json')],
  artifactFile: witness('test.txt'),
  policyCaRoots: [witness('fulcio-root.pem')],
  policyTimestampServers: [witness('freetsa.pem')],
  format: 'text',
  ...options,
});

/** A self-signed CA certificate with exactly the subject name of `original`, under a new key. */
async function sameNameOtherKey(original: string, dir: string): Promise<string> {
  const real = parseCertificates(readFileSync(original, 'utf8'), original)[0]!;
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const fake = new pkijs.Certificate();
  fake.version = 2;
  fake.serialNumber = real.serialNumber;
  fake.subject = real.subject;
  fake.issuer = real.subject;
  fake.notBefore.value = new Date('2000-01-01T00:00:00Z');
  fake.notAfter.value = new Date('2049-01-01T00:00:00Z');
  fake.extensions = real.extensions ?? [];
  await fake.subjectPublicKeyInfo.importKey(keys.publicKey);
  await fake.sign(keys.privateKey, 'SHA-256');
  const path = join(dir, `same-name-${original.split('/').pop()}`);
  writeFileSync(path, `-----BEGIN CERTIFICATE-----\n${Buffer.from(fake.toSchema().toBER()).toString('base64')}\n-----END CERTIFICATE-----\n`);
  return path;
}

describe('certificate trust on witness\'s Fulcio scenario', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  it('TestVerifyPolicyWithFulcio passes: policy and attestation chain to the Fulcio root at their FreeTSA timestamps', async () => {
    const verdict = await fulcio();
    expect(verdict.failed).toEqual([]);
    expect(verdict.checks.find((c) => c.name === 'policy:signature')?.detail).toBe('the policy is signed by a certificate that chains to --policy-ca-roots, valid at its trusted timestamp');
    // The leaf certificates lived ten minutes in February 2024: only the timestamp's time makes them valid.
    expect(verdict.checks.find((c) => c.name === 'step:test:functionary')?.detail).toMatch(/^signed by certificate "" chaining to root "7bcaf9f5f7d8cd0542220a872d5a6a9841b0d8a7873e19b9878ea33969faef4c", valid at its timestamp 2024-02-19T18:45:01\.000Z$/);
    expect(verdict.bindings).toMatchObject([{ step: 'test', via: 'subject', observedSubjectName: 'https://witness.dev/attestations/product/v0.1/file:test/test.txt' }]);
  });

  it('TestVerifyPolicyWrongCAFile fails with witness\'s message', async () => {
    const verdict = await fulcio({ policyCaRoots: [witness('freetsa.pem')] });
    expect(verdict.failed).toEqual([`policy:signature@${witness('fulcio-policy-presigned.json')}`]);
    expect(formatVerdict(verdict, 'text')).toMatch(/FAIL {2}policy:signature .*no valid signatures for the provided verifiers found for keyids 579c6f59f5f795ee86ff851b356d1ee8e990b004a9826ce478366d6f33b16bb0: certificate trust: the certificate does not chain to a trusted root at the timestamp's time 2024-02-19T18:44:09\.000Z/);
  });

  it('roots are matched by key: a CA with the Fulcio root\'s exact name and another key is no root', async () => {
    const verdict = await fulcio({ policyCaRoots: [await sameNameOtherKey(witness('fulcio-root.pem'), dir)] });
    expect(verdict.failed).toEqual([`policy:signature@${witness('fulcio-policy-presigned.json')}`]);
  });

  it('timestamp authorities are matched by key too, and without a trusted one a certificate never counts', async () => {
    const fakeTsa = await fulcio({ policyTimestampServers: [await sameNameOtherKey(witness('freetsa.pem'), dir)] });
    expect(fakeTsa.checks.find((c) => c.name === 'policy:signature')?.detail).toMatch(/no timestamp verifies against the trusted timestamp authorities/);
    const none = await fulcio({ policyTimestampServers: [] });
    expect(none.checks.find((c) => c.name === 'policy:signature')?.detail).toMatch(/no timestamp authority is trusted \(pass --policy-timestamp-servers/);
    expect(none.passed).toBe(false);
  });

  it('--policy-commonname and friends constrain the policy signer', async () => {
    const verdict = await fulcio({ policyIdentity: { commonname: '*', emails: ['someone@example.com'] } });
    expect(verdict.checks.find((c) => c.name === 'policy:signature')?.detail).toMatch(/does not match the --policy-\* identity flags: emails \[.*\] do not match the allowed \[someone@example\.com\]/);
  });

  it('the policy\'s certConstraint decides which certificate signers count', async () => {
    // The same policy body as a plain file (key-only mode), with a constraint the Fulcio leaf fails.
    const body = JSON.parse(Buffer.from((JSON.parse(readFileSync(witness('fulcio-policy-presigned.json'), 'utf8')) as DsseEnvelope).payload, 'base64').toString('utf8')) as { steps: { test: { functionaries: { certConstraint: Record<string, unknown> }[] } } };
    body.steps.test.functionaries[0]!.certConstraint.uris = ['https://example.com/not-this-workflow'];
    const policy = join(dir, 'constrained-policy.json');
    writeFileSync(policy, JSON.stringify(body));
    const verdict = await fulcio({ policy, policyCaRoots: [] });
    expect(verdict.failed).toEqual(['step:test:functionary@' + witness('test.json'), 'step:test']);
    expect(verdict.checks.find((c) => c.name === 'step:test:functionary')?.detail).toMatch(/certificate signers fail the certConstraint: URIs \[.*\] do not match the allowed \[https:\/\/example\.com\/not-this-workflow\]/);
  });

  it('a tampered attestation fails even though its certificate chains', async () => {
    const envelope = JSON.parse(readFileSync(witness('test.json'), 'utf8')) as DsseEnvelope;
    const file = join(dir, 'tampered-test.json');
    writeFileSync(file, JSON.stringify({ ...envelope, payload: Buffer.from(Buffer.from(envelope.payload, 'base64').toString('utf8').replace('"name":"test"', '"name":"test" ')).toString('base64') }));
    const verdict = await fulcio({ attestations: [file] });
    expect(verdict.failed).toEqual(expect.arrayContaining([`signature@${file}`, 'step:test']));
  });
});
