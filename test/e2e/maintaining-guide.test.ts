/**
 * The "Maintaining the catalog" guide, executed: its shell blocks run in order, and its file
 * blocks (`title="path"`) are written, in a copy of this repository (tracked and new files,
 * node_modules and .tools linked), so the loop new:tool → catalog:check → examples --record →
 * gen:catalog → gen:catalog --check runs on a throwaway tool and leaves nothing behind here.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocks, isShell } from './lib/page-blocks.js';
import { repoRoot } from './lib/paths.js';

const PAGE = 'guides/maintaining-the-catalog.mdx';
const TOOL = 'demo-sarif';

interface Ran {
  status: number;
  output: string;
}

function sh(command: string, cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd, env: { ...process.env, npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('close', (code) => resolve({ status: code ?? -1, output }));
  });
}

/** The repository as a maintainer's checkout has it: tracked and untracked, not ignored, files. */
function copyOfRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-guide-repo-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(path.join(repoRoot, file))) continue; // deleted in the work tree
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(repoRoot, file), path.join(dir, file));
  }
  for (const link of ['node_modules', '.tools']) if (existsSync(path.join(repoRoot, link))) symlinkSync(path.join(repoRoot, link), path.join(dir, link));
  return dir;
}

const copies: string[] = [];
afterAll(() => copies.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe(`${PAGE}: the maintainer's loop runs as the page shows it`, () => {
  it('scaffolds, checks, records, generates and removes a throwaway tool', async () => {
    const page = blocks(PAGE);
    const shell = page.filter(isShell).map((b) => b.value);
    // The loop the page is about, in its order: scaffold, check, record, generate, check for drift.
    const at = ['npm run new:tool -- demo-sarif', 'npm run catalog:check', 'npm run examples -- --tool demo-sarif --record', 'npm run gen:catalog'].map((c) => shell.indexOf(c));
    expect(at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1]!)), `first positions ${at.join(', ')}`).toBe(true);
    expect(shell.lastIndexOf('npm run gen:catalog -- --check')).toBeGreaterThan(at[3]!);

    const repo = copyOfRepo();
    copies.push(repo);
    const generatedIndex = 'site/src/content/docs/tools/index.mdx';
    const indexBefore = readFileSync(path.join(repo, generatedIndex), 'utf8');
    let recorded: string | undefined;
    for (const b of page) {
      if (b.meta.title && !isShell(b)) {
        writeFileSync(path.join(repo, b.meta.title), `${b.value}\n`);
        continue;
      }
      if (!isShell(b)) continue;
      const r = await sh(b.value, repo);
      const want = Number(b.meta.exit ?? 0);
      expect(r.status, `${PAGE}:${b.line} exited ${r.status}, expected ${want}\n$ ${b.value}\n${r.output.slice(-4000)}`).toBe(want);
      if (b.value.startsWith('npm run gen:catalog -- --check') && want === 1) {
        // The scaffold's TODO markers are what the page lint reports.
        expect(r.output).toMatch(new RegExp(`site/src/content/docs/tools/${TOOL}\\.mdx:\\d+ todo: `));
      }
      if (b.value.includes('--record')) {
        recorded = readFileSync(path.join(repo, `catalog/tools/${TOOL}/tool.yaml`), 'utf8');
        expect(r.output).toContain(`+++ b/catalog/tools/${TOOL}/tool.yaml`);
        expect(r.output).toContain('real ');
      }
      if (b.value === 'npm run gen:catalog') {
        const pageFile = path.join(repo, `site/src/content/docs/tools/${TOOL}.mdx`);
        if (existsSync(path.join(repo, `catalog/tools/${TOOL}`))) expect(readFileSync(pageFile, 'utf8')).toContain('example="demo-sarif/basic"');
      }
    }
    // What the real run gave, written in place of the placeholders; every other line as the page wrote it.
    const written = `${page.find((b) => b.meta.title === `catalog/tools/${TOOL}/tool.yaml`)!.value}\n`;
    const lines = (t: string) => t.split('\n');
    expect(lines(written).filter((l) => !lines(recorded!).includes(l))).toEqual(['      sarif_results: 0']);
    expect(lines(recorded!).filter((l) => !lines(written).includes(l))).toEqual([
      '        - https://aflock.ai/attestations/sarif/v0.1',
      '      products: [demo.sarif]',
      '      sarif_report: demo.sarif',
      '      sarif_results: 2',
    ]);
    // The practice entry is gone again and the pages are as committed.
    expect(existsSync(path.join(repo, `catalog/tools/${TOOL}`))).toBe(false);
    expect(readFileSync(path.join(repo, generatedIndex), 'utf8')).toBe(indexBefore);
  }, 900_000);
});
