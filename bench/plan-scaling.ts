/**
 * `cilock plan` on long `sh -c` scripts: wall time for 1000, 2000 and 4000 sub-commands joined by
 * `&&`, with a CI-sized environment. Linear scaling means time per sub-command stays flat.
 * Target: 4000 sub-commands in under 2 s.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, medianOf, table, verdict, runAsScript } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = [1000, 2000, 4000];
const RUNS = 3;

export async function main(): Promise<{ passed: boolean }> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), CI: 'true' };
  for (let i = 0; i < 60; i++) env[`CI_VAR_${i}`] = `value-${i}`;
  const rows = [['sub-commands', 'median', 'per sub-command']];
  let largest = 0;
  for (const n of SIZES) {
    const script = Array.from({ length: n }, (_, i) => `echo step-${i}`).join(' && ');
    const ms = medianOf(RUNS, process.execPath, [path.join(root, 'dist/cli/main.js'), 'plan', '--format', 'json', '--', 'sh', '-c', script], { env });
    rows.push([String(n), fmt(ms), `${((ms / n) * 1000).toFixed(0)} µs`]);
    largest = ms;
  }
  const passed = largest < 2000;
  process.stdout.write(`\n## cilock plan on long sh -c scripts (median of ${RUNS} runs)\n${table(rows)}\ntarget: ${SIZES.at(-1)} sub-commands < 2 s (${verdict(passed)})\n`);
  return { passed };
}

runAsScript(import.meta.url, 'plan-scaling', main);
