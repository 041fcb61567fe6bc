/**
 * Peak memory of `cilock run` wrapping a command that prints 450 MB to stdout, at three
 * `--max-output-bytes` settings. Measured with `/usr/bin/time -v` on the built CLI, the live
 * mirror piped into `wc -c`. Target: peak RSS below a third of the output at the default (4 MiB).
 *
 *   npx tsx bench/output-memory.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { table, verdict, runAsScript } from './timing.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOTAL = 450 * 1024 * 1024;
const LIMITS = ['1KiB', '1MiB', '4MiB', '10MiB'];
const DEFAULT = '4MiB';

export async function main(): Promise<{ passed: boolean }> {
  const work = mkdtempSync(join(tmpdir(), 'cilock-bench-output-'));
  try {
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(work, 'key.pem')]);
    const rows = [['--max-output-bytes', 'peak RSS', 'wall', 'mirrored bytes']];
    let defaultPeak = Infinity;
    for (const limit of LIMITS) {
      const cli = `${process.execPath} ${join(root, 'dist/cli/main.js')} run -s bench -k key.pem -o att.json --outfile-overwrite-material --max-output-bytes ${limit}`;
      const script = `/usr/bin/time -v -o time.txt ${cli} -- sh -c 'yes abcdefghijklmnopqrstuvwxyz0123456789 | head -c ${TOTAL}' | wc -c > mirrored.txt`;
      execFileSync('sh', ['-c', script], { cwd: work, stdio: ['ignore', 'ignore', 'ignore'] });
      const time = readFileSync(join(work, 'time.txt'), 'utf8');
      const peak = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(time)?.[1]) * 1024;
      const wall = /Elapsed \(wall clock\) time.*: (\S+)/.exec(time)?.[1] ?? '?';
      if (limit === DEFAULT) defaultPeak = peak;
      rows.push([limit === DEFAULT ? `${limit} (default)` : limit, `${(peak / 1e6).toFixed(0)} MB`, wall, readFileSync(join(work, 'mirrored.txt'), 'utf8').trim()]);
    }
    const passed = defaultPeak < TOTAL / 3;
    process.stdout.write(`\n## cilock run on a command printing ${TOTAL / 1024 ** 2} MiB to stdout\n${table(rows)}\ntarget: peak RSS < a third of the output at the default (${verdict(passed)})\n`);
    return { passed };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, 'output-memory', main);
