import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTOTO_PAYLOAD_TYPE, signEnvelope, type DsseEnvelope } from '../../../src/attestation/dsse.js';
import { loadSigningKey, type SigningKey } from '../../../src/attestation/keys.js';
import { leafHashOf } from '../../../src/merkle/merkle.js';
import { executeVerify, formatVerdict, parseVerifyFlags } from '../../../src/cli/verify.js';
import { cleanupTempDirs, generateKey, tempDir, VALID_SARIF } from '../run/support.js';
import { needsTool } from '../../lib/system.js';
import { runCilock } from '../run/harness.js';

needsTool('openssl');

interface EditableStatement {
  _type: string;
  subject: { name: string; digest: Record<string, string> }[];
  predicate: { attestations: { type: string; attestation: { leaves: { path: string; fileDigest: string; leafHash: string }[] } }[] };
}

function resign(envelope: DsseEnvelope, edit: (statement: EditableStatement) => void, key: SigningKey): DsseEnvelope {
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as EditableStatement;
  edit(statement);
  return signEnvelope(Buffer.from(JSON.stringify(statement)), INTOTO_PAYLOAD_TYPE, key);
}

describe('cilock verify', () => {
  let dir: string;
  let keyPath: string;
  let pubPath: string;
  let otherPub: string;
  let key: SigningKey;
  let attestation: string;
  let envelope: DsseEnvelope;

  beforeAll(async () => {
    dir = tempDir();
    ({ privatePath: keyPath, publicPath: pubPath } = generateKey(dir, 'p256'));
    otherPub = generateKey(dir, 'ed25519', 'other').publicPath;
    key = loadSigningKey(readFileSync(keyPath, 'utf8'), keyPath);
    const work = tempDir();
    writeFileSync(join(work, 'README.md'), 'readme\n');
    writeFileSync(join(work, 'app'), 'hello\n');
    const sarif = JSON.stringify(VALID_SARIF);
    const result = await runCilock(work, { step: 'scan', signerFileKeyPath: keyPath, outfile: join(dir, 'scan.att.json'), attestations: ['sarif,environment'] }, ['sh', '-c', `printf '%s' '${sarif}' > out.sarif`]);
    expect(result.error).toBeUndefined();
    attestation = join(dir, 'scan.att.json');
    envelope = JSON.parse(readFileSync(attestation, 'utf8'));
  });
  afterAll(cleanupTempDirs);

  const write = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };

  it('passes a genuine envelope and reports each check', async () => {
    const verdict = await executeVerify({ attestations: [attestation], publicKeys: [pubPath], format: 'text' });
    expect(verdict.passed).toBe(true);
    expect(verdict.checks.map((check) => check.name)).toEqual(['envelope', 'payload-type', 'signature', 'statement-type', 'predicate-type', 'collection', 'merkle:material', 'merkle:product']);
    expect(formatVerdict(verdict, 'text')).toMatch(/verification PASSED \(8 checks\)/);
  });

  it('fails a tampered payload and says the signature check failed', async () => {
    const statement = Buffer.from(envelope.payload, 'base64').toString('utf8').replace('"name":"scan"', '"name":"scam"');
    const tampered = write('tampered-payload.json', { ...envelope, payload: Buffer.from(statement).toString('base64') });
    const verdict = await executeVerify({ attestations: [tampered], publicKeys: [pubPath], format: 'text' });
    expect(verdict.passed).toBe(false);
    expect(verdict.failed).toEqual([`signature@${tampered}`]);
    expect(formatVerdict(verdict, 'text')).toMatch(/FAIL {2}signature .*none of the 1 signature\(s\) verifies with the 1 supplied key\(s\)/);
  });

  it('fails a tampered Merkle leaf even when the statement is re-signed, naming the leaf', async () => {
    const tampered = write(
      'tampered-leaf.json',
      resign(envelope, (statement) => {
        const leaf = statement.predicate.attestations.find((a) => a.type.endsWith('material/v0.3'))?.attestation.leaves.find((l) => l.path === 'app');
        if (!leaf) throw new Error('no leaf "app"');
        leaf.fileDigest = 'f'.repeat(64);
      }, key),
    );
    const verdict = await executeVerify({ attestations: [tampered], publicKeys: [pubPath], format: 'json' });
    expect(verdict.failed).toEqual([`merkle:material@${tampered}`]);
    const check = verdict.checks.find((c) => c.name === 'merkle:material');
    expect(check?.detail).toMatch(/\("app"\) has leafHash .* but its fileDigest hashes to/);

    const rehashed = write(
      'tampered-leaf-rehashed.json',
      resign(envelope, (statement) => {
        const leaf = statement.predicate.attestations.find((a) => a.type.endsWith('material/v0.3'))?.attestation.leaves.find((l) => l.path === 'app');
        if (!leaf) throw new Error('no leaf "app"');
        leaf.fileDigest = 'f'.repeat(64);
        leaf.leafHash = leafHashOf(leaf.fileDigest);
      }, key),
    );
    const second = await executeVerify({ attestations: [rehashed], publicKeys: [pubPath], format: 'json' });
    expect(second.checks.find((c) => c.name === 'merkle:material')?.detail).toMatch(/the leaves rebuild to root [0-9a-f]{64}, not the signed merkleRoot/);
  });

  it('fails when the subject does not match the tree root', async () => {
    const tampered = write('tampered-subject.json', resign(envelope, (statement) => {
      const subject = statement.subject.find((s) => s.name.endsWith('tree:products'));
      if (!subject) throw new Error('no products subject');
      subject.digest.sha256 = '0'.repeat(64);
    }, key));
    const verdict = await executeVerify({ attestations: [tampered], publicKeys: [pubPath], format: 'text' });
    expect(verdict.failed).toEqual([`merkle:product@${tampered}`]);
  });

  it('tries every key against every signature', async () => {
    expect((await executeVerify({ attestations: [attestation], publicKeys: [otherPub], format: 'text' })).failed).toEqual([`signature@${attestation}`]);
    expect((await executeVerify({ attestations: [attestation], publicKeys: [otherPub, pubPath], format: 'text' })).passed).toBe(true);
    const other = loadSigningKey(readFileSync(join(dir, 'other.pem'), 'utf8'), 'other.pem');
    const twoSigs = signEnvelope(Buffer.from(envelope.payload, 'base64'), INTOTO_PAYLOAD_TYPE, other);
    twoSigs.signatures.push(...envelope.signatures);
    const file = write('two-sigs.json', twoSigs);
    expect((await executeVerify({ attestations: [file], publicKeys: [pubPath], format: 'text' })).passed).toBe(true);
  });

  it('fails a file that is not an envelope, and a wrong statement type', async () => {
    const notEnvelope = write('not-envelope.json', '{"hello":1}');
    const verdict = await executeVerify({ attestations: [notEnvelope], publicKeys: [pubPath], format: 'text' });
    expect(verdict.checks[0]).toMatchObject({ name: 'envelope', passed: false });
    const v1 = write('v1.json', resign(envelope, (statement) => { statement._type = 'https://in-toto.io/Statement/v1'; }, key));
    expect((await executeVerify({ attestations: [v1], publicKeys: [pubPath], format: 'text' })).failed).toEqual([`statement-type@${v1}`]);
  });

  describe('policies', () => {
    const policyFor = (attestations: unknown[], extra: Record<string, unknown> = {}, functionary = key.keyid) => ({
      expires: '2099-01-01T00:00:00Z',
      steps: { scan: { name: 'scan', functionaries: [{ type: 'publickey', publickeyid: functionary }], attestations } },
      ...extra,
    });

    it('passes functionaries, required types and CEL expressions over the attestation body', async () => {
      const policy = write('policy-ok.json', policyFor([
        { type: 'https://aflock.ai/attestations/sarif/v0.1', celpolicies: [{ name: 'few-findings', expression: 'size(input.report.runs[0].results) <= 10' }, { name: 'named', expression: "input.reportFileName == 'out.sarif'" }] },
        { type: 'https://aflock.ai/attestations/command-run/v0.1', celpolicies: [{ name: 'exit-zero', expression: 'input.exitcode == 0' }] },
        { type: 'https://witness.dev/attestations/environment/v0.1' },
      ]));
      const verdict = await executeVerify({ attestations: [attestation], publicKeys: [pubPath], policy, format: 'text' });
      expect(verdict.failed).toEqual([]);
      expect(verdict.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['policy:expires', 'step:scan:functionary', 'step:scan:cel:few-findings', 'step:scan:cel:exit-zero', 'step:scan']));
    });

    it('names each failed policy check', async () => {
      const policy = write('policy-bad.json', policyFor([
        { type: 'https://aflock.ai/attestations/sarif/v0.1', celpolicies: [{ name: 'no-findings', expression: 'size(input.report.runs[0].results) == 0' }, { name: 'typo', expression: 'input.nope == 1' }] },
        { type: 'https://aflock.ai/attestations/git/v0.1' },
      ], {}, 'a'.repeat(64)));
      const verdict = await executeVerify({ attestations: [attestation], publicKeys: [pubPath], policy, format: 'text' });
      expect(verdict.failed).toEqual(expect.arrayContaining([`step:scan:functionary@${attestation}`, `step:scan:cel:no-findings@${attestation}`, `step:scan:cel:typo@${attestation}`, `step:scan:attestation:git/v0.1@${attestation}`, 'step:scan']));
      const text = formatVerdict(verdict, 'text');
      expect(text).toMatch(/size\(input\.report\.runs\[0\]\.results\) == 0 is false/);
      expect(text).toMatch(/input\.nope == 1 could not be evaluated/);
    });

    it('fails an expired policy and a missing step', async () => {
      const policy = write('policy-expired.json', { expires: '2020-01-01T00:00:00Z', steps: { build: { name: 'build', functionaries: [{ type: 'publickey', publickeyid: key.keyid }], attestations: [{ type: 'x' }] } } });
      const verdict = await executeVerify({ attestations: [attestation], publicKeys: [pubPath], policy, format: 'text' });
      expect(verdict.failed).toEqual(['policy:expires', 'step:build']);
      expect(verdict.checks.find((c) => c.name === 'step:build')?.detail).toMatch(/no attestation for step "build" \(collections supplied: "scan"\)/);
    });

    it('evaluates Rego with the real opa: a deny fails with its messages, an empty deny passes', async () => {
      const module = (rule: string) => Buffer.from(`package product\ndeny[msg] { ${rule}; msg := "too many products" }\n`).toString('base64');
      const type = 'https://aflock.ai/attestations/product/v0.3';
      const denying = write('policy-rego-deny.json', policyFor([{ type, regopolicies: [{ name: 'few-products', module: module('input.treeSize >= 0') }] }]));
      const failed = await executeVerify({ attestations: [attestation], publicKeys: [pubPath], policy: denying, format: 'text' });
      expect(failed.passed).toBe(false);
      expect(failed.checks.find((c) => c.name === 'step:scan:rego:few-products')).toMatchObject({ passed: false, detail: 'deny: too many products' });
      const passing = write('policy-rego-pass.json', policyFor([{ type, regopolicies: [{ name: 'few-products', module: module('input.treeSize > 1000') }] }]));
      const passed = await executeVerify({ attestations: [attestation], publicKeys: [pubPath], policy: passing, format: 'text' });
      expect(passed.checks.find((c) => c.name === 'step:scan:rego:few-products')).toMatchObject({ passed: true, detail: 'deny is empty' });
      expect(passed.passed).toBe(true);
    });

    it('refuses a Rego policy when no opa can be found (usage, exit 2), naming how to get it', async () => {
      const policy = write('policy-rego.json', policyFor([{ type: 'https://aflock.ai/attestations/sarif/v0.1', regopolicies: [{ name: 'no-errors', module: 'cGFja2FnZSBzYXJpZg==' }] }]));
      const saved = { PATH: process.env.PATH, CILOCK_OPA: process.env.CILOCK_OPA };
      process.env.PATH = '/nonexistent';
      delete process.env.CILOCK_OPA;
      try {
        await expect(executeVerify({ attestations: [attestation], publicKeys: [pubPath], policy, format: 'text' })).rejects.toMatchObject({
          exitCode: 2,
          message: expect.stringMatching(/carries Rego policies, and Rego policies need the opa binary, and none is on PATH.*npm run tools:install/),
        });
      } finally {
        process.env.PATH = saved.PATH;
        if (saved.CILOCK_OPA !== undefined) process.env.CILOCK_OPA = saved.CILOCK_OPA;
      }
    });

    it('accepts a DSSE-signed policy and uses the keys embedded in it', async () => {
      const body = policyFor([{ type: 'https://aflock.ai/attestations/product/v0.3' }], {
        publickeys: { [key.keyid]: { keyid: key.keyid, key: Buffer.from(key.publicKeyPem).toString('base64') } },
      });
      const signed = write('policy.signed.json', signEnvelope(Buffer.from(JSON.stringify(body)), 'https://aflock.ai/policy/v0.1', key));
      const productRoot = (JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as EditableStatement).subject.find((s) => s.name.endsWith('tree:products'))!.digest.sha256!;
      const verdict = await executeVerify({ attestations: [attestation], publicKeys: [pubPath], policy: signed, subjects: [productRoot], format: 'text' });
      expect(verdict.passed).toBe(true);
      expect(verdict.checks[0]).toMatchObject({ name: 'policy:signature', passed: true });
      const unsignedWithKeys = write('policy-keys.json', body);
      expect((await executeVerify({ attestations: [attestation], publicKeys: [], policy: unsignedWithKeys, format: 'text' })).passed).toBe(true);
      const wrongId = write('policy-wrong-id.json', { ...body, publickeys: { abc: { keyid: 'abc', key: Buffer.from(key.publicKeyPem).toString('base64') } } });
      await expect(executeVerify({ attestations: [attestation], publicKeys: [], policy: wrongId, format: 'text' })).rejects.toThrow(/declares keyid abc but the key's keyid is/);
    });
  });

  describe('usage errors exit 2', () => {
    it.each([
      [{ attestations: [], publicKeys: ['x'] }, /no attestations to verify: pass -a\/--attestations/],
      [{ attestations: ['a.json'], publicKeys: [] }, /no public key: pass -k\/--publickey PUB\.pem/],
      [{ attestations: ['a.json'], publicKeys: ['/nonexistent/pub.pem'] }, /cannot read --publickey \/nonexistent\/pub\.pem: ENOENT/],
      [{ attestations: ['/nonexistent/a.json'], publicKeys: ['PUB'] }, /cannot read attestation \/nonexistent\/a\.json: ENOENT/],
      [{ attestations: ['a.json'], publicKeys: ['PRIV'] }, /holds a private key; verification takes the public key only/],
    ])('%o', async (options, message) => {
      const resolved = { ...options, publicKeys: options.publicKeys.map((p) => (p === 'PUB' ? pubPath : p === 'PRIV' ? keyPath : p)), format: 'text' as const };
      await expect(executeVerify(resolved)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(message) });
    });

    it('rejects an unknown --format', async () => {
      await expect(parseVerifyFlags({ format: 'yaml' })).rejects.toThrow(/unknown --format "yaml" \(want text\|json\)/);
      expect(await parseVerifyFlags({ attestations: ['a,b', 'c'], publickey: ['k'], format: 'JSON' })).toMatchObject({ attestations: ['a', 'b', 'c'], publicKeys: ['k'], format: 'json' });
    });
  });
});
