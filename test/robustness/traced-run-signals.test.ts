/**
 * Signals during `cilock run --trace`: the wrapped command (not strace) gets each signal exactly
 * once, cilock exits 128+n naming the command, signs nothing and leaves no trace file behind.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsTool } from '../lib/system.js';
import { cleanupTempDirs, tempDir } from '../unit/run/support.js';
import { keyIn, MAIN, waitFor } from './run-cli.js';

needsTool('strace');
let key: string;
beforeAll(() => {
  key = keyIn(tempDir());
});
afterAll(cleanupTempDirs);

const TRAPPING = 'trap "echo got >> count" INT TERM; sleep 5 >/dev/null 2>&1 & touch started; wait $!; sleep 1 >/dev/null 2>&1 & wait $!; exit 0';

describe('cilock run --trace and signals', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`forwards ${signal} once, exits ${code}, writes nothing and removes the trace file`, async () => {
      const dir = tempDir();
      const tmp = join(dir, 'tmp');
      mkdirSync(tmp);
      const child = spawn(process.execPath, [MAIN, 'run', '--trace', '-s', 'build', '-k', key, '-o', 'att.json', '--', 'sh', '-c', TRAPPING], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', TMPDIR: tmp },
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const done = new Promise<number | null>((resolve) => child.on('close', resolve));
      await waitFor(() => existsSync(join(dir, 'started')), 'the traced command to start');
      process.kill(child.pid!, signal);
      expect(await done, stderr).toBe(code);
      expect(readFileSync(join(dir, 'count'), 'utf8')).toBe('got\n');
      expect(stderr).toContain(`interrupted by ${signal} while "sh" was running; no attestation was written`);
      expect(existsSync(join(dir, 'att.json'))).toBe(false);
      expect(readdirSync(tmp)).toEqual([]);
    });
  }
});
