/**
 * Real signals to a real `cilock run`: the wrapped command gets each signal exactly once, whether
 * it was sent to cilock alone or to its whole process group (as a terminal's Ctrl-C is), and
 * cilock exits 128+n in every phase without signing anything.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../unit/run/support.js';
import { hasOpen, keyIn, runSync, startRun, waitFor } from './run-cli.js';

let key: string;
beforeAll(() => {
  key = keyIn(tempDir());
});
afterAll(cleanupTempDirs);

// `started` appears once the shell is waiting (and its trap is set): the signal cannot race its start-up.
const TRAPPING = 'trap "echo got >> count; exit 0" INT; sleep 5 >/dev/null 2>&1 & touch started; wait $!';

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
