/**
 * `-o` over a file that was in the working directory before the run (one of the run's materials)
 * is refused unless `--outfile-overwrite-material` says it is meant.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../unit/run/support.js';
import { keyIn, runSync } from './run-cli.js';

let key: string;
beforeAll(() => {
  key = keyIn(tempDir());
});
afterAll(cleanupTempDirs);

describe('cilock run -o on one of its own materials', () => {
  it('refuses to replace it, and runs nothing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'keep me\n');
    const result = runSync(['-s', 'build', '-k', key, '-o', 'notes.txt', '--', 'sh', '-c', 'echo ran > ran.txt'], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--outfile notes\.txt already exists in the working directory, so it is one of this run's materials.*--outfile-overwrite-material/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me\n');
    expect(existsSync(join(dir, 'ran.txt'))).toBe(false);
  });

  it('replaces it when --outfile-overwrite-material is given', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'att.json'), 'an old envelope\n');
    const result = runSync(['-s', 'build', '-k', key, '-o', 'att.json', '--outfile-overwrite-material', '--', 'true'], dir);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'att.json'), 'utf8'))).toHaveProperty('payloadType', 'application/vnd.in-toto+json');
  });

  it('writes a new path inside the working directory, and an existing file outside it, without the flag', () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    writeFileSync(join(elsewhere, 'att.json'), 'old\n');
    expect(runSync(['-s', 'build', '-k', key, '-o', 'new.json', '--', 'true'], dir).status).toBe(0);
    expect(runSync(['-s', 'build', '-k', key, '-o', join(elsewhere, 'att.json'), '--', 'true'], dir).status).toBe(0);
    expect(readFileSync(join(elsewhere, 'att.json'), 'utf8')).toMatch(/payloadType/);
  });
});
