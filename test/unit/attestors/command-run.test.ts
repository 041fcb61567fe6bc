import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { commandRunBody, runCommand } from '../../../src/attestors/command-run.js';
import { CilockError } from '../../../src/util/errors.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../../src/attestors/sensitive-env.js';
import { CaptureSink } from '../run/support.js';

describe('command-run', () => {
  it('runs argv directly, mirrors and captures output, and records a non-zero exit', async () => {
    const out = new CaptureSink();
    const err = new CaptureSink();
    const result = await runCommand(['sh', '-c', 'echo to-out; echo to-err >&2; exit 3'], { cwd: process.cwd(), env: process.env, stdout: out, stderr: err });
    expect(result.exitCode).toBe(3);
    expect(out.text()).toBe('to-out\n');
    expect(err.text()).toBe('to-err\n');
    const body = commandRunBody(result, { env: {}, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS });
    expect(body).toEqual({
      cmd: ['sh', '-c', 'echo to-out; echo to-err >&2; exit 3'],
      exitcode: 3,
      stdout: 'to-out\n',
      stderr: 'to-err\n',
      stdoutBytes: 7,
      stdoutSha256: createHash('sha256').update('to-out\n').digest('hex'),
      stderrBytes: 7,
      stderrSha256: createHash('sha256').update('to-err\n').digest('hex'),
    });
  });

  it('passes arguments through without a shell', async () => {
    const out = new CaptureSink();
    await runCommand(['printf', '%s|', 'a b', '$HOME', '*'], { cwd: process.cwd(), env: process.env, stdout: out, stderr: new CaptureSink() });
    expect(out.text()).toBe('a b|$HOME|*|');
  });

  it('redacts secret values from output and argv, keeps exit code 0 and omits empty streams', async () => {
    const env = { ...process.env, API_TOKEN: 'tok-1234567890', MY_CUSTOM: 'custom-secret-9' };
    const result = await runCommand(['sh', '-c', 'echo "$API_TOKEN $MY_CUSTOM"', 'tok-1234567890'], { cwd: process.cwd(), env, stdout: new CaptureSink(), stderr: new CaptureSink() });
    const body = commandRunBody(result, { env, sensitiveEnv: { filter: false, addKeys: ['MY_CUSTOM'], allowKeys: [] } });
    expect(body.stdout).toBe('[REDACTED] [REDACTED]\n');
    expect(body.cmd).toEqual(['sh', '-c', 'echo "$API_TOKEN $MY_CUSTOM"', '[REDACTED]']);
    expect(body.exitcode).toBe(0);
    expect(body).not.toHaveProperty('stderr');
  });

  it('names a command that cannot start', async () => {
    await expect(runCommand(['cilock-no-such-program'], { cwd: process.cwd(), env: process.env, stdout: new CaptureSink(), stderr: new CaptureSink() })).rejects.toThrow(CilockError);
    await expect(runCommand(['cilock-no-such-program'], { cwd: process.cwd(), env: process.env, stdout: new CaptureSink(), stderr: new CaptureSink() })).rejects.toThrow(/cannot start command "cilock-no-such-program": it was not found/);
  });
});
