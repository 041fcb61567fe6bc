/**
 * `cilock run --trace` end to end with the built CLI and the real strace: the process tree with
 * program digests and opened files, redacted cmdlines, no trace file left behind, and the clear
 * refusals (strace missing, ptrace refused, a setuid program) that run nothing and sign nothing.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/files/digest.js';
import type { ProcessInfo } from '../../../src/trace/process-info.js';
import { needsTool, requireTool } from '../../lib/system.js';
import { repoRoot } from '../cli/cli-helpers.js';
import { cleanupTempDirs, generateKey, tempDir } from '../run/support.js';

const MAIN = path.join(repoRoot, 'dist/cli/main.js');
needsTool('strace');
afterAll(cleanupTempDirs);

function cilockRun(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [MAIN, 'run', ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function commandRun(outfile: string): { cmd: string[]; processes?: ProcessInfo[] } {
  const envelope = JSON.parse(readFileSync(outfile, 'utf8')) as { payload: string };
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: { attestations: { type: string; attestation: unknown }[] } };
  const entry = statement.predicate.attestations.find((a) => a.type.includes('command-run'));
  return entry?.attestation as { cmd: string[]; processes?: ProcessInfo[] };
}

function workspace() {
  const dir = tempDir('cilock-trace-');
  const key = generateKey(dir, 'ed25519', 'signing').privatePath;
  const work = path.join(dir, 'work');
  const tmp = path.join(dir, 'tmp');
  mkdirSync(work);
  mkdirSync(tmp);
  return { dir, key, work, tmp, outfile: path.join(dir, 'att.json') };
}

describe('cilock run --trace', () => {
  it('records sh and cat, cat with its real program digest and in.txt among its opened files', () => {
    const ws = workspace();
    writeFileSync(path.join(ws.work, 'in.txt'), 'traced input\n');
    const r = cilockRun(['--trace', '-s', 'build', '-k', ws.key, '-o', ws.outfile, '--', 'sh', '-c', 'cat in.txt > out.txt'], ws.work, { TMPDIR: ws.tmp });
    expect(r.stderr).toContain('traced 2 process(es)');
    expect(r.status).toBe(0);
    const processes = commandRun(ws.outfile).processes ?? [];
    const [sh, cat] = processes;
    expect(sh?.comm).toBe('sh');
    expect(sh?.cmdline).toBe('sh -c cat in.txt > out.txt');
    expect(cat?.comm).toBe('cat');
    expect(cat?.parentpid).toBe(sh?.processid);
    const catPath = realpathSync(requireTool('cat'));
    expect(cat?.programdigest?.sha256).toBe(sha256Hex(readFileSync(catPath)));
    expect(cat?.exedigest).toEqual(cat?.programdigest);
    const input = path.join(realpathSync(ws.work), 'in.txt');
    expect(cat?.openedfiles?.[input]?.sha256).toBe(sha256Hex('traced input\n'));
    expect(sh?.writtenDigests?.[path.join(realpathSync(ws.work), 'out.txt')]?.sha256).toBe(sha256Hex('traced input\n'));
    // The trace file lived in a private temporary directory and is gone.
    expect(readdirSync(ws.tmp)).toEqual([]);
  });

  it('redacts secrets from traced cmdlines as from cmd', () => {
    const ws = workspace();
    const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const r = cilockRun(['--trace', '-s', 'build', '-k', ws.key, '-o', ws.outfile, '--', 'sh', '-c', `sh -c 'true ${secret}'`], ws.work, { GITHUB_TOKEN: secret });
    expect(r.status).toBe(0);
    const body = commandRun(ws.outfile);
    expect(JSON.stringify(body)).not.toContain(secret);
    expect(body.processes?.[1]?.cmdline).toBe('sh -c true [REDACTED]');
  });

  it('fails before running anything when strace is not on PATH, saying how to install it', () => {
    const ws = workspace();
    const bin = path.join(ws.dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['sh', 'touch']) copyFileSync(requireTool(tool), path.join(bin, tool));
    for (const tool of ['sh', 'touch']) chmodSync(path.join(bin, tool), 0o755);
    const r = cilockRun(['--trace', '-s', 'build', '-k', ws.key, '-o', ws.outfile, '--', 'sh', '-c', 'touch ran'], ws.work, { PATH: bin });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--trace needs strace, which is not on PATH');
    expect(r.stderr).toContain('apt-get install -y strace');
    expect(existsSync(path.join(ws.work, 'ran'))).toBe(false);
    expect(existsSync(ws.outfile)).toBe(false);
  });

  it('fails before running anything when ptrace is refused, naming the container setting', () => {
    const ws = workspace();
    const bin = path.join(ws.dir, 'bin');
    mkdirSync(bin);
    // What strace prints in a container without CAP_SYS_PTRACE.
    writeFileSync(path.join(bin, 'strace'), '#!/bin/sh\necho "strace: test_ptrace_get_syscall_info: PTRACE_TRACEME: Operation not permitted" >&2\nexit 1\n', { mode: 0o755 });
    const r = cilockRun(['--trace', '-s', 'build', '-k', ws.key, '-o', ws.outfile, '--', 'sh', '-c', 'touch ran'], ws.work, { PATH: `${bin}:${process.env.PATH ?? ''}` });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ptrace is not permitted here');
    expect(r.stderr).toContain('--cap-add=SYS_PTRACE');
    expect(existsSync(path.join(ws.work, 'ran'))).toBe(false);
    expect(existsSync(ws.outfile)).toBe(false);
  });

  it('fails before running the command when there is no writable place for the trace', () => {
    const ws = workspace();
    const r = cilockRun(['--trace', '-s', 'build', '-k', ws.key, '-o', ws.outfile, '--', 'sh', '-c', 'touch ran'], ws.work, { TMPDIR: path.join(ws.dir, 'missing') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot create a private directory for the trace in ${path.join(ws.dir, 'missing')} (ENOENT); set TMPDIR to a writable directory`);
    expect(existsSync(path.join(ws.work, 'ran'))).toBe(false);
    expect(existsSync(ws.outfile)).toBe(false);
  });

  it('signs nothing when strace ran the command but left no trace', () => {
    const ws = workspace();
    const bin = path.join(ws.dir, 'bin');
    mkdirSync(bin);
    // Passes the trial trace, then runs the command without writing the -o file.
    writeFileSync(path.join(bin, 'strace'), '#!/bin/sh\nfor a; do last=$a; done\n[ "$last" = -V ] && exit 0\nwhile [ "$1" != "--" ]; do shift; done\nshift\nexec "$@"\n', { mode: 0o755 });
    const r = cilockRun(['--trace', '-s', 'build', '-k', ws.key, '-o', ws.outfile, '--', 'sh', '-c', 'touch ran'], ws.work, { PATH: `${bin}:${process.env.PATH ?? ''}` });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('strace left no trace of the command (ENOENT); nothing was signed');
    expect(existsSync(path.join(ws.work, 'ran'))).toBe(true);
    expect(existsSync(ws.outfile)).toBe(false);
  });

  it('refuses a setuid command (tracing would run it without its privileges) and warns about a setuid child', () => {
    const ws = workspace();
    const program = path.join(ws.work, 'elevated');
    copyFileSync(requireTool('true'), program);
    // As root, a program setuid to another user shows the loss; as anyone else, one setuid to root does.
    if (process.getuid?.() === 0) chownSync(program, 65534, 65534);
    else throw new Error('this test needs root to make a program setuid to another user');
    chmodSync(program, 0o4755);
    const refused = cilockRun(['--trace', '-s', 'build', '-k', ws.key, '-o', ws.outfile, '--', './elevated'], ws.work);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('is setuid (owner uid 65534): under tracing the kernel runs it without those privileges');
    expect(existsSync(ws.outfile)).toBe(false);

    const child = cilockRun(['--trace', '-s', 'build', '-k', ws.key, '-o', ws.outfile, '--', 'sh', '-c', './elevated'], ws.work);
    expect(child.status).toBe(0);
    expect(child.stderr).toContain('elevated is setuid (owner uid 65534)');
  });

  describe('post-gate detection', () => {
    function scanWorkspace() {
      const ws = workspace();
      mkdirSync(path.join(ws.work, 'src'));
      writeFileSync(path.join(ws.work, 'src/copy.c'), '#include <string.h>\nvoid f(char *d, const char *s) { strcpy(d, s); }\n');
      // The wrapped command line names no scanner: only the trace shows flawfinder.
      writeFileSync(path.join(ws.work, 'scan.sh'), '#!/bin/sh\nflawfinder --sarif src/ > flawfinder.sarif\n', { mode: 0o755 });
      return ws;
    }
    const types = (outfile: string) => {
      const envelope = JSON.parse(readFileSync(outfile, 'utf8')) as { payload: string };
      return (JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: { attestations: { type: string }[] } }).predicate.attestations.map((a) => a.type.split('/').at(-2));
    };

    it('detects a scanner started by a script and attaches its sarif attestor without -a', () => {
      requireTool('flawfinder');
      const ws = scanWorkspace();
      const r = cilockRun(['--trace', '-s', 'scan', '-k', ws.key, '-o', ws.outfile, '--json', '--', './scan.sh'], ws.work);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/post-gate detection \(2 exec\(s\) traced\) fired: flawfinder \(exec_observed\[1\]:argv_prefix:flawfinder\)/);
      expect(r.stderr).toContain('post-gate detection: attaching sarif');
      expect(types(ws.outfile)).toEqual(['environment', 'material', 'command-run', 'product', 'sarif']);
      // A #! script: the program is the script, the exe its interpreter.
      const flawfinder = commandRun(ws.outfile).processes?.find((p) => p.comm === 'flawfinder');
      const interpreter = readFileSync(requireTool('flawfinder'), 'latin1').split('\n')[0]?.replace(/^#!\s*/, '').split(/\s+/)[0] as string;
      expect(flawfinder?.exedigest?.sha256).toBe(sha256Hex(readFileSync(interpreter)));
      expect(flawfinder?.programdigest?.sha256).toBe(sha256Hex(readFileSync(requireTool('flawfinder'))));
      const summary = JSON.parse(r.stdout) as { detection: string[]; attestors: { name: string; status: string }[]; tracing: unknown };
      expect(summary.tracing).toEqual({ tracer: 'strace', processes: 2, execs: 2 });
      expect(summary.detection.some((line) => line.startsWith('post-gate detection'))).toBe(true);
      expect(summary.attestors.find((a) => a.name === 'sarif')?.status).toBe('ran');
    });

    it('with -a given reports the fire and leaves the attestor set as given', () => {
      requireTool('flawfinder');
      const ws = scanWorkspace();
      const r = cilockRun(['--trace', '-s', 'scan', '-a', 'environment', '-k', ws.key, '-o', ws.outfile, '--', './scan.sh'], ws.work);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('post-gate detection suggests sarif, not attached because -a was given');
      expect(types(ws.outfile)).toEqual(['environment', 'material', 'command-run', 'product']);
    });

    it('does not run without --trace (nothing was observed)', () => {
      requireTool('flawfinder');
      const ws = scanWorkspace();
      const r = cilockRun(['-s', 'scan', '-k', ws.key, '-o', ws.outfile, '--', './scan.sh'], ws.work);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('post-gate');
      expect(types(ws.outfile)).not.toContain('sarif');
    });
  });
});
