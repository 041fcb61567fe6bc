/**
 * Malformed catalog files (empty, comments only, several documents, an alias bomb, a list at the
 * top level) are reported as located problems in the same list as schema problems, never thrown.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { CatalogError, formatProblem } from '../../src/catalog/problems.js';
import { fixture, repoRoot } from '../unit/catalog/invalid-fixture.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A catalog tree with the real attestors and one tool folder per given tool.yaml text. */
function catalogWith(tools: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cilock-malformed-'));
  roots.push(root);
  cpSync(path.join(repoRoot, 'catalog/attestors'), path.join(root, 'catalog/attestors'), { recursive: true });
  for (const [name, text] of Object.entries(tools)) {
    mkdirSync(path.join(root, 'catalog/tools', name), { recursive: true });
    writeFileSync(path.join(root, 'catalog/tools', name, 'tool.yaml'), text);
  }
  return root;
}

function problems(root: string): string[] {
  try {
    loadCatalog(root);
  } catch (err) {
    if (err instanceof CatalogError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

describe('the catalog loader on malformed YAML', () => {
  it('lists empty, comment-only, multi-document, alias-bomb and schema problems together, each as file:line:col', () => {
    const root = catalogWith({
      a: '',
      b: '# only a comment\n',
      c: fixture('multiple-documents'),
      d: fixture('alias-bomb'),
      e: fixture('short-description').replace(/^name: .*$/m, 'name: e'),
    });
    const found = problems(root);
    const located = (name: string) => found.filter((p) => p.startsWith(`catalog/tools/${name}/tool.yaml:`));
    expect(located('a')).toEqual(['catalog/tools/a/tool.yaml:1:1 the file holds no YAML document (it is empty or only comments); start from an existing entry and fill in its keys']);
    expect(located('b')).toEqual(['catalog/tools/b/tool.yaml:1:1 the file holds no YAML document (it is empty or only comments); start from an existing entry and fill in its keys']);
    expect(located('c')).toEqual([expect.stringMatching(/^catalog\/tools\/c\/tool\.yaml:3:1 YAML: a second document starts here/)]);
    expect(located('d')).toEqual([expect.stringMatching(/^catalog\/tools\/d\/tool\.yaml:3:8 YAML: Excessive alias count/)]);
    expect(located('e').length).toBeGreaterThan(0);
    for (const line of found) expect(line).toMatch(/^catalog\/tools\/[a-e]\/tool\.yaml:\d+:\d+ /);
  });

  it('expands an alias bomb no further than the alias limit', () => {
    const start = Date.now();
    const found = problems(catalogWith({ x: fixture('alias-bomb') }));
    expect(found).toHaveLength(1);
    expect(Date.now() - start).toBeLessThan(10_000);
  });

  it('reports a top level that is a list or a scalar', () => {
    expect(problems(catalogWith({ x: '- name: x\n' }))).toEqual(['catalog/tools/x/tool.yaml:1:1 the top level must be a mapping of keys (name: …, title: …), not a single value or a list']);
    expect(problems(catalogWith({ x: '\n\n  42\n' }))).toEqual(['catalog/tools/x/tool.yaml:3:3 the top level must be a mapping of keys (name: …, title: …), not a single value or a list']);
  });
});
