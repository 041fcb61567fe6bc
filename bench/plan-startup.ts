/**
 * `cilock plan` start-up: median wall time of the documented plan command over 20 runs, beside
 * bare `node -e 0` on the same machine. Targets: median ≤ 150 ms and ≤ 3× bare Node.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, medianOf, table, verdict, runAsScript } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 20;

export async function main(): Promise<{ planMs: number; nodeMs: number }> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'cilock-bench-plan-'));
  const nodeMs = medianOf(RUNS, process.execPath, ['-e', '0'], { cwd });
  const planMs = medianOf(RUNS, process.execPath, [path.join(root, 'dist/cli/main.js'), 'plan', '--format', 'json', '--', 'kubescape', 'scan', 'framework', 'nsa', 'manifests/'], { cwd });
  const ratio = planMs / nodeMs;
  process.stdout.write(
    `\n## cilock plan start-up (median of ${RUNS} runs)\n${table([
      ['command', 'median', 'ratio to node -e 0'],
      ['node -e 0', fmt(nodeMs), '1.00×'],
      ['cilock plan --format json -- kubescape scan framework nsa manifests/', fmt(planMs), `${ratio.toFixed(2)}×`],
    ])}\ntarget: median ≤ 150 ms (${verdict(planMs <= 150)}), ≤ 3× node (${verdict(ratio <= 3)})\n`,
  );
  return { planMs, nodeMs };
}

runAsScript(import.meta.url, 'plan-startup', main);
