import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkTree } from '../../../src/attestors/file-walk.js';
import { cleanupTempDirs, tempDir } from '../run/support.js';

afterAll(cleanupTempDirs);

describe('walkTree', () => {
  it('records in-tree file links, reports directory links, outside and broken links and cycles', async () => {
    const outside = tempDir('cilock-outside-');
    writeFileSync(join(outside, 'secret.txt'), 'outside\n');
    const root = tempDir();
    mkdirSync(join(root, 'src/nested'), { recursive: true });
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, '.git/HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(root, 'src/a.txt'), 'a\n');
    writeFileSync(join(root, 'src/nested/b.txt'), 'b\n');
    symlinkSync('src/a.txt', join(root, 'link-to-file'));
    symlinkSync('src', join(root, 'link-to-dir'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link-outside'));
    symlinkSync(outside, join(root, 'link-outside-dir'));
    symlinkSync('does-not-exist', join(root, 'broken'));
    symlinkSync('..', join(root, 'src/nested/up'));
    execFileSync('mkfifo', [join(root, 'pipe')]);

    const { files, skipped } = await walkTree(root);
    const paths = files.map((file) => file.path);
    expect(paths).toContain('.git/HEAD');
    expect(paths).toContain('src/a.txt');
    expect(paths).toContain('src/nested/b.txt');
    expect(paths).toContain('link-to-file');
    // A linked directory is recorded once, under its real path.
    expect(paths.some((path) => path.startsWith('link-to-dir/'))).toBe(false);
    expect(paths.some((path) => path.includes('secret'))).toBe(false);
    expect(skipped).toEqual(
      expect.arrayContaining([
        { path: 'link-outside', reason: 'symlink-outside-tree' },
        { path: 'link-outside-dir', reason: 'symlink-outside-tree' },
        { path: 'broken', reason: 'broken-symlink' },
        { path: 'pipe', reason: 'not-a-regular-file' },
        { path: 'src/nested/up', reason: 'symlink-cycle' },
        { path: 'link-to-dir', reason: 'linked-directory' },
      ]),
    );
    expect(paths).toEqual([...paths].sort());
  });

  it('names the working directory when it cannot be read', async () => {
    await expect(walkTree('/nonexistent/cilock-walk')).rejects.toThrow(/cannot read working directory \/nonexistent\/cilock-walk: ENOENT/);
  });
});
