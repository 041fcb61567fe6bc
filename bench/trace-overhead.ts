/**
 * What `cilock run --trace` costs: the same command wrapped by `cilock run` with and without
 * --trace, wall time (median of REPEATS) and cilock's peak RSS (GNU time's %M: the largest
 * process of the tree, cilock itself or strace), on
 *   - a shell loop that executes /bin/true 300 times (exec-heavy: every exec stops the tracee),
 *     goal traced/untraced ≤ 2;
 *   - a real build: tsc compiling cilock's own src/ (one process opening hundreds of files),
 *     goal traced/untraced ≤ 1.5.
 * Needs strace and GNU time (declared in src/scripts/system-tools.ts) and the built CLI.
 *
 *   npx tsx bench/trace-overhead.ts
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locate } from '../src/scripts/system-tools.js';
import { median, runAsScript } from './timing.js';

const REPEATS = 3;
const LOOP_EXECS = 300;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/main.js');

interface Measured {
  seconds: number;
  peakRssMb: number;
}

export interface TraceOverheadRow {
  workload: string;
  untraced: Measured;
  traced: Measured;
  ratio: number;
  goal: number;
  passed: boolean;
}

/** One run under GNU time: wall seconds and peak RSS. */
function measure(gnuTime: string, argv: string[], cwd: string): Measured {
  const r = spawnSync(gnuTime, ['-f', 'cilock-bench %e %M', ...argv], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const line = /cilock-bench ([\d.]+) (\d+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !line) throw new Error(`${argv.join(' ')} failed (exit ${String(r.status)}): ${r.stderr.slice(-2000)}`);
  return { seconds: Number(line[1]), peakRssMb: Number(line[2]) / 1024 };
}

/** Untraced and traced runs alternate, so load from other work on the machine falls on both alike. */
function medianPair(gnuTime: string, untraced: string[], traced: string[], cwd: string): [Measured, Measured] {
  measure(gnuTime, untraced, cwd); // warm caches; not counted
  measure(gnuTime, traced, cwd);
  const pairs = Array.from({ length: REPEATS }, () => [measure(gnuTime, untraced, cwd), measure(gnuTime, traced, cwd)] as const);
  const summarize = (runs: Measured[]): Measured => ({ seconds: median(runs.map((r) => r.seconds)), peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)) });
  return [summarize(pairs.map((p) => p[0])), summarize(pairs.map((p) => p[1]))];
}

export async function main(): Promise<TraceOverheadRow[]> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build:cli first`);
  const gnuTime = locate('time');
  if (!gnuTime || !locate('strace')) throw new Error('trace-overhead needs GNU time and strace: sudo apt-get install -y time strace');
  const work = mkdtempSync(join(tmpdir(), 'cilock-bench-trace-'));
  try {
    const keyPath = join(work, 'key.pem');
    writeFileSync(keyPath, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const loopDir = join(work, 'loop');
    mkdirSync(loopDir);
    const buildDir = join(work, 'build');
    mkdirSync(buildDir);
    const buildOut = join(work, 'build-out');
    const workloads = [
      { workload: `shell loop, ${LOOP_EXECS} execs of /bin/true`, cwd: loopDir, goal: 2, argv: ['sh', '-c', `i=0; while [ $i -lt ${LOOP_EXECS} ]; do /bin/true; i=$((i+1)); done`] },
      // Run from an empty directory (the walk stays small on both sides); the output goes outside it
      // and is not incremental, so every run compiles the same sources from scratch.
      { workload: 'real build: tsc over cilock src/', cwd: buildDir, goal: 1.5, argv: [process.execPath, join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', buildOut, '--incremental', 'false'] },
    ];
    const rows: TraceOverheadRow[] = [];
    for (const { workload, cwd, goal, argv } of workloads) {
      const run = (trace: boolean) => [process.execPath, cli, 'run', ...(trace ? ['--trace'] : []), '-s', 'bench', '-a', 'environment', '-k', keyPath, '-o', join(work, 'att.json'), '--', ...argv];
      const [untraced, traced] = medianPair(gnuTime, run(false), run(true), cwd);
      const ratio = traced.seconds / untraced.seconds;
      rows.push({ workload, untraced, traced, ratio, goal, passed: ratio <= goal });
    }
    const lines = [`trace-overhead: cilock run with and without --trace (median of ${REPEATS} alternating wall times; peak RSS of the largest process)`];
    for (const row of rows) {
      lines.push(`  ${row.workload}`);
      lines.push(`    untraced: ${row.untraced.seconds.toFixed(2)} s, peak RSS ${row.untraced.peakRssMb.toFixed(0)} MB`);
      lines.push(`    traced:   ${row.traced.seconds.toFixed(2)} s, peak RSS ${row.traced.peakRssMb.toFixed(0)} MB`);
      lines.push(`    ratio traced/untraced: ${row.ratio.toFixed(2)} (goal <= ${row.goal}) ${row.passed ? 'PASS' : 'FAIL'}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, 'trace-overhead', main);
