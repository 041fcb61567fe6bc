import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPublicKey } from '../../../src/attestation/keys.js';
import { verifyAttestation } from '../../../src/attestation/verify.js';
import { ATTESTOR_ORDER } from '../../../src/attestors/registry.js';
import { cleanupTempDirs, generateKey, initGitRepo, listDir, openssl, tempDir, VALID_SARIF } from './support.js';
import { needsTool } from '../../lib/system.js';
import { runCilock } from './harness.js';

needsTool('openssl');

interface DecodedEnvelope {
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

function decode(file: string) {
  const envelope = JSON.parse(readFileSync(file, 'utf8')) as DecodedEnvelope;
  return { envelope, statement: JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) };
}

describe('cilock run', () => {
  let keyDir: string;
  let key: string;
  let pub: string;
  beforeAll(() => {
    keyDir = tempDir('cilock-keys-');
    ({ privatePath: key, publicPath: pub } = generateKey(keyDir, 'ed25519'));
  });
  afterAll(cleanupTempDirs);

  it('writes a signed collection in the fixed attestor order that verifies', async () => {
    const dir = tempDir();
    initGitRepo(dir, { 'README.md': 'readme\n', 'app': 'hello\n' });
    const result = await runCilock(dir, { step: 'build', signerFileKeyPath: key, outfile: 'build.att.json', attestations: ['git,environment'] }, ['sh', '-c', 'echo built > out.bin; echo done']);
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe('done\n');
    const file = join(dir, 'build.att.json');
    expect(readFileSync(file, 'utf8').endsWith('}')).toBe(true);
    expect(listDir(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const { statement } = decode(file);
    expect(statement._type).toBe('https://in-toto.io/Statement/v0.1');
    expect(statement.predicateType).toBe('https://aflock.ai/attestation-collection/v0.1');
    expect(statement.predicate.name).toBe('build');
    const types = statement.predicate.attestations.map((a: { type: string }) => a.type.split('/').slice(-2)[0]);
    expect(types).toEqual(['environment', 'git', 'material', 'command-run', 'product']);
    expect(types).toEqual(ATTESTOR_ORDER.filter((name) => types.includes(name)));
    const names = statement.subject.map((s: { name: string }) => s.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('https://aflock.ai/attestations/material/v0.3/tree:materials');
    expect(names).toContain('https://aflock.ai/attestations/product/v0.3/tree:products');
    expect(names.some((name: string) => name.includes('/git/v0.1/commithash:'))).toBe(true);
    expect(Object.keys(statement.predicate.backrefs)).toEqual(expect.arrayContaining(['https://aflock.ai/attestations/material/v0.3/tree:materials', 'https://aflock.ai/attestations/product/v0.3/tree:products']));
    const product = statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('product/v0.3'));
    expect(product.attestation.leaves.map((leaf: { path: string }) => leaf.path)).toEqual(['out.bin']);
    const commandRun = statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('command-run/v0.1'));
    expect(commandRun.attestation).toEqual({
      cmd: ['sh', '-c', 'echo built > out.bin; echo done'],
      exitcode: 0,
      stdout: 'done\n',
      stdoutBytes: 5,
      stdoutSha256: createHash('sha256').update('done\n').digest('hex'),
      stderrBytes: 0,
      stderrSha256: createHash('sha256').digest('hex'),
    });
    for (const entry of statement.predicate.attestations) expect(entry.starttime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const verified = verifyAttestation(readFileSync(file, 'utf8'), file, [loadPublicKey(readFileSync(pub, 'utf8'), pub)]);
    expect(verified.checks.filter((check) => !check.passed)).toEqual([]);
    expect(result.stderr).toMatch(/cilock run summary:\n\s+step:\s+build/);
    expect(result.stderr).toMatch(/attestor:\s+git — ran \(commit [0-9a-f]{12}\)/);
    expect(result.stderr).toMatch(/command exit:\s+0/);
  });

  it('still signs and writes when the command fails, records the exit code and exits 1', async () => {
    const dir = tempDir();
    const result = await runCilock(dir, { step: 'test', signerFileKeyPath: key, outfile: 'att.json' }, ['sh', '-c', 'echo failing >&2; exit 3']);
    expect(result.error?.exitCode).toBe(1);
    expect(result.error?.message).toMatch(/the wrapped command "sh" exited 3; the signed attestation records that exit code \(pass --ignore-command-exit-code/);
    const { statement } = decode(join(dir, 'att.json'));
    const commandRun = statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('command-run/v0.1'));
    expect(commandRun.attestation.exitcode).toBe(3);
    expect(commandRun.attestation.stderr).toBe('failing\n');
  });

  it('exits 0 with --ignore-command-exit-code and still records the code', async () => {
    const dir = tempDir();
    const result = await runCilock(dir, { step: 'test', signerFileKeyPath: key, outfile: 'att.json', ignoreCommandExitCode: true }, ['sh', '-c', 'exit 4']);
    expect(result.error).toBeUndefined();
    expect(result.outcome?.summary.wrapped_command.exit_code).toBe(4);
    expect(decode(join(dir, 'att.json')).statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('command-run/v0.1')).attestation.exitcode).toBe(4);
  });

  it('writes the envelope but exits 1 when a failed command left no SARIF for the sarif attestor', async () => {
    const dir = tempDir();
    const result = await runCilock(dir, { step: 'scan', signerFileKeyPath: key, outfile: 'att.json', attestations: ['sarif'], ignoreCommandExitCode: true }, ['sh', '-c', 'exit 2']);
    expect(result.error?.exitCode).toBe(1);
    expect(result.error?.message).toMatch(/attestor sarif was skipped: the command wrote no files \(the command exited 2\); the attestation was written without it/);
    expect(result.stderr).toMatch(/attestor:\s+sarif — skipped/);
    const types = decode(join(dir, 'att.json')).statement.predicate.attestations.map((a: { type: string }) => a.type);
    expect(types).toContain('https://aflock.ai/attestations/command-run/v0.1');
    expect(types).not.toContain('https://aflock.ai/attestations/sarif/v0.1');
  });

  it('prints only the envelope on stdout without --outfile; the command\'s stdout goes to stderr', async () => {
    const dir = tempDir();
    const result = await runCilock(dir, { step: 'build', signerFileKeyPath: key }, ['echo', 'tool output']);
    expect(result.stdout.endsWith('}\n')).toBe(true);
    expect(JSON.parse(result.stdout)).toHaveProperty('payloadType', 'application/vnd.in-toto+json');
    expect(result.stderr).toContain('tool output\n');
  });

  it('--json puts one summary object on stdout and the command output on stderr', async () => {
    const dir = tempDir();
    const result = await runCilock(dir, { step: 'build', signerFileKeyPath: key, json: true, outfile: 'a.json' }, ['echo', 'tool output']);
    expect(result.stderr).toContain('tool output\n');
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ step: 'build', uploaded: false, written: true, outfile: 'a.json', wrapped_command: { args: ['echo', 'tool output'], exit_code: 0 } });
    expect(summary.signer).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.attestors.map((a: { name: string; status: string }) => `${a.name}:${a.status}`)).toEqual(['environment:ran', 'material:ran', 'command-run:ran', 'product:ran']);
    expect(summary.subjects.map((s: { name: string }) => s.name)).toContain('https://aflock.ai/attestations/product/v0.3/tree:products');
    const noOutfile = await runCilock(dir, { step: 'build', signerFileKeyPath: key, json: true }, ['true']);
    expect(JSON.parse(noOutfile.stdout).envelope.payloadType).toBe('application/vnd.in-toto+json');
  });

  it('never lets secret values into the envelope', async () => {
    const dir = tempDir();
    const secrets = { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', MY_DEPLOY_PHRASE: 'open-sesame-custom-value' };
    const env = { ...process.env, ...secrets, COPIED: `copy-${secrets.GITHUB_TOKEN}` };
    const result = await runCilock(
      dir,
      { step: 'build', signerFileKeyPath: key, outfile: 'att.json', envAddSensitiveKey: ['MY_DEPLOY_PHRASE'] },
      ['sh', '-c', 'echo "$AWS_SECRET_ACCESS_KEY $GITHUB_TOKEN $MY_DEPLOY_PHRASE"; echo "$MY_DEPLOY_PHRASE" >&2; echo "$GITHUB_TOKEN" > leaked.txt', secrets.GITHUB_TOKEN, `--password=${secrets.MY_DEPLOY_PHRASE}`],
      { env },
    );
    expect(result.error).toBeUndefined();
    const raw = readFileSync(join(dir, 'att.json'), 'utf8');
    const payload = Buffer.from(JSON.parse(raw).payload, 'base64').toString('utf8');
    for (const value of Object.values(secrets)) {
      expect(raw).not.toContain(value);
      expect(payload).not.toContain(value);
      expect(payload).not.toContain(Buffer.from(value).toString('base64'));
    }
    const statement = JSON.parse(payload);
    const environment = statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('environment/v0.1')).attestation;
    expect(environment.variables.AWS_SECRET_ACCESS_KEY).toBe('******');
    expect(environment.variables.GITHUB_TOKEN).toBe('******');
    expect(environment.variables.MY_DEPLOY_PHRASE).toBe('******');
    expect(environment.variables.COPIED).toBe('copy-[REDACTED]');
    const commandRun = statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('command-run/v0.1')).attestation;
    expect(commandRun.stdout).toBe('[REDACTED] [REDACTED] [REDACTED]\n');
    expect(commandRun.cmd.slice(3)).toEqual(['[REDACTED]', '--password=[REDACTED]']);
  });

  it('accepts an encrypted key with the passphrase from a file or AFLOCK_KEY_PASSPHRASE', async () => {
    const dir = tempDir();
    const encrypted = join(keyDir, 'enc.pem');
    openssl(['pkcs8', '-topk8', '-in', key, '-v2', 'aes-256-cbc', '-passout', 'pass:s3cret-pass', '-out', encrypted]);
    writeFileSync(join(keyDir, 'pass.txt'), 's3cret-pass\n');
    const viaFile = await runCilock(dir, { step: 's', signerFileKeyPath: encrypted, signerFileKeyPassphrasePath: join(keyDir, 'pass.txt'), outfile: 'a.json' }, ['true']);
    expect(viaFile.error).toBeUndefined();
    const viaEnv = await runCilock(dir, { step: 's', signerFileKeyPath: encrypted, outfile: 'b.json' }, ['true'], { env: { ...process.env, AFLOCK_KEY_PASSPHRASE: 's3cret-pass' } });
    expect(viaEnv.error).toBeUndefined();
  });

  it('--attestor-sarif-report picks the report among several and attaches sarif by itself', async () => {
    const dir = tempDir();
    const sarif = JSON.stringify(VALID_SARIF);
    const result = await runCilock(dir, { step: 'scan', signerFileKeyPath: key, outfile: 'att.json', attestations: ['environment'], attestorSarifReport: 'b.sarif' }, ['sh', '-c', `echo '${sarif}' > a.sarif; echo '${sarif}' > b.sarif`]);
    expect(result.error).toBeUndefined();
    expect(result.stderr).toContain('cilock: --attestor-sarif-report given: attaching sarif');
    const sarifEntry = decode(join(dir, 'att.json')).statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('sarif/v0.1'));
    expect(sarifEntry.attestation.reportFileName).toBe('b.sarif');
  });

  it('attaches what detection suggests when -a is absent and reports it on stderr', async () => {
    const dir = tempDir();
    const sarif = JSON.stringify(VALID_SARIF);
    const result = await runCilock(
      dir,
      { signerFileKeyPath: key, outfile: 'att.json' },
      ['sh', '-c', `printf '%s' '${sarif}' > kubescape.sarif`, 'kubescape.sarif'],
      { detect: async () => ({ attestors: ['sarif'], step: 'compliance-scan', notes: ['detection fired: kubescape (argv_prefix:kubescape)'] }) },
    );
    expect(result.error).toBeUndefined();
    expect(result.stderr).toContain('cilock: detection fired: kubescape (argv_prefix:kubescape)');
    expect(result.stderr).toContain('cilock: inferred --step=compliance-scan from the command');
    expect(result.stderr).toContain('cilock: no -a given: attaching environment (default) + sarif (detected)');
    const { statement } = decode(join(dir, 'att.json'));
    expect(statement.predicate.name).toBe('compliance-scan');
    const sarifEntry = statement.predicate.attestations.find((a: { type: string }) => a.type === 'https://aflock.ai/attestations/sarif/v0.1');
    expect(sarifEntry.attestation.reportFileName).toBe('kubescape.sarif');
    expect(sarifEntry.attestation.report).toEqual(VALID_SARIF);
    expect(result.stderr).toMatch(/attestor:\s+sarif — ran \(kubescape\.sarif \(named on the command line\)\)/);
  });
});

