/**
 * URL userinfo is removed and credential query parameters masked in every recorded string:
 * environment values, argv, stdout/stderr and git remotes, also when the password is written with
 * an unescaped `@` or `/`.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { commandRunBody } from '../../src/attestors/command-run.js';
import { wholeOutputResult } from '../../src/attestors/output-capture.js';
import { environmentBody } from '../../src/attestors/environment.js';
import { gitAttestor, type GitBody } from '../../src/attestors/git.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../src/attestors/sensitive-env.js';
import type { RunContext } from '../../src/attestors/types.js';
import { cleanupTempDirs, initGitRepo, tempDir } from '../unit/run/support.js';

afterAll(cleanupTempDirs);

/** URL written in logs → as recorded. */
const CASES: [string, string][] = [
  ['https://user:s3cret@example.com/org/repo.git', 'https://example.com/org/repo.git'],
  ['https://u:p@ss/w@host/x', 'https://host/x'],
  ['https://u:p@ss@host:8443/x?y=1', 'https://host:8443/x?y=1'],
  ['https://ghp_tokenAsUserName1234@github.com/o/r', 'https://github.com/o/r'],
  ['redis://:redis-pass-1@cache:6379/0', 'redis://cache:6379/0'],
  ['git+ssh://deploy:k3y@git.example.com/r.git', 'git+ssh://git.example.com/r.git'],
  ['https://api.example.com/v1?access_token=abc123def&page=2', 'https://api.example.com/v1?access_token=[REDACTED]&page=2'],
  ['https://api.example.com/v1?page=2&token=abc123def#top', 'https://api.example.com/v1?page=2&token=[REDACTED]#top'],
  ['https://a.example.com/login?next=https://u:nested-pw@b.example.com/', 'https://a.example.com/login?next=https://b.example.com/'],
];
/** URLs that carry no credentials and must stay as written. */
const UNTOUCHED = ['https://mastodon.social/@someone', 'git@github.com:org/repo.git', 'https://example.com/a?page=2'];

function commandBody(argv: string[], stdout: string) {
  return commandRunBody(wholeOutputResult(argv, 0, Buffer.from(stdout), Buffer.from(stdout)), { env: {}, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS });
}

describe('URL credentials are scrubbed everywhere', () => {
  it.each(CASES)('%s in argv, stdout and stderr', (url, expected) => {
    const body = commandBody(['curl', url, `--url=${url}`], `GET ${url} 200\n`);
    expect(body.cmd).toEqual(['curl', expected, `--url=${expected}`]);
    expect(body.stdout).toBe(`GET ${expected} 200\n`);
    expect(body.stderr).toBe(`GET ${expected} 200\n`);
  });

  it('keeps URLs without credentials as written', () => {
    for (const url of UNTOUCHED) expect(commandBody([url], url).cmd).toEqual([url]);
  });

  it('scrubs proxy, index and cache URLs in environment values', () => {
    const env = {
      HTTPS_PROXY: 'http://proxyuser:proxy-pass@proxy.corp:3128',
      PIP_INDEX_URL: 'https://__token__:pypi-index-pass@pypi.corp/simple',
      REDIS_URL: 'redis://default:redis-pass-2@redis:6379',
    };
    expect(environmentBody({ env, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS }).variables).toEqual({
      HTTPS_PROXY: 'http://proxy.corp:3128',
      PIP_INDEX_URL: 'https://pypi.corp/simple',
      REDIS_URL: 'redis://redis:6379',
    });
  });

  it('scrubs git remotes whose password holds @ and /, and their subjects', async () => {
    const dir = tempDir();
    initGitRepo(dir);
    execFileSync('git', ['remote', 'add', 'origin', 'https://ci:p@ss/w@git.example.com/org/repo.git'], { cwd: dir });
    execFileSync('git', ['remote', 'add', 'mirror', 'https://git.example.com/org/repo.git?private_token=glpat-remote-token'], { cwd: dir });
    const sink = { write: () => undefined };
    const context: RunContext = { workingDir: dir, hashes: ['sha256'], env: { PATH: process.env.PATH }, argv: ['true'], sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS, commandStdout: sink, commandStderr: sink };
    const output = await gitAttestor.run(context, {});
    expect((output.body as GitBody).remotes).toEqual(['https://git.example.com/org/repo.git', 'https://git.example.com/org/repo.git?private_token=[REDACTED]']);
    expect(JSON.stringify(output)).not.toMatch(/p@ss|glpat-remote-token/);
  });
});
