/**
 * command-run/v0.1: runs the wrapped command as cilock's direct child (no shell in between),
 * mirrors its stdout/stderr live while capturing them, and records `cmd`, `exitcode`, `stdout`
 * and `stderr`. Each stream is recorded up to `--max-output-bytes` (then cut, with a marker); its
 * full length and sha256 are always recorded (`stdoutBytes`, `stdoutSha256`, …). The recorded argv
 * and output pass through the redaction policy after the command has run, so the command itself
 * sees its arguments unchanged. The command runs without cilock's signing passphrase variables in
 * its environment.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { isatty } from 'node:tty';
import type { Readable } from 'node:stream';
import { RedactionPolicy } from '../redaction/policy.js';
import { childEnvironment } from '../redaction/sensitive-names.js';
import { DEFAULT_MAX_OUTPUT_BYTES, StreamCapture, truncationMarker, type CapturedStream, type StreamTotals } from './output-capture.js';
import { wallClockNs } from './snapshot.js';
import { CilockError } from '../util/errors.js';
import { letPendingSignalsRun } from '../util/signal-turn.js';
import type { AttestorImplementation, AttestorOutput, CommandResult, OutputSink, RunContext } from './types.js';
import { traceRecord, type ProcessInfo, type TraceRecord } from '../trace/process-info.js';
import { checkTracing, locateStrace, losesPrivilegesUnderTrace, readTrace, setuidMessage, straceArgv, traceDirectory } from '../trace/strace.js';
import { findExecutable } from '../files/which.js';

export interface CommandRunBody {
  cmd: string[];
  exitcode: number;
  stdout?: string;
  stderr?: string;
  /** Length in bytes of the whole stream, recorded text or not. */
  stdoutBytes: number;
  /** sha256 (hex) of the whole stream. */
  stdoutSha256: string;
  stderrBytes: number;
  stderrSha256: string;
  /** Traced runs only (`--trace`): every process of the command's tree. */
  processes?: ProcessInfo[];
}

export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The exit status of a process ended by `signal` (130 for SIGINT), as shells report it. */
export function signalExitCode(signal: string): number {
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? 0);
}

export interface RunCommandOptions {
  cwd: string;
  env: RunContext['env'];
  stdout: OutputSink;
  stderr: OutputSink;
  /** How much of each stream to keep for the record (default DEFAULT_MAX_OUTPUT_BYTES). */
  maxOutputBytes?: number;
  /** Called with the started child's pid. */
  onSpawn?: (pid: number) => void;
  /** The program named in messages, when argv[0] only wraps it (strace). */
  shownAs?: string;
}

/**
 * Spawns argv directly, tees output to the sinks, and resolves with what was captured.
 *
 * Signals: without a terminal on stdin (CI), the command gets its own process group, so a signal
 * sent to cilock's group reaches it only through cilock, which forwards each one exactly once to
 * the command's whole group (as a terminal would). With a terminal on stdin the command stays in
 * cilock's foreground group so it can read the terminal; Ctrl-C and hang-up already reach it
 * from the terminal and are not sent again, SIGTERM (sent to cilock alone) is forwarded.
 */
export function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  const [program, ...args] = argv;
  if (program === undefined) return Promise.reject(new CilockError('no command given'));
  const shown = options.shownAs ?? program;
  const ownGroup = !isatty(0);
  const limit = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: ['inherit', 'pipe', 'pipe'], detached: ownGroup });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const out = new StreamCapture(limit);
    const err = new StreamCapture(limit);
    let interruptedBy: NodeJS.Signals | undefined;
    const forward = (signal: NodeJS.Signals) => {
      interruptedBy ??= signal;
      if (!ownGroup && (signal === 'SIGINT' || signal === 'SIGHUP')) return;
      try {
        if (child.pid !== undefined) process.kill(ownGroup ? -child.pid : child.pid, signal);
      } catch {
        // Already gone: its exit is on the way.
      }
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const cleanup = () => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    };
    tee(child.stdout, out, options.stdout);
    tee(child.stderr, err, options.stderr);
    child.on('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      const reason = error.code === 'ENOENT' ? 'it was not found (check the name and PATH)' : error.code === 'EACCES' ? 'it is not executable' : error.message;
      reject(new CilockError(`cannot start command "${shown}": ${reason}`));
    });
    child.on('close', (code, signal) => {
      cleanup();
      if (interruptedBy !== undefined) {
        // A signal cilock received (and forwarded) ends the run unsigned, exiting 128+n as a shell would.
        reject(new CilockError(`interrupted by ${interruptedBy} while "${shown}" was running; no attestation was written`, signalExitCode(interruptedBy)));
        return;
      }
      const exitCode = code ?? (signal ? signalExitCode(signal) : 128);
      const stdout = out.finish();
      const stderr = err.finish();
      resolve({ argv, exitCode, ...(signal ? { signal } : {}), stdout: stdout.kept, stderr: stderr.kept, totals: { stdout: totals(stdout), stderr: totals(stderr) } });
    });
  });
}

