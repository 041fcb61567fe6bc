/**
 * Cold `astro build` of the docs site, and how its time grows with the number of tool pages.
 *
 * Each variant is a fresh copy of `astro.config.mjs` + `site/` under `.bench-work/site-build/`
 * (inside the repo so node_modules resolves; Astro's caches start empty), built with the pinned
 * Astro CLI:
 *   - `100 tool pages`: the real tool pages cut down to 100, or padded to 100 with copies;
 *   - `all tool pages`: the site exactly as generated (the figure checked against the target);
 *   - `4x tool pages`: padded with copies, to show the slope as the catalog grows.
 * Copies are real generated pages under new slugs, so they cost what a new tool page costs.
 * Each variant is built BENCH_SITE_REPEATS times (default 2) and the fastest run counts.
 * Target: the full cold build ≤ 120 s.
 *
 *   npx tsx bench/site-build.ts
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAsScript } from './timing.js';

const TARGET_SECONDS = 120;
const BASE_PAGES = 100;
const SCALE = 4;
/** Each variant is built this many times from scratch and the fastest run counts (the machine is shared). */
const REPEATS = Number(process.env['BENCH_SITE_REPEATS'] ?? 2);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, '.bench-work/site-build');
const astroCli = join(root, 'node_modules/astro/astro.js');

export interface SiteBuildPoint {
  label: string;
  toolPages: number;
  pagesBuilt: number;
  seconds: number;
}

export interface SiteBuildResult {
  points: SiteBuildPoint[];
  fullSeconds: number;
  /** Time of the full build over the 100-tool-page build. */
  ratio: number;
  /** Tool pages of the full build over 100. */
  pageRatio: number;
  passed: boolean;
}

function toolPagesIn(docs: string): string[] {
  return readdirSync(join(docs, 'tools'))
    .filter((file) => file.endsWith('.mdx') && file !== 'index.mdx')
    .sort();
}

/** Rewrites links to removed tool pages to the tools index, so link validation still passes. */
function unlinkRemoved(dir: string, removed: Set<string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) unlinkRemoved(file, removed);
    else if (/\.mdx?$/.test(entry.name)) {
      const text = readFileSync(file, 'utf8');
      const next = text.replace(/\/tools\/([a-z0-9-]+)\/(#[\w-]*)?/g, (link, name: string) => (removed.has(name) ? '/tools/' : link));
      if (next !== text) writeFileSync(file, next);
    }
  }
}

/** Copies the site into `dir` with exactly `count` tool pages. */
function prepareVariant(dir: string, count: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, 'astro.config.mjs'), join(dir, 'astro.config.mjs'));
  cpSync(join(root, 'site'), join(dir, 'site'), { recursive: true, filter: (source) => !source.startsWith(join(root, 'site/dist')) });
  const docs = join(dir, 'site/src/content/docs');
  const pages = toolPagesIn(docs);
  if (count < pages.length) {
    const removed = pages.slice(count);
    for (const file of removed) rmSync(join(docs, 'tools', file));
    unlinkRemoved(docs, new Set(removed.map((file) => file.replace(/\.mdx$/, ''))));
  }
  for (let i = 0; pages.length + i < count; i++) {
    const source = pages[i % pages.length] as string;
    const copy = readFileSync(join(docs, 'tools', source), 'utf8').replace(/^title: (.*)$/m, (_, title: string) => `title: ${JSON.stringify(`${title.replace(/^"|"$/g, '')} (copy ${i + 1})`)}`);
    writeFileSync(join(docs, 'tools', source.replace(/\.mdx$/, `-copy-${i + 1}.mdx`)), copy);
  }
}

function buildOnce(label: string, count: number): SiteBuildPoint {
  const dir = join(work, label.replace(/\W+/g, '-'));
  prepareVariant(dir, count);
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [astroCli, 'build', '--root', dir], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (child.status !== 0) {
    throw new Error(`astro build of the "${label}" variant failed (exit ${String(child.status)}):\n${(child.stdout + child.stderr).slice(-4000)}`);
  }
  const built = /(\d+) page\(s\) built/.exec(child.stdout);
  rmSync(dir, { recursive: true, force: true });
  return { label, toolPages: count, pagesBuilt: built ? Number(built[1]) : 0, seconds };
}

function buildVariant(label: string, count: number): SiteBuildPoint {
  const runs = Array.from({ length: Math.max(1, REPEATS) }, () => buildOnce(label, count));
  return runs.reduce((best, run) => (run.seconds < best.seconds ? run : best));
}

export async function main(): Promise<SiteBuildResult> {
  if (!existsSync(astroCli)) throw new Error('astro is not installed: run npm ci');
  const docs = join(root, 'site/src/content/docs');
  if (!existsSync(join(docs, 'tools'))) throw new Error('no generated tool pages: run npm run gen:catalog');
  const all = toolPagesIn(docs).length;
  try {
    const base = buildVariant(`${BASE_PAGES} tool pages`, BASE_PAGES);
    const full = buildVariant('all tool pages', all);
    const scaled = buildVariant(`${SCALE}x tool pages`, all * SCALE);
    const points = [base, full, scaled];
    const result: SiteBuildResult = {
      points,
      fullSeconds: full.seconds,
      ratio: full.seconds / base.seconds,
      pageRatio: all / BASE_PAGES,
      passed: full.seconds <= TARGET_SECONDS,
    };
    const line = (p: SiteBuildPoint) =>
      `  ${p.label.padEnd(18)} ${String(p.toolPages).padStart(4)} tool pages, ${String(p.pagesBuilt).padStart(4)} pages built: ${p.seconds.toFixed(1).padStart(6)} s (${((p.seconds * 1000) / Math.max(p.pagesBuilt, 1)).toFixed(0)} ms/page)`;
    process.stdout.write(
      [
        `site-build: cold astro build of the docs site (fresh copy, empty Astro caches; fastest of ${Math.max(1, REPEATS)})`,
        ...points.map(line),
        `  all/${BASE_PAGES} tool pages: time ratio ${result.ratio.toFixed(2)} for a page ratio of ${result.pageRatio.toFixed(2)}`,
        `  ${SCALE}x/all tool pages: time ratio ${(scaled.seconds / full.seconds).toFixed(2)} for a page ratio of ${SCALE.toFixed(2)}`,
        `  full build: ${full.seconds.toFixed(1)} s (target ≤ ${TARGET_SECONDS} s) ${result.passed ? 'PASS' : 'FAIL'}`,
        '',
      ].join('\n'),
    );
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, 'site-build', main);
