/**
 * `cilock verify` of one envelope carrying a 100 MB payload (a SARIF-shaped collection of ~1 KB
 * results, signed with a fresh Ed25519 key), with the built CLI, against `sha256sum` of the same
 * envelope file in the same run. Reports the wall-time ratio and the verifier's peak RSS, measured
 * by `/usr/bin/time -v`. Target: peak RSS <= 4x the envelope file size.
 *
 *   npx tsx bench/verify-large.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTOTO_PAYLOAD_TYPE, signEnvelope } from '../src/attestation/dsse.js';
import { ed25519Key, largeStatementPayload } from '../test/robustness/support.js';
import { median, runAsScript } from './timing.js';

const PAYLOAD_BYTES = 100 * 1024 * 1024;
const REPEATS = 3;
const TARGET_RSS_FACTOR = 4;
const TIME = '/usr/bin/time';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/main.js');

export interface VerifyLargeResult {
  envelopeBytes: number;
  sha256sumSeconds: number;
  verifySeconds: number;
  ratio: number;
  peakRssBytes: number;
  passed: boolean;
}

/** Runs `argv` under `/usr/bin/time -v`; returns wall seconds and peak RSS in bytes. */
function measured(argv: string[]): { seconds: number; peakRssBytes: number } {
  const start = process.hrtime.bigint();
  const result = spawnSync(TIME, ['-v', ...argv], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${String(result.status)}: ${result.stderr.slice(0, 2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  if (!rss) throw new Error(`no peak RSS in the output of ${TIME} -v`);
  return { seconds, peakRssBytes: Number(rss[1]) * 1024 };
}

export async function main(): Promise<VerifyLargeResult> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build:cli first`);
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing: install GNU time (apt-get install time) to measure peak RSS`);
  const work = mkdtempSync(join(tmpdir(), 'cilock-bench-verify-'));
  try {
    const key = ed25519Key();
    const envelopePath = join(work, 'big.att.json');
    const pubPath = join(work, 'key.pub.pem');
    writeFileSync(envelopePath, JSON.stringify(signEnvelope(largeStatementPayload(PAYLOAD_BYTES), INTOTO_PAYLOAD_TYPE, key.signing)));
    writeFileSync(pubPath, key.publicPem);
    const envelopeBytes = statSync(envelopePath).size;
    const baseline = () => measured(['sha256sum', envelopePath]);
    const verify = () => measured([process.execPath, cli, 'verify', '-a', envelopePath, '-k', pubPath]);
    baseline(); // warm the page cache; not counted
    const baselineRuns: number[] = [];
    const verifyRuns: ReturnType<typeof verify>[] = [];
    for (let i = 0; i < REPEATS; i++) {
      baselineRuns.push(baseline().seconds);
      verifyRuns.push(verify());
    }
    const sha256sumSeconds = median(baselineRuns);
    const verifySeconds = median(verifyRuns.map((run) => run.seconds));
    const peakRssBytes = Math.max(...verifyRuns.map((run) => run.peakRssBytes));
    const ratio = verifySeconds / sha256sumSeconds;
    const passed = peakRssBytes <= TARGET_RSS_FACTOR * envelopeBytes;
    process.stdout.write(
      [
        `verify-large: one envelope of ${(envelopeBytes / 1e6).toFixed(1)} MB (payload ${PAYLOAD_BYTES / 1024 / 1024} MiB), median of ${REPEATS}`,
        `  sha256sum of the envelope file:      ${sha256sumSeconds.toFixed(3)} s`,
        `  cilock verify (built CLI):           ${verifySeconds.toFixed(3)} s`,
        `  ratio cilock verify/sha256sum: ${ratio.toFixed(1)}`,
        `  peak RSS of cilock verify: ${(peakRssBytes / 1e6).toFixed(1)} MB = ${(peakRssBytes / envelopeBytes).toFixed(2)}x the envelope (target <= ${TARGET_RSS_FACTOR}x) ${passed ? 'PASS' : 'MISS'}`,
        '',
      ].join('\n'),
    );
    return { envelopeBytes, sha256sumSeconds, verifySeconds, ratio, peakRssBytes, passed };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, 'verify-large', main);
