/**
 * Overhead of `cilock run -- true` against the naive baseline of hashing the tree twice with
 * `sha256sum` (once before, once after the command), over a generated working tree of 5,000
 * files / 200 MB. Runs the built CLI (`npm run build:cli` first). Target: ratio ≤ 1.5.
 *
 *   npx tsx bench/run-overhead.ts
 */
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAsScript } from './timing.js';

const FILE_COUNT = 5_000;
const TOTAL_BYTES = 200 * 1024 * 1024;
const DIRECTORIES = 50;
const REPEATS = 3;
const TARGET_RATIO = 1.5;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/main.js');

export interface RunOverheadResult {
  files: number;
  bytes: number;
  baselineSeconds: number;
  cilockSeconds: number;
  ratio: number;
  passed: boolean;
}

/** Deterministic, incompressible-looking content without paying for randomBytes on 200 MB. */
function fileContent(index: number, size: number): Buffer {
  const block = createHash('sha512').update(`cilock-bench-${index}`).digest();
  const out = Buffer.allocUnsafe(size);
  for (let offset = 0; offset < size; offset += block.length) block.copy(out, offset, 0, Math.min(block.length, size - offset));
  return out;
}

function generateTree(dir: string): string[] {
  const files: string[] = [];
  const average = Math.floor(TOTAL_BYTES / FILE_COUNT);
  let written = 0;
  for (let i = 0; i < FILE_COUNT; i++) {
    // Sizes vary between half and one and a half times the average; the last file evens out the total.
    const size = i === FILE_COUNT - 1 ? TOTAL_BYTES - written : Math.floor(average * (0.5 + ((i * 7919) % 1000) / 1000));
    const rel = join(`d${String(i % DIRECTORIES).padStart(2, '0')}`, `f${String(i).padStart(5, '0')}.bin`);
    mkdirSync(join(dir, dirname(rel)), { recursive: true });
    writeFileSync(join(dir, rel), fileContent(i, size));
    files.push(rel);
    written += size;
  }
  return files;
}

function timed(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function check(result: ReturnType<typeof spawnSync>, what: string): void {
  if (result.status !== 0) throw new Error(`${what} failed (exit ${String(result.status)}): ${String(result.stderr ?? '').slice(0, 2000)}`);
}

export async function main(): Promise<RunOverheadResult> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build:cli first`);
  const work = mkdtempSync(join(tmpdir(), 'cilock-bench-overhead-'));
  try {
    const tree = join(work, 'tree');
    const side = join(work, 'side');
    mkdirSync(tree);
    mkdirSync(side);
    const files = generateTree(tree);
    const keyPath = join(side, 'key.pem');
    writeFileSync(keyPath, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));

    const baseline = () => {
      // Before and after the command: two full passes, as a naive wrapper would do.
      for (let pass = 0; pass < 2; pass++) check(spawnSync('sha256sum', files, { cwd: tree, stdio: ['ignore', 'ignore', 'pipe'] }), 'sha256sum');
    };
    const cilock = () => {
      check(
        spawnSync(process.execPath, [cli, 'run', '-s', 'bench', '-k', keyPath, '-o', join(side, 'att.json'), '--', 'true'], { cwd: tree, stdio: ['ignore', 'ignore', 'pipe'] }),
        'cilock run',
      );
    };
    // Warm the page cache so both sides read from memory.
    baseline();
    cilock();
    const baselineTimes: number[] = [];
    const cilockTimes: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      baselineTimes.push(timed(baseline));
      cilockTimes.push(timed(cilock));
    }
    const baselineSeconds = median(baselineTimes);
    const cilockSeconds = median(cilockTimes);
    const ratio = cilockSeconds / baselineSeconds;
    const result = { files: FILE_COUNT, bytes: TOTAL_BYTES, baselineSeconds, cilockSeconds, ratio, passed: ratio <= TARGET_RATIO };
    process.stdout.write(
      [
        `run-overhead: ${FILE_COUNT} files, ${(TOTAL_BYTES / 1024 / 1024).toFixed(0)} MiB (median of ${REPEATS})`,
        `  baseline, sha256sum over the tree twice: ${baselineSeconds.toFixed(3)} s`,
        `  cilock run -- true (built CLI):          ${cilockSeconds.toFixed(3)} s`,
        `  ratio cilock/baseline: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}) ${result.passed ? 'PASS' : 'FAIL'}`,
        '',
      ].join('\n'),
    );
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, 'run-overhead', main);