/** Mirrors `stream` to `sink` while capturing it; pauses the command's output while the sink drains. */
function tee(stream: Readable, capture: StreamCapture, sink: OutputSink): void {
  stream.on('data', (chunk: Buffer) => {
    capture.add(chunk);
    if (sink.write(chunk) === false && sink.once) {
      stream.pause();
      sink.once('drain', () => stream.resume());
    }
  });
}

function totals({ bytes, sha256, truncated }: CapturedStream): StreamTotals {
  return { bytes, sha256, truncated };
}

/** The recorded body, with secret values redacted from argv and output. */
export function commandRunBody(result: CommandResult, context: Pick<RunContext, 'env' | 'sensitiveEnv'>, processes?: readonly ProcessInfo[]): CommandRunBody {
  const policy = RedactionPolicy.forRun(context);
  const body: CommandRunBody = {
    cmd: policy.redactArgv(result.argv),
    exitcode: result.exitCode,
    stdoutBytes: result.totals.stdout.bytes,
    stdoutSha256: result.totals.stdout.sha256,
    stderrBytes: result.totals.stderr.bytes,
    stderrSha256: result.totals.stderr.sha256,
  };
  const recorded = (text: Buffer, truncated: boolean) => (truncated ? policy.redactTruncated(text.toString('utf8')) : policy.redact(text.toString('utf8')));
  const stdout = recorded(result.stdout, result.totals.stdout.truncated);
  const stderr = recorded(result.stderr, result.totals.stderr.truncated);
  if (stdout !== '') body.stdout = result.totals.stdout.truncated ? stdout + truncationMarker('stdout', result.stdout.length, result.totals.stdout.bytes) : stdout;
  if (stderr !== '') body.stderr = result.totals.stderr.truncated ? stderr + truncationMarker('stderr', result.stderr.length, result.totals.stderr.bytes) : stderr;
  if (processes) body.processes = [...processes];
  return body;
}

/** Before anything runs: strace is there, ptrace works, and the command is not a program tracing would strip of setuid. */
async function preflightTrace(context: RunContext): Promise<void> {
  const strace = await locateStrace(context.env.PATH, context.workingDir);
  checkTracing(strace, childEnvironment(context.env) as NodeJS.ProcessEnv);
  const program = await findExecutable(context.argv[0] ?? '', context.env.PATH, context.workingDir);
  const how = program === undefined ? undefined : losesPrivilegesUnderTrace(program);
  if (program !== undefined && how) throw new CilockError(`${setuidMessage(program, how)}; run this command without --trace`);
}

/** Runs the command under strace and reads back what it did; the trace file is removed whatever happens. */
async function runTraced(context: RunContext, options: RunCommandOptions): Promise<{ result: CommandResult; record: TraceRecord }> {
  const strace = await locateStrace(context.env.PATH, context.workingDir);
  const { logFile, cleanup } = await traceDirectory();
  try {
    let straced = -1;
    const result = await runCommand(straceArgv(strace, logFile, context.argv), { ...options, onSpawn: (pid) => (straced = pid), shownAs: context.argv[0] ?? strace });
    const tree = await readTrace(logFile, context.workingDir, straced).catch((error: NodeJS.ErrnoException) => {
      throw new CilockError(`strace left no trace of the command (${error.code ?? error.message}); nothing was signed`);
    });
    if (tree.processes.length === 0) throw new CilockError('strace recorded no process of the command; nothing was signed');
    return { result: { ...result, argv: context.argv }, record: traceRecord(tree, context.hashes, RedactionPolicy.forRun(context)) };
  } finally {
    await cleanup();
  }
}

export const commandRunAttestor: AttestorImplementation = {
  name: 'command-run',
  async preflight(context): Promise<void> {
    if (context.trace) await preflightTrace(context);
  },
  async run(context): Promise<AttestorOutput> {
    // Hashing the materials is synchronous, so a signal that arrived meanwhile is still queued:
    // it must stop cilock before the command starts, not after.
    await letPendingSignalsRun();
    const startNs = wallClockNs();
    context.onCommand?.('started');
    const options: RunCommandOptions = {
      cwd: context.workingDir,
      env: childEnvironment(context.env),
      stdout: context.commandStdout,
      stderr: context.commandStderr,
      ...(context.maxOutputBytes !== undefined ? { maxOutputBytes: context.maxOutputBytes } : {}),
    };
    const { result, record } = context.trace ? await runTraced(context, options) : { result: await runCommand(context.argv, options), record: undefined };
    context.onCommand?.('ended');
    const exit = result.signal ? `exit ${result.exitCode} (killed by ${result.signal})` : `exit ${result.exitCode}`;
    const detail = record ? `${exit}, traced ${record.processes.length} process(es)` : exit;
    return {
      body: commandRunBody(result, context, record?.processes),
      detail,
      ...(record?.warnings.length ? { warnings: record.warnings } : {}),
      produces: { command: { result, startNs, ...(record ? { traced: record } : {}) } },
    };
  },
};
