/**
 * A signal that stops cilock while the envelope's temporary file exists leaves neither the
 * temporary file nor a partial outfile behind, and cilock exits 128+n.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, listDir, tempDir } from '../unit/run/support.js';
import { repoRoot } from '../unit/cli/cli-helpers.js';

afterAll(cleanupTempDirs);

const SCRIPT = join(repoRoot, 'test/robustness/fixtures/interrupted-write.ts');

describe('the atomic envelope write under a signal', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`removes the temporary file on ${signal} and exits ${code}`, () => {
      const dir = tempDir();
      const target = join(dir, 'att.json');
      const r = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, target, signal], { cwd: repoRoot, encoding: 'utf8', timeout: 20_000 });
      const temp = r.stdout.trim();
      expect(temp.startsWith(`${target}.`), r.stderr).toBe(true);
      expect(r.status, r.stderr).toBe(code);
      expect(r.stderr).toMatch(new RegExp(`interrupted by ${signal} while writing the attestation`));
      expect(existsSync(temp)).toBe(false);
      expect(listDir(dir)).toEqual([]);
    });
  }

  it('leaves an existing outfile as it was', () => {
    const dir = tempDir();
    const target = join(dir, 'att.json');
    writeFileSync(target, 'the previous envelope\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, target, 'SIGTERM'], { cwd: repoRoot, encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(143);
    expect(listDir(dir)).toEqual(['att.json']);
    expect(readFileSync(target, 'utf8')).toBe('the previous envelope\n');
  });
});
