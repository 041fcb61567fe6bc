/**
 * Cost of the redaction policy on 10 MB of realistic build output (log lines with paths, URLs,
 * key=value pairs and, every few hundred lines, a secret: an environment value, a URL credential
 * or a token shape), under a CI-like environment with 20 sensitive variables. Baseline: what
 * recording that output costs without redaction (decode, serialise the body, hash it); compared
 * with the same plus `commandRunBody`'s redaction. Both in this process, median of 5.
 *
 *   npx tsx bench/redaction.ts
 */
import { createHash } from 'node:crypto';
import { goJson } from '../src/attestation/json.js';
import { commandRunBody } from '../src/attestors/command-run.js';
import { wholeOutputResult } from '../src/attestors/output-capture.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../src/redaction/sensitive-names.js';
import { REDACTED_VALUE } from '../src/redaction/marker.js';
import { runAsScript } from './timing.js';

const BYTES = 10 * 1024 * 1024;
const REPEATS = 5;

export interface RedactionBenchResult {
  bytes: number;
  baselineMs: number;
  redactedMs: number;
  ratio: number;
  redactions: number;
}

function ciEnvironment(): Record<string, string> {
  const env: Record<string, string> = { HOME: '/home/runner', CI: 'true', PATH: '/usr/local/bin:/usr/bin:/bin', PWD: '/home/runner/work/app/app' };
  for (let i = 0; i < 20; i++) env[`SERVICE_${i}_TOKEN`] = `tok${i}-${createHash('sha256').update(String(i)).digest('hex').slice(0, 24)}`;
  env.DATABASE_URL = 'postgres://app:Pa55w0rd-db@db.internal:5432/app';
  return env;
}

/** Log-like lines; one in 250 carries a secret of one of the kinds the policy removes. */
function buildOutput(env: Record<string, string>): string {
  const secrets = [
    `using token ${env.SERVICE_3_TOKEN}`,
    'fetching https://ci:s3cr3t-pass@registry.example.com/v2/app/manifests/latest',
    `auth ghp_${'A1b2C3d4E5'.repeat(3)}abcdef ok`,
    'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl" https://api.example.com',
    `connecting to ${env.DATABASE_URL}`,
  ];
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < BYTES; i++) {
    const line =
      i % 250 === 0
        ? `2026-12-02T20:00:${String(i % 60).padStart(2, '0')}Z WARN ${secrets[(i / 250) % secrets.length]}`
        : `2026-12-02T20:00:${String(i % 60).padStart(2, '0')}Z INFO [worker-${i % 16}] compiled /home/runner/work/app/app/src/mod${i % 50}/file${i}.ts in ${i % 997}ms cache=hit size=${(i * 37) % 100000} url=https://cdn.example.com/assets/${i}.js`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

function timeMs(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function main(): Promise<RedactionBenchResult> {
  const env = ciEnvironment();
  const stdout = Buffer.from(buildOutput(env));
  const result = wholeOutputResult(['make', 'build'], 0, stdout);
  const record = (body: unknown) => createHash('sha256').update(goJson(body)).digest('hex');
  const baseline = () => record({ cmd: result.argv, exitcode: 0, stdout: stdout.toString('utf8') });
  let redactedBody = commandRunBody(result, { env, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS });
  const redacted = () => {
    redactedBody = commandRunBody(result, { env, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS });
    record(redactedBody);
  };
  baseline();
  redacted();
  const baselineTimes: number[] = [];
  const redactedTimes: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    baselineTimes.push(timeMs(baseline));
    redactedTimes.push(timeMs(redacted));
  }
  const baselineMs = median(baselineTimes);
  const redactedMs = median(redactedTimes);
  const redactions = (redactedBody.stdout ?? '').split(REDACTED_VALUE).length - 1;
  process.stdout.write(
    [
      `redaction: ${(stdout.length / 1024 / 1024).toFixed(1)} MiB of stdout, ${Object.keys(env).length} variables (median of ${REPEATS})`,
      `  record without redaction (decode, serialise, hash): ${baselineMs.toFixed(1)} ms`,
      `  record with the redaction policy:                   ${redactedMs.toFixed(1)} ms (${redactions} redactions)`,
      `  ratio with/without: ${(redactedMs / baselineMs).toFixed(2)}; redaction alone ${(redactedMs - baselineMs).toFixed(1)} ms, ${((stdout.length / 1024 / 1024) / ((redactedMs - baselineMs) / 1000)).toFixed(0)} MiB/s`,
      '',
    ].join('\n'),
  );
  return { bytes: stdout.length, baselineMs, redactedMs, ratio: redactedMs / baselineMs, redactions };
}

runAsScript(import.meta.url, 'redaction', main);
