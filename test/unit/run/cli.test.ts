/**
 * The built CLI (`node dist/cli/main.js`) end to end: exit codes, the seed page's Kubescape flow
 * (with the Kubescape test stand-in on PATH), and `cilock verify` on what `cilock run` wrote.
 * Fails with a message when dist/ has not been built (`npm test` builds first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { cleanupTempDirs, generateKey, initGitRepo, listDir, tempDir } from './support.js';
import { needsTool } from '../../lib/system.js';

const root = resolve(import.meta.dirname, '../../..');
const cli = join(root, 'dist/cli/main.js');
const standInBin = join(root, 'test/stand-ins/bin');
const manifests = join(root, 'catalog/tools/kubescape/examples/static-manifests/manifests');
needsTool('openssl');
beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build:cli (npm test builds it first)`);
});

function cilock(args: string[], cwd: string, env: Record<string, string | undefined> = process.env) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cilock CLI', () => {
  let keys: string;
  let key: string;
  let pub: string;
  beforeAll(() => {
    keys = tempDir('cilock-keys-');
    ({ privatePath: key, publicPath: pub } = generateKey(keys, 'ed25519'));
  });
  afterAll(cleanupTempDirs);

  it('usage errors exit 2 and write nothing', () => {
    const dir = tempDir();
    expect(cilock(['run', '-s', 'x', '-k', key], dir).code).toBe(2);
    expect(cilock(['run', '-s', 'x', '-k', key, '--bogus', '--', 'true'], dir).code).toBe(2);
    const archivista = cilock(['run', '-s', 'x', '-k', key, '-o', 'a.json', '--enable-archivista', '--', 'true'], dir);
    expect(archivista.code).toBe(2);
    expect(archivista.stderr).toMatch(/^cilock: --enable-archivista=true needs an Archivista server/m);
    const badAttestor = cilock(['run', '-s', 'x', '-k', key, '-o', 'a.json', '-a', 'nope', '--', 'true'], dir);
    expect(badAttestor.code).toBe(2);
    expect(badAttestor.stderr).toMatch(/cilock: unknown attestor "nope"/);
    expect(cilock(['verify', '-k', pub], dir).code).toBe(2);
    expect(listDir(dir)).toEqual([]);
  });

  it('passes tool flags after the command through untouched and accepts --enable-archivista=false', () => {
    const dir = tempDir();
    const result = cilock(['run', '-s', 'x', '-k', key, '-o', 'a.json', '--enable-archivista=false', 'printf', '%s|', '--output', '-o', 'x'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('--output|-o|x|');
  });

  it('exits 1 when the command fails but still writes a verifiable envelope', () => {
    const dir = tempDir();
    const result = cilock(['run', '-s', 'test', '-k', key, '-o', 'att.json', '--', 'sh', '-c', 'exit 7'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cilock: the wrapped command "sh" exited 7/);
    expect(cilock(['verify', '-a', 'att.json', '-k', pub], dir).code).toBe(0);
    expect(cilock(['run', '-s', 'test', '-k', key, '-o', 'att2.json', '--ignore-command-exit-code', '--', 'sh', '-c', 'exit 7'], dir).code).toBe(0);
  });

  it('--json prints exactly one JSON object on stdout', () => {
    const dir = tempDir();
    const result = cilock(['run', '-s', 'build', '-k', key, '-o', 'att.json', '--json', '--', 'echo', 'from-tool'], dir);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ step: 'build', written: true });
    expect(result.stderr).toContain('from-tool');
  });

  describe('the Kubescape page flow (Kubescape test stand-in on PATH)', () => {
    it('runs the documented command, attaches sarif, and verifies with a CEL policy', () => {
      const dir = tempDir();
      cpSync(manifests, join(dir, 'manifests'), { recursive: true });
      initGitRepo(dir, {});
      const env = { ...process.env, PATH: `${standInBin}${delimiter}${process.env.PATH ?? ''}`, SOURCE_DATE_EPOCH: '1782900000' };
      const run = cilock(
        ['run', '--step', 'kubescape-scan', '--signer-file-key-path', key, '--outfile', 'attestation.json', '--attestations', 'sarif,environment,git', '--enable-archivista=false', '--', 'kubescape', 'scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'kubescape.sarif', 'manifests/'],
        dir,
        env,
      );
      expect(run.stderr).toContain('attestor:     sarif — ran (kubescape.sarif (named on the command line))');
      expect(run.code).toBe(0);
      const envelope = JSON.parse(readFileSync(join(dir, 'attestation.json'), 'utf8'));
      const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
      expect(statement.predicate.attestations.map((a: { type: string }) => a.type)).toEqual([
        'https://aflock.ai/attestations/environment/v0.1',
        'https://aflock.ai/attestations/git/v0.1',
        'https://aflock.ai/attestations/material/v0.3',
        'https://aflock.ai/attestations/command-run/v0.1',
        'https://aflock.ai/attestations/product/v0.3',
        'https://aflock.ai/attestations/sarif/v0.1',
      ]);
      const commandRun = statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('command-run/v0.1'));
      expect(commandRun.attestation.cmd).toEqual(['kubescape', 'scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'kubescape.sarif', 'manifests/']);
      const sarif = statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('sarif/v0.1'));
      const findings = sarif.attestation.report.runs[0].results.length;
      expect(findings).toBeGreaterThan(0);

      const policy = (expression: string) => ({
        expires: '2099-01-01T00:00:00Z',
        steps: {
          'kubescape-scan': {
            name: 'kubescape-scan',
            functionaries: [{ type: 'publickey', publickeyid: envelope.signatures[0].keyid }],
            attestations: [{ type: 'https://aflock.ai/attestations/sarif/v0.1', celpolicies: [{ name: 'findings', expression }] }],
          },
        },
      });
      writeFileSync(join(dir, 'pass.json'), JSON.stringify(policy(`size(input.report.runs[0].results) <= ${findings}`)));
      writeFileSync(join(dir, 'fail.json'), JSON.stringify(policy('size(input.report.runs[0].results) == 0')));
      const pass = cilock(['verify', '--attestations', 'attestation.json', '--publickey', pub, '--policy', 'pass.json'], dir);
      expect(pass.code).toBe(0);
      expect(pass.stdout).toMatch(/verification PASSED/);
      const fail = cilock(['verify', '--attestations', 'attestation.json', '--publickey', pub, '--policy', 'fail.json', '--format', 'json'], dir);
      expect(fail.code).toBe(1);
      expect(JSON.parse(fail.stdout)).toMatchObject({ passed: false, failed: ['step:kubescape-scan:cel:findings@attestation.json', 'step:kubescape-scan'] });
    });
  });
});
