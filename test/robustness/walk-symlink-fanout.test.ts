import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_WALK_ENTRIES, walkTree, WalkError } from '../../src/attestors/file-walk.js';
import { cleanupTempDirs, tempDir } from '../unit/run/support.js';

afterAll(cleanupTempDirs);

const LEVELS = 20;

/** d0 … d20, where every d<i> holds two links to d<i+1>: 2^20 distinct paths through links. */
function fanoutTree(): string {
  const root = tempDir();
  for (let level = 0; level <= LEVELS; level++) {
    mkdirSync(join(root, `d${level}`));
    writeFileSync(join(root, `d${level}`, 'f.txt'), `level ${level}\n`);
  }
  for (let level = 0; level < LEVELS; level++) {
    symlinkSync(`../d${level + 1}`, join(root, `d${level}`, 'a'));
    symlinkSync(`../d${level + 1}`, join(root, `d${level}`, 'b'));
  }
  return root;
}

describe('directory links', () => {
  // The timeout is a hang guard: walking every path through the links would take hours.
  it('walk each real directory once and report every link to one', { timeout: 20_000 }, async () => {
    const root = fanoutTree();
    const { files, skipped } = await walkTree(root);
    expect(files.map((file) => file.path)).toEqual(Array.from({ length: LEVELS + 1 }, (_, level) => `d${level}/f.txt`).sort());
    expect(skipped).toHaveLength(2 * LEVELS);
    expect(skipped).toContainEqual({ path: 'd0/a', reason: 'linked-directory' });
    expect(skipped).toContainEqual({ path: 'd19/b', reason: 'linked-directory' });
  });

  it('stop at the entry cap with an error that names it and the way out', async () => {
    const root = fanoutTree();
    await expect(walkTree(root, { maxEntries: 30 })).rejects.toThrow(WalkError);
    await expect(walkTree(root, { maxEntries: 30 })).rejects.toThrow(/more than 30 entries .*-d\/--workingdir/);
    expect(MAX_WALK_ENTRIES).toBeGreaterThanOrEqual(1_000_000);
  });
});
