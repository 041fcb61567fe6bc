import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkTree } from '../../src/attestors/file-walk.js';
import { collectMaterials } from '../../src/attestors/material.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../src/attestors/sensitive-env.js';
import { tempDir } from '../unit/run/support.js';

const roots: string[] = [];
// rm walks with openat, so it removes trees deeper than PATH_MAX (Node's rmSync does not).
afterAll(() => {
  for (const root of roots) execFileSync('rm', ['-rf', root]);
});

const SEGMENT = 'a'.repeat(200);
const LEVELS = 25; // 25 × 201 bytes: well past PATH_MAX (4096)

/** `root/SEGMENT/…/SEGMENT/deep.txt`, built with relative chdir calls so no single path exceeds PATH_MAX. */
function deepTree(): string {
  const root = tempDir();
  roots.push(root);
  const script = `import os, sys\nos.chdir(sys.argv[1])\nfor _ in range(${LEVELS}):\n    os.mkdir('${SEGMENT}')\n    os.chdir('${SEGMENT}')\nopen('deep.txt', 'w').write('deep\\n')\n`;
  execFileSync('python3', ['-c', script, root]);
  writeFileSync(join(root, 'shallow.txt'), 'shallow\n');
  return root;
}

describe('paths longer than PATH_MAX', () => {
  it('are skipped and reported, and the rest of the tree is recorded', async () => {
    const root = deepTree();
    const { files, skipped } = await walkTree(root);
    const paths = files.map((file) => file.path);
    expect(paths).toContain('shallow.txt');
    // Everything the kernel can still open is recorded; the first directory it cannot is reported.
    expect(paths.some((path) => path.endsWith('deep.txt'))).toBe(false);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.reason).toBe('path-too-long');
    expect(skipped[0]?.path.startsWith(`${SEGMENT}/${SEGMENT}/`)).toBe(true);
  });

  it('show up as a warning of the material attestor instead of failing it', async () => {
    const root = deepTree();
    const sink = { write: () => undefined };
    const output = await collectMaterials({ workingDir: root, hashes: ['sha256'], env: {}, argv: ['true'], sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS, commandStdout: sink, commandStderr: sink });
    expect(output.warnings).toEqual([expect.stringMatching(/^skipped 1 path\(s\) longer than the system limit \(PATH_MAX\): aaaa/)]);
  });
});
