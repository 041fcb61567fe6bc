/**
 * The drift check against the committed pages: a changed catalog fact makes --check fail naming
 * the page; a removed tool makes its page an orphan; an unchanged catalog passes and writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCatalog } from '../../../src/catalog/compile.js';
import { loadCatalog } from '../../../src/catalog/load.js';
import { repoRoot } from '../catalog/invalid-fixture.js';

const tsx = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');

/** Rebuilds the catalog bundle from an edited copy of catalog/ (the CLI code itself is unchanged). */
function bundleFrom(edit: (catalogDir: string) => void): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cilock-drift-'));
  cpSync(path.join(repoRoot, 'catalog'), path.join(root, 'catalog'), { recursive: true });
  edit(path.join(root, 'catalog'));
  const bundle = path.join(root, 'catalog.json');
  writeFileSync(bundle, JSON.stringify(compileCatalog(loadCatalog(root))));
  return bundle;
}

function check(bundle?: string) {
  const env = { ...process.env, ...(bundle ? { CILOCK_CATALOG_BUNDLE: bundle } : {}) };
  return spawnSync(process.execPath, [tsx, path.join(repoRoot, 'generator/cli.ts'), '--check'], { cwd: repoRoot, env, encoding: 'utf8' });
}

describe('gen:catalog --check', () => {
  it('passes on the committed pages and writes nothing', () => {
    const page = path.join(repoRoot, 'site/src/content/docs/tools/kubescape.mdx');
    const before = statSync(page).mtimeMs;
    const r = check();
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(statSync(page).mtimeMs).toBe(before);
  });

  it('fails with a diff naming the page when a catalog fact changes', () => {
    const bundle = bundleFrom((dir) => {
      const file = path.join(dir, 'tools/kubescape/tool.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('vendor: CNCF / ARMO', 'vendor: ARMO'));
    });
    const r = check(bundle);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('--- a/site/src/data/catalog.json');
    expect(r.stdout).toMatch(/-\s+"vendor": "CNCF \/ ARMO"/);
    expect(r.stdout).toMatch(/\+\s+"vendor": "ARMO"/);
    expect(r.stdout).toContain('stale');
  });

  it('names a stale tool page when its docs change', () => {
    const bundle = bundleFrom((dir) => {
      const file = path.join(dir, 'tools/kubescape/tool.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('title: Static manifests (default, fastest)', 'title: Static manifests'));
    });
    const r = check(bundle);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('+++ b/site/src/content/docs/tools/kubescape.mdx');
  });

  it('reports the page of a deleted tool as orphaned', () => {
    const bundle = bundleFrom((dir) => rmSync(path.join(dir, 'tools/zap'), { recursive: true }));
    const r = check(bundle);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('orphaned: site/src/content/docs/tools/zap.mdx');
  });
});
