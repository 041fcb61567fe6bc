/**
 * gen:catalog wall time: the full catalog through the built binary, and a synthetic catalog of
 * 1,000 tools passed with --from-json, beside `cilock tools list --format json` alone.
 * Targets: full catalog ≤ 3 s; 1,000 tools ≤ 15 s, growing linearly.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, median, timeOnce, table, verdict, runAsScript } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli/main.js');
// The generator as npm run gen:catalog runs it: prebuilt, not through tsx.
const prebuilt = path.join(root, 'bin/prebuilt.mjs');
const generator = path.join(root, 'generator/cli.ts');

/** A saved-outputs folder of `count` tools cloned from the real catalog's entries (one in ten with full docs). */
function syntheticCatalog(count: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cilock-bench-gen-${count}-`));
  const list = JSON.parse(execFileSync(process.execPath, [cli, 'tools', 'list', '--format', 'json'], { encoding: 'utf8' })) as { name: string; source: string; has_doc: boolean }[];
  const plan = JSON.parse(execFileSync(process.execPath, [cli, 'tools', 'test-plan', '--format', 'json'], { encoding: 'utf8' })) as { cases: { detector: string }[] };
  const kubescape = JSON.parse(execFileSync(process.execPath, [cli, 'tools', 'show', 'kubescape', '--format', 'json'], { encoding: 'utf8' }));
  const templates = list.filter((e) => e.source === 'catalog-only' && !e.has_doc);
  const attestors = list.filter((e) => e.source === 'attestor-backed');
  mkdirSync(path.join(dir, 'show'));
  const tools: unknown[] = [];
  const cases: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const name = `tool-${String(i).padStart(4, '0')}`;
    const documented = i % 10 === 0;
    const base = documented ? kubescape : templates[i % templates.length];
    const entry = { ...base, name, has_doc: documented };
    tools.push(documented ? { ...entry, doc: undefined, examples: undefined, validate: undefined, captured: undefined } : entry);
    cases.push({ ...plan.cases.find((c) => c.detector === (documented ? 'kubescape' : base.name)), detector: name });
    if (documented) writeFileSync(path.join(dir, 'show', `${name}.json`), JSON.stringify({ ...entry, doc: { ...kubescape.doc, name } }));
  }
  for (const a of attestors) {
    tools.push(a);
    cases.push(plan.cases.find((c) => c.detector === a.name));
    if (a.has_doc) writeFileSync(path.join(dir, 'show', `${a.name}.json`), execFileSync(process.execPath, [cli, 'tools', 'show', a.name, '--format', 'json']));
  }
  writeFileSync(path.join(dir, 'list.json'), JSON.stringify(tools));
  writeFileSync(path.join(dir, 'test-plan.json'), JSON.stringify({ schema_version: 'cilock.tools.test-plan/v0.1', detectors_total: cases.length, cases }));
  return dir;
}

export async function main(): Promise<void> {
  const listMs = median([1, 2, 3, 4, 5].map(() => timeOnce(process.execPath, [cli, 'tools', 'list', '--format', 'json'])));
  const out = mkdtempSync(path.join(os.tmpdir(), 'cilock-bench-gen-out-'));
  const fullMs = timeOnce(process.execPath, [prebuilt, generator, '--quiet', '--out-dir', out], { cwd: root });
  const rows = [['run', 'wall time', 'ratio to tools list']];
  rows.push(['cilock tools list --format json', fmt(listMs), '1.00×']);
  rows.push(['gen:catalog, full catalog (binary)', fmt(fullMs), `${(fullMs / listMs).toFixed(1)}×`]);
  const sizes = [100, 1000];
  const synthetic: number[] = [];
  for (const n of sizes) {
    const dir = syntheticCatalog(n);
    const ms = timeOnce(process.execPath, [prebuilt, generator, '--quiet', '--from-json', dir, '--out-dir', mkdtempSync(path.join(os.tmpdir(), 'cilock-bench-gen-out-'))], { cwd: root });
    synthetic.push(ms);
    rows.push([`gen:catalog --from-json, ${n} synthetic tools`, fmt(ms), `${(ms / listMs).toFixed(1)}×`]);
  }
  const growth = synthetic[1]! / synthetic[0]!;
  process.stdout.write(
    `\n## gen:catalog\n${table(rows)}\n` +
      `growth 100 → 1,000 tools: ${growth.toFixed(1)}× for 10× the tools (linear ≈ ≤ 10×)\n` +
      `targets: full catalog ≤ 3 s (${verdict(fullMs <= 3000)}); 1,000 tools ≤ 15 s (${verdict(synthetic[1]! <= 15000)})\n`,
  );
}

runAsScript(import.meta.url, 'gen-catalog', main);
