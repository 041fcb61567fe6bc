/** Builds a throwaway repo root holding the real attestors and one tool entry, then loads it. */
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../../../src/catalog/load.js';
import { CatalogError, formatProblem } from '../../../src/catalog/problems.js';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const fixturesDir = path.join(repoRoot, 'test/fixtures/invalid-entries');

/** The formatted problems of the catalog under `root` (none when it loads). */
export function catalogProblems(root: string): string[] {
  try {
    loadCatalog(root);
    return [];
  } catch (err) {
    if (err instanceof CatalogError) return err.problems.map(formatProblem);
    throw err;
  }
}

/** Returns the formatted problems for a tool.yaml text placed at catalog/tools/x/tool.yaml. */
export function problemsFor(toolYaml: string): string[] {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cilock-catalog-'));
  try {
    cpSync(path.join(repoRoot, 'catalog/attestors'), path.join(root, 'catalog/attestors'), { recursive: true });
    mkdirSync(path.join(root, 'catalog/tools/x'), { recursive: true });
    writeFileSync(path.join(root, 'catalog/tools/x/tool.yaml'), toolYaml);
    return catalogProblems(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function fixture(name: string): string {
  return readFileSync(path.join(fixturesDir, `${name}.yaml`), 'utf8');
}
