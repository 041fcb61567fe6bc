/**
 * `npm run catalog:check` (its command, `node bin/prebuilt.mjs src/scripts/catalog-check.ts`, run
 * directly: npm's own start-up is the same for every script): median wall time beside bare `node -e 0`, interleaved run by run.
 * Three cases on a copy of the repo: nothing changed (every file result from the cache), one doc.md
 * edited before each run (that entry checked again) and --no-cache (every file parsed: the cost
 * the cache removes). Target: ≤ 10× bare Node with the cache.
 */
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { scratchCopy } from './scratch.js';
import { fmt, median, table, timeOnce, verdict, runAsScript } from './timing.js';

const RUNS = 15;
const TARGET = 10;

export async function main(): Promise<{ passed: boolean }> {
  const copy = scratchCopy('check');
  try {
    const check = [path.join(copy, 'bin/prebuilt.mjs'), path.join(copy, 'src/scripts/catalog-check.ts')];
    const doc = path.join(copy, 'catalog/tools/flawfinder/doc.md');
    timeOnce(process.execPath, check, { cwd: copy }); // builds the bundle and fills the cache; not counted
    const times = { node: [] as number[], cached: [] as number[], edited: [] as number[], cold: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      times.node.push(timeOnce(process.execPath, ['-e', '0']));
      times.cached.push(timeOnce(process.execPath, check, { cwd: copy }));
      appendFileSync(doc, `\nEdited ${i}.\n`);
      times.edited.push(timeOnce(process.execPath, check, { cwd: copy }));
      times.cold.push(timeOnce(process.execPath, [...check, '--no-cache'], { cwd: copy }));
    }
    const nodeMs = median(times.node);
    const row = (label: string, values: number[]) => [label, fmt(median(values)), `${(median(values) / nodeMs).toFixed(2)}×`];
    const worst = Math.max(median(times.cached), median(times.edited)) / nodeMs;
    process.stdout.write(
      `\n## catalog:check (median of ${RUNS} runs)\n${table([
        ['command', 'median', 'ratio to node -e 0'],
        ['node -e 0', fmt(nodeMs), '1.00×'],
        row('catalog:check, nothing changed', times.cached),
        row('catalog:check, one doc.md edited', times.edited),
        row('catalog:check --no-cache', times.cold),
      ])}\ntarget: ≤ ${TARGET}× node with the cache (${verdict(worst <= TARGET)})\n`,
    );
    return { passed: worst <= TARGET };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, 'catalog-check', main);
