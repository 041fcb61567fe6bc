/** Small helpers shared by the benchmarks: wall-clock medians of whole commands, and a table. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export function timeOnce(file: string, args: string[], opts: SpawnSyncOptions = {}): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(file, args, { stdio: 'ignore', ...opts });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}`);
  return ms;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function medianOf(runs: number, file: string, args: string[], opts: SpawnSyncOptions = {}): number {
  timeOnce(file, args, opts); // warm the file cache; not counted
  return median(Array.from({ length: runs }, () => timeOnce(file, args, opts)));
}

/** Medians of several commands timed in turn, run after run, so a change in machine load hits each alike. */
export function interleavedMedians(runs: number, commands: { file: string; args: string[]; opts?: SpawnSyncOptions }[]): number[] {
  for (const c of commands) timeOnce(c.file, c.args, c.opts); // warm the file cache; not counted
  const times = commands.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) commands.forEach((c, j) => times[j]!.push(timeOnce(c.file, c.args, c.opts)));
  return times.map(median);
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

export const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
export const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');

/** Runs a benchmark's `main` when its file is executed directly (`npx tsx bench/<name>.ts`). */
export function runAsScript(moduleUrl: string, name: string, main: () => Promise<unknown>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(resolve(process.argv[1])).href) return;
  main().then(
    (result) => {
      const passed = (result as { passed?: boolean } | undefined)?.passed;
      process.exitCode = passed === false ? 1 : 0;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
