/** `file_glob` (tinyglobby): what the walk enters, skips and never follows. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/detection/predicates.js';

function tree(files: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-glob-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), '');
  }
  return dir;
}

const glob = (globs: string[], cwd: string) => evaluate({ file_glob: globs }, { argv: ['echo'], env: {}, cwd, envKeysObserved: new Set(), probes: new Map() });

describe('file_glob', () => {
  it('matches a glob with a directory part without **', () => {
    expect(glob(['infra/*.tf'], tree(['infra/main.tf']))).toEqual({ match: true, rule: 'file_glob:infra/*.tf' });
  });

  it('does not descend into dot-directories or the skipped build and dependency folders', () => {
    const dir = tree(['.cache/a.tf', '.git/b.tf', 'node_modules/m/c.tf', 'dist/d.tf', 'src/vendor/e.tf', 'keep.txt']);
    expect(glob(['**/*.tf'], dir)).toEqual({ match: false, rule: 'file_glob:miss' });
    expect(glob(['**/.env'], tree(['app/.env']))).toMatchObject({ match: true });
  });

  it('does not follow symbolic links, so a link loop or a link out of the tree is not walked', () => {
    const outside = tree(['secret.tf']);
    const dir = tree(['a/readme.md']);
    symlinkSync(outside, path.join(dir, 'a', 'out'));
    symlinkSync(dir, path.join(dir, 'a', 'loop'));
    expect(glob(['**/*.tf'], dir)).toEqual({ match: false, rule: 'file_glob:miss' });
  });

  it('walks a wide tree and misses a directory that does not exist without throwing', () => {
    const files = Array.from({ length: 2000 }, (_, i) => `d${i % 50}/f${i}.txt`);
    expect(glob(['**/*.tf'], tree([...files, 'd49/last.tf']))).toMatchObject({ match: true });
    expect(glob(['**/*.tf'], path.join(os.tmpdir(), 'cilock-no-such-dir'))).toEqual({ match: false, rule: 'file_glob:miss' });
  }, 20_000);
});
