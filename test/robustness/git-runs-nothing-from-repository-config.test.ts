/**
 * The git attestor reads a repository without running anything the repository's own configuration
 * names: an fsmonitor hook, a filter driver's clean command, and replace refs are all ignored, and a
 * repository git refuses as another user's is reported with a hint.
 */
import { chmodSync, chownSync, existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, generateKey, initGitRepo, tempDir } from '../unit/run/support.js';
import { runCilock } from '../unit/run/harness.js';

afterAll(cleanupTempDirs);

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com' } }).trim();

/** A script that leaves `marker` behind when something runs it (and passes stdin through, as a filter does). */
function markerScript(dir: string, marker: string, filter = false): string {
  const script = join(dir, filter ? 'filter.sh' : 'hook.sh');
  writeFileSync(script, `#!/bin/sh\ntouch '${marker}'\n${filter ? 'cat\n' : ''}`);
  chmodSync(script, 0o755);
  return script;
}

describe('cilock run -a git runs nothing a repository configures', () => {
  let key: string;
  beforeAll(() => {
    ({ privatePath: key } = generateKey(tempDir('cilock-keys-'), 'ed25519'));
  });

  async function attestGit(dir: string, env: Record<string, string | undefined> = { ...process.env }) {
    return runCilock(dir, { step: 'build', signerFileKeyPath: key, outfile: join(tempDir(), 'att.json'), attestations: ['git'] }, ['true'], { env });
  }

  it('ignores core.fsmonitor', async () => {
    const dir = tempDir();
    const side = tempDir();
    const marker = join(side, 'fsmonitor-ran');
    initGitRepo(dir);
    git(dir, 'config', 'core.fsmonitor', markerScript(side, marker));
    const result = await attestGit(dir);
    expect(result.error).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  it("ignores a filter driver's clean command when status re-reads a file", async () => {
    const dir = tempDir();
    const side = tempDir();
    const marker = join(side, 'filter-ran');
    initGitRepo(dir, { 'a.txt': 'a\n', '.gitattributes': '*.txt filter=probe\n' });
    git(dir, 'config', 'filter.probe.clean', markerScript(side, marker, true));
    // Same content, newer mtime: status must read the file (through the filter) to compare it.
    utimesSync(join(dir, 'a.txt'), new Date('2031-01-01'), new Date('2031-01-01'));
    const result = await attestGit(dir);
    expect(result.error).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  it("ignores a submodule's fsmonitor and filter driver", async () => {
    const root = tempDir();
    const side = tempDir();
    const marker = join(side, 'submodule-ran');
    const inner = join(root, 'inner');
    const dir = join(root, 'outer');
    execFileSync('mkdir', [inner, dir]);
    initGitRepo(inner, { 'f.txt': 'f\n', '.gitattributes': '*.txt filter=probe\n' });
    initGitRepo(dir);
    git(dir, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', inner, 'sub');
    git(dir, 'commit', '-q', '-m', 'add submodule');
    git(join(dir, 'sub'), 'config', 'core.fsmonitor', markerScript(side, marker));
    git(join(dir, 'sub'), 'config', 'filter.probe.clean', markerScript(side, marker, true));
    utimesSync(join(dir, 'sub', 'f.txt'), new Date('2031-01-01'), new Date('2031-01-01'));
    const result = await attestGit(dir);
    expect(result.error).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  it('records the real HEAD commit even when a replace ref points elsewhere', async () => {
    const dir = tempDir();
    initGitRepo(dir);
    const head = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'impostor');
    const impostor = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'reset', '-q', '--hard', head);
    git(dir, 'replace', head, impostor);
    const out = join(tempDir(), 'att.json');
    const result = await runCilock(dir, { step: 'build', signerFileKeyPath: key, outfile: out, attestations: ['git'] }, ['true']);
    expect(result.error).toBeUndefined();
    const statement = JSON.parse(Buffer.from(JSON.parse(readFileSync(out, 'utf8')).payload, 'base64').toString('utf8'));
    const body = statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('git/v0.1')).attestation;
    expect(body.commithash).toBe(head);
    expect(body.commitmessage).toBe('first commit\n');
  });

  // Only root can hand a repository to another user; elsewhere this case cannot be set up.
  it.runIf(process.getuid?.() === 0)("explains git's refusal of a repository owned by another user (run as root)", async () => {
    const dir = tempDir();
    initGitRepo(dir);
    execFileSync('chown', ['-R', 'nobody', dir]);
    const result = await attestGit(dir, { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' });
    chownSync(dir, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
    expect(result.error?.message).toMatch(/git refuses the repository at .* because it is owned by another user \(safe\.directory\); if you trust it, run "git config --global --add safe\.directory /);
  });
});
