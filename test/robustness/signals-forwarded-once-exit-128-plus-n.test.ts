/**
 * Real signals to a real `cilock run`: the wrapped command gets each signal exactly once, whether
 * it was sent to cilock alone or to its whole process group (as a terminal's Ctrl-C is), and
 * cilock exits 128+n in every phase without signing anything.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../unit/run/support.js';
import { hasOpen, keyIn, MAIN, runSync, startRun, waitFor } from './run-cli.js';

let key: string;
beforeAll(() => {
  key = keyIn(tempDir());
});
afterAll(cleanupTempDirs);

// Counts every SIGINT it gets: `started` appears once the trap is set and the shell is waiting;
// after the first signal it waits a further second, so a second delivery would be counted too.
const TRAPPING = 'trap "echo got >> count" INT; sleep 5 >/dev/null 2>&1 & touch started; wait $!; sleep 1 >/dev/null 2>&1 & wait $!; exit 0';

describe('cilock run and signals', () => {
  for (const target of ['cilock alone', 'its process group'] as const) {
    it(`forwards SIGINT sent to ${target} exactly once and exits 130 without an attestation`, async () => {
      const dir = tempDir();
      const { child, done } = startRun(['-s', 'build', '-k', key, '-o', 'att.json', '--', 'sh', '-c', TRAPPING], dir);
      await waitFor(() => existsSync(join(dir, 'started')), 'the command to start');
      process.kill(target === 'cilock alone' ? child.pid! : -child.pid!, 'SIGINT');
      const { code, stderr } = await done;
      expect(code, stderr).toBe(130);
      expect(readFileSync(join(dir, 'count'), 'utf8')).toBe('got\n');
      expect(stderr).toMatch(/interrupted by SIGINT while "sh" was running; no attestation was written/);
      expect(existsSync(join(dir, 'att.json'))).toBe(false);
    });
  }

  it('exits 143 on SIGTERM before the command ran (while hashing materials), and the command never runs', async () => {
    const dir = tempDir();
    execFileSync('truncate', ['-s', '512M', join(dir, 'big.bin')]);
    const { child, done } = startRun(['-s', 'build', '-k', key, '-o', 'att.json', '--', 'touch', 'ran'], dir);
    await waitFor(() => hasOpen(child.pid!, join(dir, 'big.bin')), 'the material walk to reach big.bin');
    process.kill(child.pid!, 'SIGTERM');
    const { code, stderr } = await done;
    expect(code, stderr).toBe(143);
    expect(stderr).toMatch(/interrupted by SIGTERM before the command ran; nothing was signed or written/);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    expect(existsSync(join(dir, 'att.json'))).toBe(false);
  });

  it('exits 129 on SIGHUP while hashing products', async () => {
    const dir = tempDir();
    const { child, done } = startRun(['-s', 'build', '-k', key, '-o', 'att.json', '--', 'truncate', '-s', '512M', 'product.bin'], dir);
    await waitFor(() => hasOpen(child.pid!, join(dir, 'product.bin')), 'the product walk to reach product.bin');
    process.kill(child.pid!, 'SIGHUP');
    const { code, stderr } = await done;
    expect(code, stderr).toBe(129);
    expect(stderr).toMatch(/interrupted by SIGHUP while hashing products; nothing was signed or written/);
    expect(existsSync(join(dir, 'att.json'))).toBe(false);
  });

  it('exits 128+n when the command itself died by signal n, and still records it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x'), '');
    const result = runSync(['-s', 'build', '-k', key, '-o', 'att.json', '--', 'sh', '-c', 'kill -TERM $$'], dir);
    expect(result.status, result.stderr).toBe(143);
    expect(result.stderr).toMatch(/was killed by SIGTERM \(exit 143\)/);
    expect(existsSync(join(dir, 'att.json'))).toBe(true);
  });
});

describe('cilock run on a terminal', () => {
  it('leaves a Ctrl-C to the terminal (the command already got it) and SIGTERM to cilock forwarded, once each', async () => {
    const dir = tempDir();
    // `script` gives cilock a pseudo-terminal on stdin; cilock is then its session's foreground job.
    // The outer shell is in the same group; its no-op trap keeps it alive to record cilock's exit status.
    const cilock = `trap : INT; ${process.execPath} ${MAIN} run -s build -d ${dir} -k ${key} -o att.json -- sh -c '${TRAPPING.replace(/'/g, "'\\''")}'; echo "exit=$?" > status`;
    for (const [signal, toGroup] of [['SIGINT', true], ['SIGTERM', false]] as const) {
      rmSync(join(dir, 'count'), { force: true });
      rmSync(join(dir, 'started'), { force: true });
      const trap = signal === 'SIGINT' ? cilock : cilock.replace('trap "echo got >> count" INT', 'trap "echo got >> count" TERM');
      const child = spawn('script', ['-qec', trap, '/dev/null'], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, stdio: 'ignore' });
      await waitFor(() => existsSync(join(dir, 'started')), 'the command to start');
      const pid = Number(execFileSync('pgrep', ['-f', '-n', `${MAIN} run -s build -d ${dir} `], { encoding: 'utf8' }).trim());
      // (-d names this test's own directory, so pgrep cannot find another test's cilock.)
      // A terminal's Ctrl-C goes to the foreground process group; a plain kill to cilock alone.
      process.kill(toGroup ? -Number(execFileSync('ps', ['-o', 'pgid=', String(pid)], { encoding: 'utf8' }).trim()) : pid, signal);
      await new Promise((resolve) => child.on('close', resolve));
      expect(readFileSync(join(dir, 'count'), 'utf8')).toBe('got\n');
      expect(readFileSync(join(dir, 'status'), 'utf8')).toBe(`exit=${signal === 'SIGINT' ? 130 : 143}\n`);
    }
  });
});
