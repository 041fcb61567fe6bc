/** `npm run new:tool -- NAME`: a scaffold that passes the catalog check at once and whose TODOs the page lint lists until filled. */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintContext } from '../../../generator/cli.js';
import { formatViolation, lintData, lintPage } from '../../../generator/lint.js';
import { generatePages } from '../../../generator/pages.js';
import type { CatalogData } from '../../../generator/source.js';
import { compileCatalog } from '../../../src/catalog/compile.js';
import { loadCatalog } from '../../../src/catalog/load.js';
import { CANONICAL_SECTIONS } from '../../../src/catalog/doc-sections.js';
import { scaffoldTool } from '../../../src/scripts/new-tool.js';
import { toListEntry } from '../../../src/surfaces/entry-json.js';
import { toShowJson } from '../../../src/surfaces/show.js';
import { TEST_PLAN_SCHEMA, testCase } from '../../../src/surfaces/test-plan.js';
import { builtContract } from '../../lib/contract.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function catalogRoot(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cilock-new-tool-'));
  temps.push(root);
  cpSync(path.join(repoRoot, 'catalog/attestors'), path.join(root, 'catalog/attestors'), { recursive: true });
  mkdirSync(path.join(root, 'catalog/tools'), { recursive: true });
  return root;
}

/** The page lint's findings on `name`'s page, with the catalog of `root` as the binary would report it. */
async function pageViolations(root: string, name: string): Promise<string[]> {
  const catalog = compileCatalog(loadCatalog(root));
  const { entries } = catalog;
  // Through the built binary's contract, as gen:catalog reads the binary's JSON.
  const contract = builtContract();
  const json = <T>(v: T): unknown => JSON.parse(JSON.stringify(v));
  const shown = await Promise.all(entries.map(async (e) => [e.name, contract.check('tools-show', json(await toShowJson(e, catalog)), `tools show ${e.name}`)] as const));
  const data: CatalogData = {
    list: contract.check('tools-list', json(entries.map(toListEntry)), 'tools list'),
    testPlan: contract.check('tools-test-plan', json({ schema_version: TEST_PLAN_SCHEMA, detectors_total: entries.length, cases: entries.map(testCase) }), 'tools test-plan'),
    show: new Map(shown),
    contract,
    origin: root,
  };
  const files = generatePages(data);
  const page = files.find((f) => f.path === `site/src/content/docs/tools/${name}.mdx`)!;
  const facts = files.filter((f) => f.path.startsWith('site/src/data/')).flatMap((f) => lintData(f.path, f.content));
  return [...lintPage(page.path, page.content, lintContext(data, files)), ...facts].map(formatViolation);
}

describe('scaffoldTool', () => {
  it('writes tool.yaml, doc.md with the canonical sections and the fixtures folder; the catalog loads at once', () => {
    const root = catalogRoot();
    expect(scaffoldTool(root, 'demo-scan')).toEqual(['catalog/tools/demo-scan/tool.yaml', 'catalog/tools/demo-scan/doc.md', 'catalog/tools/demo-scan/examples/basic/README.md']);
    const { tools } = loadCatalog(root);
    expect(tools.map((t) => t.entry.name)).toEqual(['demo-scan']);
    expect(tools[0]!.doc!.sections.filter((s) => s.slug !== 'overview').map((s) => s.title)).toEqual(CANONICAL_SECTIONS.map((s) => s.title));
    expect(tools[0]!.entry.examples.map((e) => e.fixtures)).toEqual(['examples/basic']);
    expect(readFileSync(path.join(root, 'catalog/tools/demo-scan/tool.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/schema\/tool\.schema\.json\n/);
  });

  it('the page lint lists its TODO markers, and nothing once they are filled in', async () => {
    const root = catalogRoot();
    scaffoldTool(root, 'demo-scan');
    const before = await pageViolations(root, 'demo-scan');
    expect(before.filter((v) => / (todo|placeholder): /.test(v)).length).toBeGreaterThanOrEqual(CANONICAL_SECTIONS.length + 3);
    expect(before.filter((v) => !/ (todo|placeholder): /.test(v))).toEqual([]);
    // The fact box's values too: they come from tool.yaml and show on the page.
    expect(before).toContainEqual(expect.stringMatching(/^site\/src\/data\/catalog\.json:\d+ todo: unfinished catalog value: "vendor": "TODO",/));
    for (const file of ['tool.yaml', 'doc.md']) {
      const abs = path.join(root, 'catalog/tools/demo-scan', file);
      writeFileSync(abs, readFileSync(abs, 'utf8').replace(/TODO-arguments/g, 'scan src/').replace(/TODO:? /g, 'Done ').replace(/TODO/g, 'Done'));
    }
    expect(await pageViolations(root, 'demo-scan')).toEqual([]);
  });

  it('refuses a bad or taken name and leaves the catalog as it was', () => {
    const root = catalogRoot();
    scaffoldTool(root, 'demo-scan');
    const listing = () => readdirSync(path.join(root, 'catalog/tools')).sort();
    const before = listing();
    const beforeDoc = readFileSync(path.join(root, 'catalog/tools/demo-scan/doc.md'), 'utf8');
    expect(() => scaffoldTool(root, 'demo-scan')).toThrow('catalog/tools/demo-scan already exists');
    expect(() => scaffoldTool(root, 'sarif')).toThrow('catalog/attestors/sarif already exists');
    for (const bad of ['Demo', '../escape', 'a/b', '-x', '', 'x'.repeat(65), 'demo scan', 'démo']) {
      expect(() => scaffoldTool(root, bad), bad).toThrow(/is not a valid entry name|is longer than 64/);
    }
    expect(listing()).toEqual(before);
    expect(readFileSync(path.join(root, 'catalog/tools/demo-scan/doc.md'), 'utf8')).toBe(beforeDoc);
    expect(existsSync(path.join(root, 'escape'))).toBe(false);
  });
});

describe('npm run new:tool', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), path.join(repoRoot, 'src/scripts/new-tool.ts'), ...args], { encoding: 'utf8' });

  it('exits 2 with its usage without exactly one name, 1 with the reason for a taken or bad one', () => {
    expect(run().status).toBe(2);
    expect(run('a', 'b').stderr).toMatch(/^usage: npm run new:tool -- NAME/);
    const taken = run('kubescape');
    expect([taken.status, taken.stderr]).toEqual([1, 'new:tool: catalog/tools/kubescape already exists: pick another name, or edit that entry\n']);
    expect(run('Bad').status).toBe(1);
  });
});
