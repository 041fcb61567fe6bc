/**
 * Upstream's trust model end to end: two real `cilock run` steps (build writes `app`, scan reads
 * it), a policy signed with `cilock sign`, and `cilock verify` of the artifact. The policy signer's
 * key vouches for the policy; only the keys the policy lists count for attestations; a step passes
 * only with an attestation bound to the artifact; artifactsFrom / attestationsFrom chain the steps.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signEnvelope, type DsseEnvelope } from '../../../src/attestation/dsse.js';
import { loadSigningKey, type SigningKey } from '../../../src/attestation/keys.js';
import { WITNESS_POLICY_PAYLOAD_TYPE } from '../../../src/attestation/payload-types.js';
import { dirHashOf } from '../../../src/attestation/subjects.js';
import { sha256Hex } from '../../../src/files/digest.js';
import { executeVerify, formatVerdict, type VerifyOptions } from '../../../src/cli/verify.js';
import { needsTool } from '../../lib/system.js';
import { runCilock } from '../run/harness.js';
import { cleanupTempDirs, generateKey, tempDir } from '../run/support.js';

needsTool('openssl');
const cli = resolve(import.meta.dirname, '../../../dist/cli/main.js');
afterAll(cleanupTempDirs);

const COMMAND_RUN = 'https://aflock.ai/attestations/command-run/v0.1';
const PRODUCT = 'https://aflock.ai/attestations/product/v0.3';

describe('verify in policy mode: a signed policy, two chained steps, one artifact', () => {
  let dir: string;
  let work: string;
  let functionary: SigningKey;
  let policySigner: SigningKey;
  let signerPub: string;
  let functionaryPub: string;
  let build: string;
  let scan: string;
  const appSha = sha256Hex('hello');

  const file = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };
  const policyBody = (scanExtra: Record<string, unknown> = {}, keys: SigningKey[] = [functionary]) => ({
    expires: '2099-01-01T00:00:00Z',
    publickeys: Object.fromEntries(keys.map((k) => [k.keyid, { keyid: k.keyid, key: Buffer.from(k.publicKeyPem).toString('base64') }])),
    steps: {
      scan: { name: 'scan', functionaries: [{ type: 'publickey', publickeyid: functionary.keyid }], attestations: [{ type: COMMAND_RUN }], artifactsFrom: ['build'], ...scanExtra },
      build: { name: 'build', functionaries: [{ type: 'publickey', publickeyid: functionary.keyid }], attestations: [{ type: PRODUCT }] },
    },
  });
  const signed = (name: string, body: unknown, key = policySigner) => file(name, signEnvelope(Buffer.from(JSON.stringify(body)), WITNESS_POLICY_PAYLOAD_TYPE, key));
  const verify = (options: Partial<VerifyOptions>) => executeVerify({ attestations: [build, scan], publicKeys: [signerPub], format: 'text', ...options });

  beforeAll(async () => {
    dir = tempDir();
    work = tempDir();
    const f = generateKey(dir, 'ed25519', 'functionary');
    const p = generateKey(dir, 'p256', 'policy-signer');
    functionary = loadSigningKey(readFileSync(f.privatePath, 'utf8'), f.privatePath);
    policySigner = loadSigningKey(readFileSync(p.privatePath, 'utf8'), p.privatePath);
    signerPub = p.publicPath;
    functionaryPub = f.publicPath;
    writeFileSync(join(work, 'main.c'), 'int main(void) { return 0; }\n');
    // Older than the run, so build's only product is app (a file touched just before may count as rewritten).
    utimesSync(join(work, 'main.c'), 1_700_000_000, 1_700_000_000);
    build = join(dir, 'build.att.json');
    scan = join(dir, 'scan.att.json');
    const built = await runCilock(work, { step: 'build', signerFileKeyPath: f.privatePath, outfile: build }, ['sh', '-c', 'printf hello > app']);
    expect(built.error).toBeUndefined();
    const scanned = await runCilock(work, { step: 'scan', signerFileKeyPath: f.privatePath, outfile: scan }, ['sh', '-c', 'cat app main.c > /dev/null']);
    expect(scanned.error).toBeUndefined();
  });

  it('passes, binding the artifact to build as a product leaf and to scan as a material leaf', async () => {
    const policy = signed('policy.signed.json', policyBody({ attestationsFrom: ['build'], attestations: [{ type: COMMAND_RUN, celpolicies: [{ name: 'after-build', expression: `'${PRODUCT}' in input.steps.build && input.attestation.exitcode == 0` }] }] }));
    const verdict = await verify({ policy, artifactFile: join(work, 'app') });
    expect(verdict.failed).toEqual([]);
    expect(verdict.mode).toBe('policy');
    const names = verdict.checks.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['policy:signature', 'step:scan:subject', 'step:scan:artifacts-from:build', 'step:scan:cel:after-build', 'step:build:subject', 'step:build']));
    // Reported in policy order: scan first, then build.
    expect(verdict.bindings).toMatchObject([
      { step: 'scan', matchedSubject: `sha256:${appSha}`, observedSubjectName: 'app', via: 'material-leaf' },
      { step: 'build', matchedSubject: `sha256:${appSha}`, via: 'product-leaf', observedSubjectName: 'app' },
    ]);
    expect(JSON.parse(formatVerdict(verdict, 'json'))).toMatchObject({ passed: true, step: 'scan', matchedSubject: `sha256:${appSha}`, observedSubjectName: 'app' });
  });

  it('fails when the artifact is another file, naming the step and the digest', async () => {
    const other = file('other-app', 'hello, world');
    const verdict = await verify({ policy: signed('p2.json', policyBody()), artifactFile: other });
    expect(verdict.passed).toBe(false);
    expect(verdict.failed).toEqual(expect.arrayContaining(['step:build', 'step:scan']));
    expect(verdict.checks.find((c) => c.name === 'step:build')?.detail).toBe(`none of the 1 attestation(s) for step "build" is bound to sha256:${sha256Hex('hello, world')}: no signed subject and no product or material leaf has that digest`);
    expect(verdict.checks.find((c) => c.name === 'step:scan')?.detail).toMatch(/step "scan" chains from "build", which did not pass|none of the 1 attestation/);
    expect(JSON.parse(formatVerdict(verdict, 'json'))).not.toHaveProperty('step');
  });

  it('counts only the keys the policy lists: a -k key that signed the attestations does not', async () => {
    const other = generateKey(dir, 'ed25519', 'stranger');
    const stranger = loadSigningKey(readFileSync(other.privatePath, 'utf8'), other.privatePath);
    const policy = signed('p3.json', policyBody({}, [stranger]));
    const verdict = await verify({ policy, artifactFile: join(work, 'app'), publicKeys: [signerPub, functionaryPub] });
    expect(verdict.failed).toEqual(expect.arrayContaining([`signature@${build}`, `signature@${scan}`, 'step:build', 'step:scan']));
  });

  it('fails a policy the -k key did not sign', async () => {
    const policy = signed('p4.json', policyBody(), functionary);
    const verdict = await verify({ policy, artifactFile: join(work, 'app') });
    expect(verdict.failed).toContain(`policy:signature@${policy}`);
    expect(verdict.checks[0]?.detail).toMatch(/no supplied -k\/--publickey verifies the policy envelope/);
  });

  it('without a subject, refuses (exit 2) and lists candidate --subjects values', async () => {
    await expect(verify({ policy: signed('p5.json', policyBody()) })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/^at least one subject is required[^]*-f\/--artifactfile[^]*--directory-path[^]*-s\/--subjects[^]*--subjects sha256:[0-9a-f]{64} {3}\(https:\/\/aflock\.ai\/attestations\/material\/v0\.3\/tree:materials in /),
    });
  });

  it('artifactsFrom fails when the scan read another version of a file build recorded', async () => {
    const elsewhere = tempDir();
    writeFileSync(join(elsewhere, 'main.c'), 'int main(void) { return 1; }\n');
    writeFileSync(join(elsewhere, 'app'), 'hello');
    const driftScan = join(dir, 'drift-scan.att.json');
    expect((await runCilock(elsewhere, { step: 'scan', signerFileKeyPath: join(dir, 'functionary.pem'), outfile: driftScan }, ['true'])).error).toBeUndefined();
    const verdict = await verify({ policy: signed('p6.json', policyBody()), artifactFile: join(work, 'app'), attestations: [build, driftScan] });
    const check = verdict.checks.find((c) => c.name === 'step:scan:artifacts-from:build');
    expect(check).toMatchObject({ passed: false });
    expect(check?.detail).toMatch(/^1 of 2 shared path\(s\) differ from step "build": "main\.c" \(sha256 [0-9a-f]{64} here, [0-9a-f]{64} in step "build"\)$/);
  });

  it('a digest that is only a single-leaf tree root binds through that signed subject', async () => {
    // With the product body removed no tree lists the artifact as a leaf, but build's signed
    // product root (app was its only product) is the root of a tree of it alone.
    const edited = JSON.parse(readFileSync(build, 'utf8')) as DsseEnvelope;
    const statement = JSON.parse(Buffer.from(edited.payload, 'base64').toString('utf8')) as { predicate: { attestations: { type: string; attestation: unknown }[] } };
    statement.predicate.attestations = statement.predicate.attestations.filter((a) => a.type !== PRODUCT);
    const rootOnly = file('root-only.att.json', signEnvelope(Buffer.from(JSON.stringify(statement)), 'application/vnd.in-toto+json', functionary));
    const verdict = await executeVerify({ attestations: [rootOnly], publicKeys: [functionaryPub], artifactFile: join(work, 'app'), format: 'text' });
    expect(verdict.failed).toEqual([]);
    expect(verdict.bindings).toMatchObject([{ via: 'subject', observedSubjectName: `${PRODUCT}/tree:products`, matchedSubject: `sha256:${appSha}` }]);
  });

  it('-s binds through a signed subject; a malformed -s is a usage error', async () => {
    const statement = JSON.parse(Buffer.from((JSON.parse(readFileSync(build, 'utf8')) as DsseEnvelope).payload, 'base64').toString('utf8')) as { subject: { name: string; digest: { sha256: string } }[] };
    const materials = statement.subject.find((s) => s.name.endsWith('tree:materials'))!.digest.sha256;
    const verdict = await verify({ policy: signed('p7.json', { ...policyBody(), steps: { build: policyBody().steps.build } }), subjects: [`sha256:${materials}`] });
    expect(verdict.failed).toEqual([]);
    expect(verdict.bindings).toMatchObject([{ step: 'build', via: 'subject', observedSubjectName: 'https://aflock.ai/attestations/material/v0.3/tree:materials' }]);
    await expect(verify({ policy: signed('p8.json', policyBody()), subjects: ['sha256:xyz'] })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^invalid subject digest "sha256:xyz": must be a hex-encoded hash of 64 characters/) });
  });

  it('key-only mode checks the artifact when one is given', async () => {
    const ok = await executeVerify({ attestations: [build], publicKeys: [functionaryPub], artifactFile: join(work, 'app'), format: 'text' });
    expect(ok.failed).toEqual([]);
    expect(ok.mode).toBe('key-only');
    expect(ok.checks.at(-1)).toMatchObject({ name: 'artifact', passed: true });
    const bad = await executeVerify({ attestations: [build], publicKeys: [functionaryPub], artifactFile: file('nope', 'x'), format: 'text' });
    expect(bad.failed).toEqual(['artifact']);
    expect(bad.checks.at(-1)?.detail).toMatch(/no attestation that passed its checks names sha256:[0-9a-f]{64} \(-f .*nope\) as a subject or a product\/material leaf/);
  });

  it('--directory-path binds through a dirHash subject', async () => {
    const tree = tempDir();
    mkdirSync(join(tree, 'bin'));
    writeFileSync(join(tree, 'bin', 'app'), 'hello');
    writeFileSync(join(tree, 'README'), 'r\n');
    const edited = JSON.parse(readFileSync(build, 'utf8')) as DsseEnvelope;
    const statement = JSON.parse(Buffer.from(edited.payload, 'base64').toString('utf8')) as { subject: { name: string; digest: Record<string, string> }[] };
    const dirHash = dirHashOf([{ path: 'bin/app', sha256: sha256Hex('hello') }, { path: 'README', sha256: sha256Hex('r\n') }]);
    statement.subject.push({ name: 'release/', digest: { dirHash } });
    const withDir = file('dir.att.json', signEnvelope(Buffer.from(JSON.stringify(statement)), 'application/vnd.in-toto+json', functionary));
    const verdict = await executeVerify({ attestations: [withDir], publicKeys: [functionaryPub], directoryPath: tree, format: 'text' });
    expect(verdict.failed).toEqual([]);
    expect(verdict.bindings).toMatchObject([{ via: 'subject', observedSubjectName: 'release/', matchedSubject: `sha256:${dirHash}` }]);
    writeFileSync(join(tree, 'extra'), 'x');
    expect((await executeVerify({ attestations: [withDir], publicKeys: [functionaryPub], directoryPath: tree, format: 'text' })).failed).toEqual(['artifact']);
  });

  it('dirHash is upstream\'s: sha256 over "<sha256>  <path>\\n" lines sorted by path (checked with sha256sum)', () => {
    const tree = tempDir();
    mkdirSync(join(tree, 'b'));
    writeFileSync(join(tree, 'b', 'c.txt'), 'c\n');
    writeFileSync(join(tree, 'a.txt'), 'a\n');
    const summary = spawnSync('sh', ['-c', 'sha256sum a.txt b/c.txt | sha256sum | cut -d" " -f1'], { cwd: tree, encoding: 'utf8' }).stdout.trim();
    expect(dirHashOf([{ path: 'b/c.txt', sha256: sha256Hex('c\n') }, { path: 'a.txt', sha256: sha256Hex('a\n') }])).toBe(summary);
  });

  describe('the built CLI', () => {
    beforeAll(() => {
      if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build:cli (npm test builds it first)`);
    });
    const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' });

    it('prints upstream\'s success lines on stderr and the verdict on stdout', () => {
      const policy = signed('cli.json', policyBody());
      const r = run(['verify', join(work, 'app'), '-p', policy, '-k', signerPub, '-a', `${build},${scan}`]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe(`Verification succeeded\nverified: sha256:${appSha} bound to step "scan" as a material leaf "app" (Merkle inclusion, root-verified)\nverified: sha256:${appSha} bound to step "build" as a product leaf "app" (Merkle inclusion, root-verified)\n`);
      expect(r.stdout).toMatch(/verification PASSED/);
    });

    it('fails with exit 1 and upstream\'s failure line', () => {
      const r = run(['verify', '-f', file('cli-other', 'x'), '-p', signed('cli2.json', policyBody()), '-k', signerPub, '-a', `${build},${scan}`, '-o', 'json']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^failed to verify policy: \d+ check\(s\) failed: step:scan, step:build\n$/);
      expect(JSON.parse(r.stdout)).toMatchObject({ passed: false });
    });

    it.each([
      [['verify', 'app', '-f', 'app'], /artifact given both positionally \("app"\) and via --artifactfile\/--directory-path; use one/],
      [['verify', 'missing-artifact', '-a', 'x.json', '-k', 'k.pem'], /artifact path "missing-artifact": ENOENT/],
      [['verify', '--directory-path', 'no-such-dir', '-a', 'x.json', '-k', 'functionary.pub.pem'], /cannot read --directory-path no-such-dir: ENOENT; pass the artifact directory/],
      [['verify', '--directory-path', 'cli.json', '-a', 'x.json', '-k', 'functionary.pub.pem'], /--directory-path cli\.json is not a directory; pass a single artifact file with -f\/--artifactfile/],
    ])('%j is a usage error', (args, message) => {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  });
});
