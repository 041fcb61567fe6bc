import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cleanupTempDirs, tempDir } from '../unit/run/support.js';

afterAll(cleanupTempDirs);

const repo = fileURLToPath(new URL('../..', import.meta.url));
const src = (module: string) => `${repo}src/${module}.ts`;

/**
 * Runs `script` in a child process with a deadline: opening a FIFO without O_NONBLOCK blocks the
 * whole thread, which no in-process timeout could interrupt.
 */
function runGuarded(script: string, dir: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8', timeout: 15_000, env: { ...process.env, TREE: dir } });
  return { hung: result.error !== undefined || result.signal !== null, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('a file swapped for a FIFO between walk and hash', () => {
  it('is skipped and reported, never read', () => {
    const dir = tempDir();
    const script = `
      import { execFileSync } from 'node:child_process';
      import { rmSync, writeFileSync } from 'node:fs';
      import { walkTree } from ${JSON.stringify(src('attestors/file-walk'))};
      import { hashWalk } from ${JSON.stringify(src('attestors/snapshot'))};
      const root = process.env.TREE;
      writeFileSync(root + '/swapped', 'regular\\n');
      writeFileSync(root + '/kept', 'kept\\n');
      const walk = await walkTree(root);
      rmSync(root + '/swapped');
      execFileSync('mkfifo', [root + '/swapped']);
      const { entries, skipped } = hashWalk(root, walk, ['sha256']);
      console.log(JSON.stringify({ paths: entries.map((e) => e.file.path), skipped }));
    `;
    const result = runGuarded(script, dir);
    expect(result.hung, result.stderr).toBe(false);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ paths: ['kept'], skipped: [{ path: 'swapped', reason: 'not-a-regular-file' }] });
  });

  it('makes a direct digest of a FIFO fail at once instead of blocking', () => {
    const dir = tempDir();
    const script = `
      import { execFileSync } from 'node:child_process';
      import { digestFileSync } from ${JSON.stringify(src('files/digest'))};
      execFileSync('mkfifo', [process.env.TREE + '/pipe']);
      try { digestFileSync(process.env.TREE + '/pipe'); console.log('read'); } catch (error) { console.log('refused: ' + error.message); }
    `;
    const result = runGuarded(script, dir);
    expect(result.hung, result.stderr).toBe(false);
    expect(result.stdout).toMatch(/^refused: .*is not a regular file/);
  });
});
