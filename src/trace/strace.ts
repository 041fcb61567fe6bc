/**
 * Tracing a command with strace: the command line cilock wraps the command in, the checks run
 * before anything executes (strace present, ptrace allowed, no setuid program that tracing would
 * strip of its privileges), and reading the trace file back into a process tree.
 *
 * strace runs with `-f` (follow every child) and `--seccomp-bpf`, so only the listed calls stop
 * the tracee; everything else runs at full speed. `-y` prints the path behind every descriptor,
 * which gives each open its real absolute path. The trace goes to a file in a private (0700)
 * temporary directory, never to the command's own output.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CilockError } from '../util/errors.js';
import { findExecutable } from '../files/which.js';
import { ProcessTreeBuilder, type ProcessTree } from './process-tree.js';

/** The calls traced: process creation and exec, opens, directory changes, renames, deletes, mode changes. */
export const TRACED_SYSCALLS = [
  'execve', 'execveat', 'clone', '?clone3', '?fork', '?vfork',
  '?open', 'openat', '?openat2', '?creat',
  'chdir', 'fchdir',
  '?rename', '?renameat', '?renameat2', '?unlink', 'unlinkat', '?rmdir',
  '?chmod', 'fchmod', 'fchmodat',
] as const;

/** strace's `-s`: long enough that argv elements and paths are not cut in practice. */
const MAX_STRING = 65_536;

export const STRACE_INSTALL_HINT = 'install strace (Debian/Ubuntu: sudo apt-get install -y strace; Fedora: sudo dnf install strace; Alpine: apk add strace), or run without --trace';

/** The usual reasons a container refuses ptrace, and what to change. */
export const PTRACE_HINT =
  'ptrace is not permitted here. In Docker or Podman, run the container with --cap-add=SYS_PTRACE (and, with an older Docker, --security-opt seccomp=unconfined); on Kubernetes add SYS_PTRACE to the container securityContext capabilities; on a host with Yama, /proc/sys/kernel/yama/ptrace_scope must be 0 or 1 (3 forbids ptrace entirely). Or run without --trace';


/** The argv that runs `argv` under strace, writing the trace to `logFile`. */
export function straceArgv(strace: string, logFile: string, argv: readonly string[]): string[] {
  return [strace, '-f', '--seccomp-bpf', '-q', '-y', '-s', String(MAX_STRING), '-e', `trace=${TRACED_SYSCALLS.join(',')}`, '-o', logFile, '--', ...argv];
}

/** strace's path, or an error that says how to install it. */
export async function locateStrace(pathEnv: string | undefined, cwd: string): Promise<string> {
  const found = await findExecutable('strace', pathEnv, cwd);
  if (found === undefined) throw new CilockError(`--trace needs strace, which is not on PATH; ${STRACE_INSTALL_HINT}`);
  return found;
}

/**
 * Traces a harmless program (strace's own `-V`) with the run's exact flags, so a refused ptrace
 * or an unusable strace is reported before the command runs instead of after half a run.
 */
export function checkTracing(strace: string, env: NodeJS.ProcessEnv): void {
  const probe = spawnSync(strace, straceArgv(strace, '/dev/null', [strace, '-V']).slice(1), { env, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'ignore', 'pipe'] });
  if (probe.error) throw new CilockError(`cannot start strace (${strace}): ${probe.error.message}; ${STRACE_INSTALL_HINT}`);
  if (probe.status === 0) return;
  const said = (probe.stderr ?? '').trim().split('\n').slice(-3).join(' / ');
  if (/Operation not permitted|EPERM|PTRACE_TRACEME|ptrace/i.test(said)) throw new CilockError(`strace cannot trace here (${said}); ${PTRACE_HINT}`);
  throw new CilockError(`strace failed a trial trace (exit ${probe.status ?? probe.signal}: ${said || 'no message'}); check that ${strace} is a working strace 5.3 or newer (--seccomp-bpf), or run without --trace`);
}

/** Whether running `file` under ptrace loses privileges it would otherwise gain (setuid/setgid to someone else). */
export function losesPrivilegesUnderTrace(file: string): string | undefined {
  let info;
  try {
    info = statSync(file);
  } catch {
    return undefined;
  }
  const uid = process.geteuid?.() ?? -1;
  const gid = process.getegid?.() ?? -1;
  if ((info.mode & 0o4000) !== 0 && info.uid !== uid) return `setuid (owner uid ${info.uid})`;
  if ((info.mode & 0o2000) !== 0 && (info.mode & 0o010) !== 0 && info.gid !== gid) return `setgid (group gid ${info.gid})`;
  return undefined;
}

/** The kernel ignores setuid/setgid bits of a program exec'd under ptrace; say so where it matters. */
export function setuidMessage(program: string, how: string): string {
  return `${program} is ${how}: under tracing the kernel runs it without those privileges (ptrace ignores setuid and setgid bits), so it would not behave as it does untraced`;
}

/** A private directory for the trace file; `cleanup` removes it whatever happened. */
export async function traceDirectory(): Promise<{ logFile: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cilock-trace-')).catch((error: NodeJS.ErrnoException) => {
    throw new CilockError(`cannot create a private directory for the trace in ${tmpdir()} (${error.code ?? error.message}); set TMPDIR to a writable directory`);
  });
  return { logFile: path.join(dir, 'trace.log'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Reads a trace file line by line (a long build's trace can be large) into its process tree. */
export async function readTrace(logFile: string, rootCwd: string, rootParent: number): Promise<ProcessTree> {
  const builder = new ProcessTreeBuilder(rootCwd, rootParent);
  const lines = createInterface({ input: createReadStream(logFile, { encoding: 'latin1' }), crlfDelay: Infinity });
  for await (const line of lines) builder.add(line);
  return builder.finish();
}