describe('cilock run: bad input fails before anything is run or written', () => {
  let key: string;
  let keyDir: string;
  beforeAll(() => {
    keyDir = tempDir('cilock-keys-');
    key = generateKey(keyDir, 'ed25519').privatePath;
  });
  afterAll(cleanupTempDirs);

  const sideEffect = ['sh', '-c', 'touch ran.txt'];

  async function expectRejected(flags: Parameters<typeof runCilock>[1], message: RegExp, exitCode: 1 | 2, argv: string[] = sideEffect, env?: Record<string, string | undefined>) {
    const dir = tempDir();
    mkdirSync(join(dir, 'out'));
    const before = listDir(dir);
    const result = await runCilock(dir, { outfile: 'out/att.json', ...flags }, argv, env ? { env } : {});
    expect(result.error?.message).toMatch(message);
    expect(result.error?.exitCode).toBe(exitCode);
    expect(existsSync(join(dir, 'ran.txt'))).toBe(false);
    expect(listDir(dir)).toEqual(before);
    expect(listDir(join(dir, 'out'))).toEqual([]);
    return result;
  }

  it('unknown attestor', () => expectRejected({ step: 's', signerFileKeyPath: key, attestations: ['sarif,nope'] }, /unknown attestor "nope" in -a\/--attestations; available: environment, git, sarif/, 2));
  it('git outside a repository', () => expectRejected({ step: 's', signerFileKeyPath: key, attestations: ['git'] }, /is not inside one; run "git init" there/, 1));
  it('missing key flag', () => expectRejected({ step: 's' }, /no signing key: pass -k\/--signer-file-key-path <key\.pem> \(create one with: openssl genpkey/, 2));
  it('unreadable key file', () => expectRejected({ step: 's', signerFileKeyPath: '/nonexistent/key.pem' }, /cannot read key file \/nonexistent\/key\.pem: ENOENT; check -k\/--signer-file-key-path/, 1));
  it('wrong passphrase', () => {
    const encrypted = join(keyDir, 'enc-wrong.pem');
    openssl(['pkcs8', '-topk8', '-in', key, '-v2', 'aes-256-cbc', '-passout', 'pass:right', '-out', encrypted]);
    return expectRejected({ step: 's', signerFileKeyPath: encrypted, signerFileKeyPassphrase: 'wrong' }, /could not decrypt key file .*enc-wrong\.pem: the passphrase is wrong/, 1);
  });
  it('encrypted key without passphrase', () => {
    const encrypted = join(keyDir, 'enc-none.pem');
    openssl(['pkcs8', '-topk8', '-in', key, '-v2', 'aes-256-cbc', '-passout', 'pass:right', '-out', encrypted]);
    const env = { ...process.env };
    delete env.AFLOCK_KEY_PASSPHRASE;
    delete env.WITNESS_KEY_PASSPHRASE;
    return expectRejected({ step: 's', signerFileKeyPath: encrypted }, /is encrypted and no passphrase was given/, 1, sideEffect, env);
  });
  it('command not on PATH', () => expectRejected({ step: 's', signerFileKeyPath: key }, /cannot start command "cilock-missing-tool": it is not on PATH/, 1, ['cilock-missing-tool', '--flag']));
  it('--enable-archivista=true', () => expectRejected({ step: 's', signerFileKeyPath: key, enableArchivista: 'true' }, /--enable-archivista=true needs an Archivista server, and uploading is not built into this cilock yet/, 2));
  it('--enable-archivista with a non-boolean value', () => expectRejected({ step: 's', signerFileKeyPath: key, enableArchivista: 'kubescape' }, /--enable-archivista takes true or false, got "kubescape"/, 2));
  it('unsupported --hashes', () => expectRejected({ step: 's', signerFileKeyPath: key, hashes: ['sha256,md5'] }, /unsupported hash "md5" in --hashes/, 2));
  it('missing working directory', () => expectRejected({ step: 's', signerFileKeyPath: key, workingdir: 'nope' }, /--workingdir nope does not exist; pass an existing directory/, 2));
  it('outfile in a missing directory', () => expectRejected({ step: 's', signerFileKeyPath: key, outfile: 'missing/att.json' }, /cannot write --outfile missing\/att\.json: the directory .* does not exist or is not writable/, 2));
  it('no step and none inferable', () => expectRejected({ signerFileKeyPath: key }, /--step is required: could not infer a step from "sh -c touch ran.txt"; pass -s\/--step <name>/, 2));
  it('both passphrase flags', () => expectRejected({ step: 's', signerFileKeyPath: key, signerFileKeyPassphrase: 'a', signerFileKeyPassphrasePath: 'b' }, /were both given; pass only one/, 2));

  async function expectNoEnvelope(argv: string[], message: RegExp, flags: Parameters<typeof runCilock>[1] = {}) {
    const dir = tempDir();
    const result = await runCilock(dir, { step: 'scan', signerFileKeyPath: key, outfile: 'att.json', attestations: ['sarif'], ...flags }, argv);
    expect(result.error?.exitCode).toBe(1);
    expect(result.error?.message).toMatch(message);
    expect(result.error?.message).toMatch(/no attestation was written/);
    expect(existsSync(join(dir, 'att.json'))).toBe(false);
    expect(listDir(dir).filter((name) => name.includes('att.json'))).toEqual([]);
    expect(result.stderr).toMatch(/attestor:\s+sarif — failed/);
    expect(result.stderr).toMatch(/outfile:\s+not written/);
  }

  it('invalid SARIF: no envelope', () => expectNoEnvelope(['sh', '-c', `echo '{"version":"2.1.0","runs":[{}]}' > bad.sarif`], /"bad\.sarif" is not valid SARIF 2\.1\.0/));
  it('ambiguous SARIF products: no envelope', () => {
    const sarif = JSON.stringify(VALID_SARIF);
    return expectNoEnvelope(['sh', '-c', `echo '${sarif}' > a.sarif; echo '${sarif}' > b.sarif`], /found 2 SARIF products \("a\.sarif", "b\.sarif"\).*--attestor-sarif-report/);
  });
  it('no SARIF written by a successful command: no envelope', () => expectNoEnvelope(['true'], /no SARIF report to attest: the command wrote no files/));
});
