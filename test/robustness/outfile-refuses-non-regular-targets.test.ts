/**
 * `-o` names a regular file or a new path. A FIFO, device, socket or directory is refused with
 * exit 2 before anything runs, and left as it was; so is `-o dir/`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../unit/run/support.js';
import { keyIn, MAIN, runSync } from './run-cli.js';

let key: string;
beforeAll(() => {
  key = keyIn(tempDir());
});
afterAll(cleanupTempDirs);

/** Runs cilock with `-o target` and a command that would leave a trace; returns the result. */
function attempt(dir: string, target: string) {
  const result = runSync(['-s', 'build', '-k', key, '-o', target, '--', 'touch', 'ran'], dir);
  expect(existsSync(join(dir, 'ran')), 'the command must not have run').toBe(false);
  return result;
}

describe('cilock run -o on something that is not a regular file', () => {
  it('refuses a FIFO and leaves it a FIFO', () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const result = attempt(dir, 'pipe');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--outfile pipe is a named pipe \(FIFO\)/);
    expect(statSync(join(dir, 'pipe')).isFIFO()).toBe(true);
  });

  it('refuses a character device node and leaves it a device', () => {
    const dir = tempDir();
    // Same major/minor as /dev/null, in a temporary directory: the real /dev/null is never at stake here.
    execFileSync('mknod', [join(dir, 'null'), 'c', '1', '3']);
    const result = attempt(dir, 'null');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--outfile null is a character device/);
    expect(statSync(join(dir, 'null')).isCharacterDevice()).toBe(true);
  });

  it('refuses /dev/null without replacing it', () => {
    // Run in a private mount namespace whose /dev is a fresh tmpfs holding its own null node: a
    // regression that replaced the outfile must not be able to break the machine's /dev/null.
    const dir = tempDir();
    const script = [
      'mount -t tmpfs cilock-test /dev',
      'mknod -m 666 /dev/null c 1 3',
      `${process.execPath} ${MAIN} run -s build -k ${key} -o /dev/null -- touch ran 2> stderr.txt; echo $? > status`,
      'if [ -c /dev/null ]; then echo character-device; else echo replaced; fi > kind',
    ].join(' && ');
    execFileSync('unshare', ['--mount', 'sh', '-c', script], { cwd: dir, stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } });
    expect(readFileSync(join(dir, 'status'), 'utf8').trim(), readFileSync(join(dir, 'stderr.txt'), 'utf8')).toBe('2');
    expect(readFileSync(join(dir, 'stderr.txt'), 'utf8')).toMatch(/--outfile \/dev\/null is a character device/);
    expect(readFileSync(join(dir, 'kind'), 'utf8').trim()).toBe('character-device');
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('refuses a socket and leaves it a socket', async () => {
    const dir = tempDir();
    const socketPath = join(dir, 'sock');
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const result = attempt(dir, 'sock');
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/--outfile sock is a socket/);
      expect(statSync(socketPath).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });

  it('refuses a directory, and a path ending in a slash whether or not it exists', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'out'));
    expect(attempt(dir, 'out')).toMatchObject({ status: 2, stderr: expect.stringMatching(/--outfile out is a directory/) });
    expect(attempt(dir, 'out/')).toMatchObject({ status: 2, stderr: expect.stringMatching(/--outfile out\/ ends with a slash/) });
    expect(attempt(dir, 'new/')).toMatchObject({ status: 2, stderr: expect.stringMatching(/--outfile new\/ ends with a slash/) });
    expect(existsSync(join(dir, 'new'))).toBe(false);
    expect(statSync(join(dir, 'out')).isDirectory()).toBe(true);
  });
});
