/** `npm run catalog:check`: located problems, a per-file cache that changes nothing, a bundle rebuilt only when a source changed. */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_FILE, checkCatalog } from '../../../src/scripts/catalog-check.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A throwaway repo root with the real attestors and the flawfinder entry. */
function catalogRoot(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cilock-check-'));
  temps.push(root);
  cpSync(path.join(repoRoot, 'catalog/attestors'), path.join(root, 'catalog/attestors'), { recursive: true });
  mkdirSync(path.join(root, 'catalog/tools'), { recursive: true });
  cpSync(path.join(repoRoot, 'catalog/tools/flawfinder'), path.join(root, 'catalog/tools/flawfinder'), { recursive: true });
  return root;
}

describe('checkCatalog', () => {
  it('reports every problem at its place and exits 1; the cached run says exactly the same', () => {
    const root = catalogRoot();
    const doc = path.join(root, 'catalog/tools/flawfinder/doc.md');
    writeFileSync(doc, readFileSync(doc, 'utf8').replace('## FAQ', '## Questions').replace('sarif_results"}}', 'sarif_result"}}'));
    const yaml = path.join(root, 'catalog/tools/flawfinder/tool.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('mode: "off"', 'mode: "of"'));
    const first = checkCatalog(root, { cache: true, version: 'v1' });
    expect(first.code).toBe(1);
    expect(first.message).toMatch(/^catalog\/tools\/flawfinder\/tool\.yaml:16:3 recommended_trace\.mode: Invalid option/m);
    // The tool.yaml is invalid, so its doc.md cannot be checked against it yet.
    expect(first.message).not.toContain('doc.md');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('mode: "of"', 'mode: "off"'));
    const second = checkCatalog(root, { cache: true, version: 'v1' });
    expect(second.code).toBe(1);
    expect(second.message).toMatch(/^catalog\/tools\/flawfinder\/doc\.md:\d+:\d+ \{\{fact "examples\.c-source\.expect\.sarif_result"\}\}: no such fact/m);
    const cached = checkCatalog(root, { cache: true, version: 'v1' });
    expect(cached).toEqual(second);
    expect(JSON.parse(readFileSync(path.join(root, CACHE_FILE), 'utf8')).version).toBe('v1');
  });

  it('a corrupt or foreign cache file is ignored, not trusted', () => {
    const root = catalogRoot();
    mkdirSync(path.join(root, '.cache'));
    writeFileSync(path.join(root, CACHE_FILE), '{"version": "v1", "results": ');
    expect(checkCatalog(root, { cache: true, version: 'v1' }).code).toBe(0);
    // Another checker's results (a different version) are not used: the broken doc is found.
    const doc = path.join(root, 'catalog/tools/flawfinder/doc.md');
    writeFileSync(doc, readFileSync(doc, 'utf8').replace('## FAQ', '## Questions'));
    const cache = JSON.parse(readFileSync(path.join(root, CACHE_FILE), 'utf8')) as { results: object };
    writeFileSync(path.join(root, CACHE_FILE), JSON.stringify({ version: 'v0', results: cache.results }));
    expect(checkCatalog(root, { cache: true, version: 'v2' }).message).toContain('missing the "## FAQ" section');
  });
});

describe('npm run catalog:check (node bin/prebuilt.mjs src/scripts/catalog-check.ts)', () => {
  it('checks this repository, builds its bundle once and rebuilds it only when a source changed', () => {
    // A copy of what the check needs, with a node_modules whose packages link to this checkout's
    // but whose .cache (where the bundle goes) is its own, so the test never touches this checkout.
    const root = mkdtempSync(path.join(os.tmpdir(), 'cilock-check-bin-'));
    temps.push(root);
    for (const dir of ['bin', 'src', 'catalog']) cpSync(path.join(repoRoot, dir), path.join(root, dir), { recursive: true });
    for (const file of ['package.json', 'package-lock.json']) cpSync(path.join(repoRoot, file), path.join(root, file));
    mkdirSync(path.join(root, 'node_modules'));
    for (const name of readdirSync(path.join(repoRoot, 'node_modules'))) {
      if (name !== '.cache') symlinkSync(path.join(repoRoot, 'node_modules', name), path.join(root, 'node_modules', name));
    }
    const run = () => spawnSync(process.execPath, [path.join(root, 'bin/prebuilt.mjs'), path.join(root, 'src/scripts/catalog-check.ts')], { cwd: root, encoding: 'utf8' });
    const bundle = path.join(root, 'node_modules/.cache/cilock-prebuilt/src-scripts-catalog-check/main.js');
    const first = run();
    expect(first.stderr).toMatch(/catalog:check: \d+ tools, \d+ attestors, \d+ doc\.md files: no problems \(\d+ ms, 0 of \d+ file results reused\)/);
    expect(first.status).toBe(0);
    const built = statSync(bundle).mtimeMs;
    const again = run();
    expect(again.stderr).toMatch(/no problems \(\d+ ms, (\d+) of \1 file results reused\)/);
    expect(statSync(bundle).mtimeMs).toBe(built);
    const source = path.join(root, 'src/catalog/doc.ts');
    const later = new Date(built + 5_000);
    utimesSync(source, later, later);
    expect(run().status).toBe(0);
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(built);
    // A source that does not compile: exit 1 with esbuild's located error, and the old bundle is kept.
    const good = readFileSync(source, 'utf8');
    writeFileSync(source, `${good}\nexport const broken = ;\n`);
    const failed = run();
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/src\/catalog\/doc\.ts:\d+:\d+:[\s\S]*prebuilt: cannot build src\/scripts\/catalog-check\.ts: fix the error\(s\) above/);
    expect(existsSync(bundle)).toBe(true);
    writeFileSync(source, good);
    expect(run().status).toBe(0);
    // A broken entry: exit 1 with the located problem.
    writeFileSync(path.join(root, 'catalog/tools/flawfinder/tool.yaml'), 'name: flawfinder\n');
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('catalog/tools/flawfinder/tool.yaml:1:1 title: is required');
    expect(execFileSync('git', ['-C', repoRoot, 'check-ignore', CACHE_FILE], { encoding: 'utf8' }).trim()).toBe(CACHE_FILE);
  }, 120_000);
});

describe('the canonical doc.md sections', () => {
  it('--sections prints them from their one definition, and the README points there instead of restating them', async () => {
    const { CANONICAL_SECTIONS } = await import('../../../src/catalog/doc-sections.js');
    const out = spawnSync(process.execPath, [path.join(repoRoot, 'bin/prebuilt.mjs'), path.join(repoRoot, 'src/scripts/catalog-check.ts'), '--sections'], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout.trimEnd().split('\n').map((l) => /^\d+\. ## (.+?) — /.exec(l)?.[1])).toEqual(CANONICAL_SECTIONS.map((s) => s.title));
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain('[`src/catalog/doc-sections.ts`](src/catalog/doc-sections.ts)');
    expect(readme).toContain('npm run catalog:check -- --sections');
    // Not restated: the README never lists two canonical headings one after the other.
    expect(readme).not.toMatch(/What gets captured.{0,40}Why this shape/s);
  });

  it('an unknown option is a usage error (exit 2), not a stack trace', () => {
    const out = spawnSync(process.execPath, [path.join(repoRoot, 'bin/prebuilt.mjs'), path.join(repoRoot, 'src/scripts/catalog-check.ts'), '--sectoins'], { encoding: 'utf8' });
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/^catalog:check: Unknown option '--sectoins'.*\(options: --no-cache, --sections\)\n$/);
  });
});
