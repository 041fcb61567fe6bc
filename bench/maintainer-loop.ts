/**
 * The maintainer's loop, step by step, as a maintainer types it (through npm), in a scratch copy
 * of the repository, each step's median beside bare `node -e 0` timed run for run with it.
 * Target: `npm run gen:catalog` after a one-line doc.md edit, CLI rebuild included, ≤ 20× node.
 */
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { scratchCopy } from './scratch.js';
import { fmt, median, table, timeOnce, verdict, runAsScript } from './timing.js';

const RUNS = 5;

export async function main(): Promise<{ passed: boolean }> {
  const dir = scratchCopy('loop', { dist: true });
  try {
    const npm = (args: string[]) => ({ file: 'npm', args: ['run', '--silent', ...args] });
    const doc = path.join(dir, 'catalog/tools/kubescape/doc.md');
    let edits = 0;
    const steps: { name: string; before?: () => void; file: string; args: string[] }[] = [
      { name: 'npm run build:cli (nothing changed)', ...npm(['build:cli']) },
      { name: 'npm run gen:catalog (nothing changed)', ...npm(['gen:catalog']) },
      // A different line each run, so every run sees a change to convert, compile and write.
      { name: 'npm run gen:catalog after a one-line doc.md edit', before: () => appendFileSync(doc, `\nA line added by the benchmark (${++edits}).\n`), ...npm(['gen:catalog']) },
      { name: 'npm run gen:catalog -- --check', ...npm(['gen:catalog', '--', '--check']) },
    ];
    // Warm the caches and bundles of the copy once (not counted), as after a first build.
    for (const s of steps) timeOnce(s.file, s.args, { cwd: dir });
    const nodeTimes: number[] = [];
    const stepTimes = steps.map(() => [] as number[]);
    for (let i = 0; i < RUNS; i++) {
      steps.forEach((s, j) => {
        nodeTimes.push(timeOnce(process.execPath, ['-e', '0'], { cwd: dir }));
        s.before?.();
        stepTimes[j]!.push(timeOnce(s.file, s.args, { cwd: dir }));
      });
    }
    const nodeMs = median(nodeTimes);
    const rows = [['step', 'median', 'ratio to node -e 0'], ['node -e 0', fmt(nodeMs), '1.00×']];
    const ratios = stepTimes.map((t) => median(t) / nodeMs);
    steps.forEach((s, j) => rows.push([s.name, fmt(median(stepTimes[j]!)), `${ratios[j]!.toFixed(1)}×`]));
    const passed = ratios[2]! <= 20;
    process.stdout.write(`\n## the maintainer's loop (median of ${RUNS} runs, in a scratch copy)\n${table(rows)}\ntarget: gen:catalog after a doc.md edit ≤ 20× node (${verdict(passed)})\n`);
    return { passed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, 'maintainer-loop', main);
