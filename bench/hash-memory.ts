/**
 * Peak memory of hashing one 1 GiB file through the material attestor. The file is sparse (it
 * costs no disk), and the attestor runs in a fresh child process so the figure is its own peak
 * RSS, not this script's. Target: < 200 MB.
 *
 *   npx tsx bench/hash-memory.ts
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runAsScript } from './timing.js';

const FILE_BYTES = 1024 ** 3;
const TARGET_BYTES = 200 * 1000 * 1000;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface HashMemoryResult {
  fileBytes: number;
  peakRssBytes: number;
  seconds: number;
  sha256: string;
  passed: boolean;
  runtime: string;
}

/** Child script: run the material attestor over `dir` and report peak RSS. */
const CHILD = `
const [moduleUrl, dir] = process.argv.slice(1);
const { collectMaterials } = await import(moduleUrl);
const sink = { write() {} };
const context = { workingDir: dir, hashes: ['sha256'], env: {}, argv: ['true'], sensitiveEnv: { filter: false, addKeys: [], allowKeys: [] }, commandStdout: sink, commandStderr: sink };
const start = process.hrtime.bigint();
const output = await collectMaterials(context);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(JSON.stringify({ peakRssBytes: process.resourceUsage().maxRSS * 1024, seconds, sha256: output.body.leaves[0].fileDigest }));
`;

export async function main(): Promise<HashMemoryResult> {
  const dist = join(root, 'dist/attestors/material.js');
  const useDist = existsSync(dist);
  const moduleUrl = pathToFileURL(useDist ? dist : join(root, 'src/attestors/material.ts')).href;
  const work = mkdtempSync(join(tmpdir(), 'cilock-bench-memory-'));
  try {
    const file = join(work, 'big.bin');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, FILE_BYTES);
    writeSync(fd, Buffer.from('cilock'), 0, 6, FILE_BYTES / 2);
    closeSync(fd);
    const args = [...(useDist ? [] : ['--import', 'tsx']), '--input-type=module', '-e', CHILD, moduleUrl, work];
    const child = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`material attestor child failed (exit ${String(child.status)}): ${child.stderr.slice(0, 2000)}`);
    const measured = JSON.parse(child.stdout) as Pick<HashMemoryResult, 'peakRssBytes' | 'seconds' | 'sha256'>;
    const result: HashMemoryResult = { fileBytes: FILE_BYTES, ...measured, passed: measured.peakRssBytes < TARGET_BYTES, runtime: useDist ? 'dist (built)' : 'src via tsx' };
    process.stdout.write(
      [
        `hash-memory: one ${FILE_BYTES / 1024 ** 3} GiB sparse file through the material attestor (${result.runtime})`,
        `  hashed in ${result.seconds.toFixed(2)} s, sha256 ${result.sha256}`,
        `  peak RSS: ${(result.peakRssBytes / 1e6).toFixed(1)} MB (target < ${TARGET_BYTES / 1e6} MB) ${result.passed ? 'PASS' : 'FAIL'}`,
        '',
      ].join('\n'),
    );
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, 'hash-memory', main);
