import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitAttestor, goTimeString, parseStatus, type GitBody } from '../../../src/attestors/git.js';
import { scrubUrlCredentials as stripUserinfo } from '../../../src/redaction/url-credentials.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../../src/attestors/sensitive-env.js';
import type { RunContext } from '../../../src/attestors/types.js';
import { cleanupTempDirs, initGitRepo, tempDir } from '../run/support.js';

afterAll(cleanupTempDirs);

function contextFor(dir: string): RunContext {
  const sink = { write: () => undefined };
  return { workingDir: dir, hashes: ['sha256'], env: process.env, argv: ['true'], sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS, commandStdout: sink, commandStderr: sink };
}

describe('git attestor', () => {
  it('records the commit, parents, refs, tags, remotes without credentials, branch and status', async () => {
    const dir = tempDir();
    initGitRepo(dir, { 'README.md': 'readme\n' });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com', GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com' } }).trim();
    writeFileSync(join(dir, 'b.txt'), 'b\n');
    git('add', 'b.txt');
    git('commit', '-q', '-m', 'second\n\nbody line');
    git('tag', 'v1-light');
    git('tag', '-a', 'v1', '-m', 'release one');
    git('remote', 'add', 'origin', 'https://user:s3cret@example.com/org/repo.git');
    git('remote', 'add', 'scp', 'git@example.com:org/repo.git');
    writeFileSync(join(dir, 'untracked.txt'), 'u\n');
    writeFileSync(join(dir, 'README.md'), 'changed\n');
    const head = git('rev-parse', 'HEAD');
    const parent = git('rev-parse', 'HEAD~1');

    const context = contextFor(dir);
    await gitAttestor.preflight?.(context);
    const output = await gitAttestor.run(context, {});
    const body = output.body as GitBody;
    expect(body.commithash).toBe(head);
    expect(body.parenthashes).toEqual([parent]);
    expect(body.treehash).toBe(git('rev-parse', 'HEAD^{tree}'));
    expect(body.author).toBe('Dev');
    expect(body.authoremail).toBe('dev@example.com');
    expect(body.commitmessage).toBe('second\n\nbody line\n');
    expect(body.commitdigest).toEqual({ sha1: head });
    expect(body.branch).toBe('main');
    expect(body.refs).toEqual(['refs/heads/main', 'refs/tags/v1-light']);
    expect(body.tags?.map((tag) => [tag.name, tag.message])).toEqual([['v1', 'release one\n']]);
    expect(body.remotes).toEqual(['https://example.com/org/repo.git', 'git@example.com:org/repo.git']);
    expect(JSON.stringify(body)).not.toContain('s3cret');
    expect(body.status).toEqual({ 'README.md': { staging: 'unmodified', worktree: 'modified' }, 'untracked.txt': { staging: 'untracked', worktree: 'untracked' } });
    expect(body.gitbinhash?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(output.subjects?.[`commithash:${head}`]).toEqual({ sha1: head });
    expect(output.subjects?.[`parenthash:${parent}`]).toEqual({ sha1: parent });
    expect(output.subjects).toHaveProperty('authoremail:dev@example.com');
    expect(output.subjects).toHaveProperty('refnameshort:main');
    expect(output.subjects).toHaveProperty('remote:https://example.com/org/repo.git');
    expect(Object.keys(output.backrefs ?? {})).toEqual([`commithash:${head}`, `parenthash:${parent}`]);
  });

  it('fails preflight outside a repository with a fix', async () => {
    const dir = tempDir();
    await expect(gitAttestor.preflight?.(contextFor(dir))).rejects.toThrow(/is not inside one; run "git init" there, pass -d\/--workingdir with a checkout, or drop "git" from -a\/--attestations/);
  });

  it('formats times, remotes and status like upstream', () => {
    expect(goTimeString(1782891000, '+0200')).toBe('2026-07-01 09:30:00 +0200 +0200');
    expect(stripUserinfo('ssh://git@host/x.git')).toBe('ssh://host/x.git');
    expect(stripUserinfo('git@host:org/x.git')).toBe('git@host:org/x.git');
    expect(parseStatus('R  new.txt\0old.txt\0?? u\0')).toEqual({ 'new.txt': { staging: 'renamed', worktree: 'unmodified' }, u: { staging: 'untracked', worktree: 'untracked' } });
  });
});
