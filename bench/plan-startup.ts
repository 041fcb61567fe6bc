/**
 * `cilock plan` start-up: median wall time of the documented plan command over 20 runs, beside
 * bare `node -e 0` on the same machine, the two interleaved run by run so machine load hits both
 * alike. Target: ≤ 1.3× bare Node (the CLI is one esbuild bundle on the start-up path).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, interleavedMedians, table, verdict, runAsScript } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 30;

export async function main(): Promise<{ planMs: number; nodeMs: number }> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'cilock-bench-plan-'));
  const [nodeMs, planMs] = interleavedMedians(RUNS, [
    { file: process.execPath, args: ['-e', '0'], opts: { cwd } },
    { file: process.execPath, args: [path.join(root, 'dist/cli/main.js'), 'plan', '--format', 'json', '--', 'kubescape', 'scan', 'framework', 'nsa', 'manifests/'], opts: { cwd } },
  ]) as [number, number];
  const ratio = planMs / nodeMs;
  process.stdout.write(
    `\n## cilock plan start-up (median of ${RUNS} runs)\n${table([
      ['command', 'median', 'ratio to node -e 0'],
      ['node -e 0', fmt(nodeMs), '1.00×'],
      ['cilock plan --format json -- kubescape scan framework nsa manifests/', fmt(planMs), `${ratio.toFixed(2)}×`],
    ])}\ntarget: ≤ 1.3× node (${verdict(ratio <= 1.3)})\n`,
  );
  return { planMs, nodeMs };
}

runAsScript(import.meta.url, 'plan-startup', main);
