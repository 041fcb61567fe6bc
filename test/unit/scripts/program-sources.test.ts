import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { programSources } from '../../../src/scripts/program-sources.js';
import { TOOLS } from '../../../src/scripts/tools-manifest.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

describe('programSources', () => {
  const sourceOf = programSources(repoRoot);

  it('takes pinned tools, npm packages and Debian packages from the manifests that install them', () => {
    const kubescape = TOOLS.find((t) => t.name === 'kubescape')!;
    expect(sourceOf('kubescape')).toEqual({ version: kubescape.version, from: 'the Go module proxy, via `npm run tools:install`' });
    expect(sourceOf('semgrep')).toMatchObject({ from: 'PyPI, via `npm run tools:install`' });
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(sourceOf('eslint')).toEqual({ version: pkg.devDependencies.eslint, from: 'npm' });
    expect(sourceOf('jq')).toEqual({ from: 'Debian package jq' });
    expect(sourceOf('no-such-program')).toBeUndefined();
  });
});
