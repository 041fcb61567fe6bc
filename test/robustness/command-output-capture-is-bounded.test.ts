/**
 * The wrapped command's output is captured in bounded memory: past --max-output-bytes the
 * recorded text is cut with a marker, the whole stream's length and sha256 are recorded, and the
 * live mirror still passes every byte through.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandRunBody, runCommand } from '../../src/attestors/command-run.js';
import { DEFAULT_MAX_OUTPUT_BYTES } from '../../src/attestors/output-capture.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../src/attestors/sensitive-env.js';
import { CaptureSink, cleanupTempDirs, tempDir } from '../unit/run/support.js';
import { keyIn, MAIN, runSync } from './run-cli.js';

let key: string;
beforeAll(() => {
  key = keyIn(tempDir());
});
afterAll(cleanupTempDirs);

interface CommandRun {
  stdout?: string;
  stdoutBytes: number;
  stdoutSha256: string;
  stderr?: string;
  stderrBytes: number;
  stderrSha256: string;
}

function commandRunOf(file: string): CommandRun {
  const envelope = JSON.parse(readFileSync(file, 'utf8')) as { payload: string };
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: { attestations: { type: string; attestation: unknown }[] } };
  return statement.predicate.attestations.find((a) => a.type.includes('/command-run/'))?.attestation as CommandRun;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('command output capture', () => {
  it('cuts the recorded text at --max-output-bytes with a marker and records the whole stream', () => {
    const dir = tempDir();
    const result = runSync(['-s', 'build', '-k', key, '-o', 'att.json', '--max-output-bytes', '10', '--', 'sh', '-c', 'printf 0123456789abcdef; printf short >&2'], dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('0123456789abcdef');
    const body = commandRunOf(join(dir, 'att.json'));
    expect(body.stdout).toBe('0123456789\n[cilock: stdout truncated: recorded the first 10 of 16 bytes (--max-output-bytes); stdoutBytes and stdoutSha256 cover the whole stream]\n');
    expect(body).toMatchObject({ stdoutBytes: 16, stdoutSha256: sha256('0123456789abcdef'), stderr: 'short', stderrBytes: 5, stderrSha256: sha256('short') });
  });

  it('does not cut a multi-byte character in half', () => {
    const dir = tempDir();
    expect(runSync(['-s', 'build', '-k', key, '-o', 'att.json', '--max-output-bytes', '2', '--', 'printf', 'aé'], dir).status).toBe(0);
    expect(commandRunOf(join(dir, 'att.json')).stdout).toMatch(/^a\n\[cilock: stdout truncated: recorded the first 1 of 3 bytes/);
  });

  it('does not leak the start of a secret the cut falls inside', async () => {
    const env = { PATH: process.env.PATH ?? '', API_TOKEN: 'tok-1234567890' };
    const result = await runCommand(['sh', '-c', 'printf "0123456789 $API_TOKEN"'], { cwd: tempDir(), env, stdout: new CaptureSink(), stderr: new CaptureSink(), maxOutputBytes: 16 });
    const body = commandRunBody(result, { env, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS });
    expect(body.stdout).toMatch(/^0123456789 \n\[cilock: stdout truncated/);
    expect(body.stdoutBytes).toBe(25);
  });

  it('rejects a --max-output-bytes that is not a size', () => {
    const result = runSync(['-s', 'build', '-k', key, '--max-output-bytes', 'lots', '--', 'true'], tempDir());
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--max-output-bytes takes a size in bytes/);
  });

  const total = 450 * 1024 * 1024;
  const line = 'abcdefghijklmnopqrstuvwxyz0123456789\n';

  /** Runs cilock on a command printing 450 MB; returns its peak RSS, what the mirror passed and the body. */
  function run450(extraFlags: string[]): { peakBytes: number; mirrored: number; body: CommandRun } {
    const dir = tempDir();
    // `/usr/bin/time -v` reports cilock's peak RSS; `wc -c` counts what the live mirror passed through a pipe.
    const script = `/usr/bin/time -v -o time.txt ${process.execPath} ${MAIN} run -s build -k ${key} -o att.json ${extraFlags.join(' ')} -- sh -c 'yes ${line.trim()} | head -c ${total}' | wc -c > mirrored.txt`;
    execFileSync('sh', ['-c', script], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(join(dir, 'time.txt'), 'utf8'))?.[1]);
    return { peakBytes: peakKb * 1024, mirrored: Number(readFileSync(join(dir, 'mirrored.txt'), 'utf8').trim()), body: commandRunOf(join(dir, 'att.json')) };
  }

  function expectedDigest(): string {
    const hash = createHash('sha256');
    const block = Buffer.from(line.repeat(Math.floor((1024 * 1024) / line.length)));
    for (let left = total; left > 0; ) {
      const part = block.subarray(0, Math.min(block.length, left));
      hash.update(part);
      left -= part.length;
    }
    return hash.digest('hex');
  }

  it('streams 450 MB of stdout in bounded memory, mirrors every byte and records its length and digest', () => {
    const { peakBytes, mirrored, body } = run450(['--max-output-bytes', '1MiB']);
    expect(mirrored).toBe(total);
    expect(peakBytes).toBeGreaterThan(0);
    expect(peakBytes).toBeLessThan(160 * 1024 * 1024);
    expect(body.stdoutBytes).toBe(total);
    expect(body.stdoutSha256).toBe(expectedDigest());
    expect(body.stdout).toMatch(/\[cilock: stdout truncated: recorded the first 104\d+ of 471859200 bytes/);
  }, 60_000);

  it('keeps DEFAULT_MAX_OUTPUT_BYTES by default and stays far below the size of the output', () => {
    const { peakBytes, mirrored, body } = run450([]);
    expect(mirrored).toBe(total);
    expect(peakBytes).toBeLessThan(total / 2);
    expect(body.stdoutBytes).toBe(total);
    expect(body.stdout?.length).toBeLessThan(DEFAULT_MAX_OUTPUT_BYTES + 200);
    expect(body.stdout).toContain(`[cilock: stdout truncated: recorded the first ${DEFAULT_MAX_OUTPUT_BYTES} of 471859200 bytes`);
  }, 60_000);
});
