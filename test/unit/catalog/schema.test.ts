import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/load.js';
import { fixture, fixturesDir, problemsFor, repoRoot } from './invalid-fixture.js';

const cases = readdirSync(fixturesDir).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));

describe('catalog schema', () => {
  it('accepts the committed catalog', () => {
    const catalog = loadCatalog(repoRoot);
    expect(catalog.tools.map((t) => t.entry.name)).toContain('kubescape');
    expect(catalog.attestors.map((a) => a.entry.name)).toEqual(
      expect.arrayContaining(['command-run', 'environment', 'git', 'material', 'product', 'sarif']),
    );
  });

  it('pairs every invalid-entry fixture with its expected messages (none untested, none orphaned)', () => {
    const files = readdirSync(fixturesDir);
    const expected = files.filter((f) => f.endsWith('.expected')).map((f) => f.replace(/\.expected$/, ''));
    expect(cases.length).toBeGreaterThan(0);
    expect(expected.sort()).toEqual([...cases].sort());
    expect(files.filter((f) => !/\.(yaml|expected)$/.test(f))).toEqual([]);
  });

  it.each(cases)('rejects %s with the exact located messages', (name) => {
    const expected = readFileSync(path.join(fixturesDir, `${name}.expected`), 'utf8').trimEnd().split('\n');
    expect(problemsFor(fixture(name))).toEqual(expected);
  });

  it('reports every problem of a file at once, each with file:line:col and path', () => {
    const problems = problemsFor(fixture('many-problems'));
    expect(problems.length).toBeGreaterThanOrEqual(4);
    for (const p of problems) expect(p).toMatch(/^catalog\/tools\/x\/tool\.yaml:\d+:\d+ \S+: /);
  });

  it('points a nested predicate error at its line', () => {
    expect(problemsFor(fixture('two-predicate-keys'))).toEqual([
      'catalog/tools/x/tool.yaml:19:9 pre.match.any_of[1]: exactly one predicate key expected, got argv_prefix and env_set (combine them with any_of/all_of)',
    ]);
  });
});
