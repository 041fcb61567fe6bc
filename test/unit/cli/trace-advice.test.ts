/**
 * The catalog's recommended_trace drives the CLI: `plan` shows a runnable `cilock run --trace …`
 * line (text and JSON) when a fired entry recommends a light or full trace, and `run` without
 * --trace says so once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, generateKey, tempDir } from '../run/support.js';
import { cilock } from './cli-helpers.js';

afterAll(cleanupTempDirs);

describe('plan suggests tracing', () => {
  it('prints "to run (with tracing)" with the runnable line for npm ci', () => {
    const r = cilock(['plan', '--', 'npm', 'ci']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  to run: cilock run -s dependency-resolve --signer-file-key-path <key.pem> -- npm ci\n');
    expect(r.stdout).toContain('  to run (with tracing): cilock run --trace -s dependency-resolve --signer-file-key-path <key.pem> -- npm ci\n');
    expect(r.stdout).toContain('tracing recommended by npm-install (light)');
  });

  it('gives the traced line in JSON next to the recommendation', () => {
    const r = cilock(['plan', '--format', 'json', '--', 'npm', 'ci']);
    const json = JSON.parse(r.stdout) as { suggested_run: { traced_command?: string }; trace_recommendation: { mode: string } };
    expect(json.trace_recommendation.mode).toBe('light');
    expect(json.suggested_run.traced_command).toBe('cilock run --trace -s dependency-resolve --signer-file-key-path <key.pem> -- npm ci');
  });

  it('suggests no tracing when no fired entry recommends it', () => {
    const text = cilock(['plan', '--', 'kubescape', 'scan', 'framework', 'nsa', 'm/']);
    expect(text.stdout).not.toContain('with tracing');
    const json = JSON.parse(cilock(['plan', '--format', 'json', '--', 'kubescape', 'scan', 'framework', 'nsa', 'm/']).stdout) as { suggested_run: Record<string, unknown> };
    expect(json.suggested_run).not.toHaveProperty('traced_command');
  });
});

describe('run says once that tracing is recommended', () => {
  function setup() {
    const dir = tempDir('cilock-advice-');
    const key = generateKey(dir, 'ed25519', 'signing').privatePath;
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    // A stand-in npm: the advice depends on the command line only.
    writeFileSync(path.join(bin, 'npm'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const work = path.join(dir, 'work');
    mkdirSync(work);
    return { key, work, env: { PATH: `${bin}:${process.env.PATH ?? ''}` }, outfile: path.join(dir, 'att.json') };
  }
  const advice = 'tracing is recommended for this command by npm-install (light): rerun with --trace';
  const count = (text: string) => text.split(advice).length - 1;

  it('with detection deciding, and with -s and -a given', () => {
    const s = setup();
    const detected = cilock(['run', '-k', s.key, '-o', s.outfile, '--', 'npm', 'ci'], { cwd: s.work, env: s.env });
    expect(detected.status).toBe(0);
    expect(count(detected.stderr)).toBe(1);
    const explicit = cilock(['run', '-s', 'deps', '-a', 'environment', '-k', s.key, '-o', s.outfile, '--', 'npm', 'ci'], { cwd: s.work, env: s.env });
    expect(explicit.status).toBe(0);
    expect(count(explicit.stderr)).toBe(1);
    expect(explicit.stderr).not.toContain('detection fired');
  });

  it('not when the run is traced', () => {
    const s = setup();
    const traced = cilock(['run', '--trace', '-k', s.key, '-o', s.outfile, '--', 'npm', 'ci'], { cwd: s.work, env: s.env });
    expect(traced.status).toBe(0);
    expect(count(traced.stderr)).toBe(0);
  });
});
