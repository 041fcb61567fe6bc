/**
 * Provisioning on a fresh machine, simulated: a PATH holding only the programs a test puts there,
 * an injected uid, and a recorder instead of apt-get.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decide, provision, type ProvisionOptions } from '../../../src/scripts/provision.js';
import { installHint, optedOutGroups, SYSTEM_TOOLS, TEST_GROUPS } from '../../../src/scripts/system-tools.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A PATH directory holding exactly these (do-nothing) programs. */
function pathWith(...programs: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-provision-'));
  dirs.push(dir);
  for (const p of programs) addProgram(dir, p);
  return dir;
}

function addProgram(dir: string, program: string): void {
  writeFileSync(path.join(dir, program), '#!/bin/sh\nexit 0\n');
  chmodSync(path.join(dir, program), 0o755);
}

const ALL = SYSTEM_TOOLS.map((t) => t.command);

function options(env: Record<string, string>, uid: number, run: ProvisionOptions['run'] = () => 0, dryRun = false) {
  const log: string[] = [];
  return { opts: { env, uid, dryRun, run, log: (l: string) => log.push(l) }, log };
}

describe('provisioning for npm test', () => {
  it('as root on a fresh Debian: one apt-get update, then one install of every missing package', () => {
    const dir = pathWith('apt-get', 'git');
    const ran: string[][] = [];
    // The recorder "installs" what apt-get was asked for, so the re-check after it passes.
    const run = (argv: string[]) => {
      ran.push(argv);
      if (argv[1] === 'install') for (const t of SYSTEM_TOOLS) if (argv.includes(t.debianPackage)) addProgram(dir, t.command);
      return 0;
    };
    const { opts, log } = options({ PATH: dir }, 0, run);
    expect(provision('test', opts)).toBe(0);
    expect(ran).toEqual([
      ['apt-get', 'update', '-qq'],
      ['apt-get', 'install', '-y', '-qq', 'openssl', 'jq', 'kubernetes-client', 'flawfinder', 'strace', 'curl', 'time', 'procps', 'bsdutils', 'chromium'],
    ]);
    expect(log[0]).toContain('chromium (the browser tests of the built site)');
  });

  it('not as root: installs nothing and prints the exact command to run', () => {
    const ran: string[][] = [];
    const { opts, log } = options({ PATH: pathWith('apt-get', 'git', 'openssl', 'jq', 'kubectl', 'strace', 'curl', 'time', 'pgrep', 'script') }, 1000, (argv) => (ran.push(argv), 0));
    expect(provision('test', opts)).toBe(1);
    expect(ran).toEqual([]);
    expect(log.join('\n')).toContain('Not running as root, so nothing was installed. Run:\n  sudo apt-get update && sudo apt-get install -y flawfinder chromium\nthen npm test again.');
  });

  it('never installs kubernetes-client over an existing kubectl, and honours KUBECTL / CILOCK_CHROMIUM', () => {
    const elsewhere = pathWith('kubectl', 'chromium');
    const env = { PATH: pathWith('apt-get', ...ALL.filter((c) => c !== 'kubectl' && c !== 'chromium')), KUBECTL: path.join(elsewhere, 'kubectl'), CILOCK_CHROMIUM: path.join(elsewhere, 'chromium') };
    expect(decide('test', env, 0)).toEqual({ action: 'none' });
    expect(decide('test', { ...env, KUBECTL: '/nonexistent/kubectl' }, 0)).toMatchObject({ action: 'install', commands: [expect.anything(), ['apt-get', 'install', '-y', '-qq', 'kubernetes-client']] });
  });

  it('leaves out the tools of an opted-out group, and rejects an unknown group', () => {
    const env = { PATH: pathWith('apt-get', ...ALL.filter((c) => c !== 'chromium')) };
    expect(decide('test', env, 0).action).toBe('install');
    expect(decide('test', { ...env, CILOCK_TEST_SKIP: 'browser' }, 0)).toEqual({ action: 'none' });
    expect(() => optedOutGroups({ CILOCK_TEST_SKIP: 'browsers' })).toThrow('CILOCK_TEST_SKIP names unknown test group(s) browsers; known: browser, cluster');
  });

  it('fails when apt-get fails or the program is still missing afterwards', () => {
    const env = { PATH: pathWith('apt-get', ...ALL.filter((c) => c !== 'jq')) };
    const failing = options(env, 0, (argv) => (argv[1] === 'install' ? 100 : 0));
    expect(provision('test', failing.opts)).toBe(1);
    expect(failing.log.at(-1)).toBe('provision: `apt-get install -y -qq jq` failed (exit 100); fix that and run npm test again');
    const noop = options(env, 0);
    expect(provision('test', noop.opts)).toBe(1);
    expect(noop.log.at(-1)).toBe('provision: still missing after apt-get install: jq');
  });

  it('npm start needs only what the main job runs (no browser, no flawfinder)', () => {
    const env = { PATH: pathWith('apt-get', 'git') };
    expect(decide('start', env, 0)).toMatchObject({ commands: [expect.anything(), ['apt-get', 'install', '-y', '-qq', 'openssl', 'jq', 'kubernetes-client']] });
  });

  it('a missing program names its package and how to get it', () => {
    expect(installHint('chromium')).toBe(
      'npm test installs it when run as root, or run: sudo apt-get update && sudo apt-get install -y chromium; or point CILOCK_CHROMIUM at a chromium binary; or leave these tests out with CILOCK_TEST_SKIP=browser (needed for the browser tests of the built site)',
    );
  });
});

describe('provision.ts as a command', () => {
  const script = path.resolve(import.meta.dirname, '../../../src/scripts/provision.ts');
  const tsx = path.resolve(import.meta.dirname, '../../../node_modules/tsx/dist/cli.mjs');
  const node = (dir: string) => symlinkSync(process.execPath, path.join(dir, 'node'));

  it('--dry-run on a machine without apt-get lists every missing program and exits 1', () => {
    const dir = pathWith();
    node(dir);
    const r = spawnSync(process.execPath, [tsx, script, 'test', '--dry-run'], { env: { PATH: dir }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`npm test needs ${ALL.length} program(s) that are not installed:\n  git (Debian package git)`);
    expect(r.stderr).toContain('  kubectl (Debian package kubernetes-client): ');
    expect(r.stderr).toContain('There is no apt-get here');
  });

  it('says nothing and exits 0 when everything is there', () => {
    const dir = pathWith(...ALL);
    node(dir);
    const r = spawnSync(process.execPath, [tsx, script, 'start'], { env: { PATH: dir }, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
  });
});

describe('README set-up section', () => {
  const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');

  it('lists every system program with its package and who needs it, and every opt-out group', () => {
    for (const t of SYSTEM_TOOLS) expect(readme).toContain(`| \`${t.command}\` | \`${t.debianPackage}\` | ${t.neededBy.join(', ')} | ${t.why}`);
    for (const [group, what] of Object.entries(TEST_GROUPS)) expect(readme).toContain(`| \`${group}\` | ${what} |`);
  });
});
