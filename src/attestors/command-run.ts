/**
 * command-run/v0.1: runs the wrapped command as cilock's direct child (no shell in between),
 * mirrors its stdout/stderr live while capturing them, and records `cmd`, `exitcode`, `stdout`
 * and `stderr`. The recorded argv and output pass through the redaction policy after the command
 * has run, so the command itself sees its arguments unchanged. The command runs without cilock's
 * signing passphrase variables in its environment.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { RedactionPolicy } from '../redaction/policy.js';
import { childEnvironment } from '../redaction/sensitive-names.js';
import { wallClockNs } from './snapshot.js';
import type { Attestor, AttestorOutput, CommandResult, OutputSink, RunContext } from './types.js';

export const COMMAND_RUN_TYPE = 'https://aflock.ai/attestations/command-run/v0.1';

export interface CommandRunBody {
  cmd: string[];
  exitcode: number;
  stdout?: string;
  stderr?: string;
}

/** The command could not be started at all (not found, not executable). */
export class CommandStartError extends Error {}

/** A signal forwarded to the child interrupted the run; nothing should be signed. */
export class CommandInterruptedError extends Error {}

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Spawns argv directly, tees output to the sinks, and resolves with everything captured. */
export function runCommand(argv: readonly string[], options: { cwd: string; env: RunContext['env']; stdout: OutputSink; stderr: OutputSink }): Promise<CommandResult> {
  const [program, ...args] = argv;
  if (program === undefined) return Promise.reject(new CommandStartError('no command given'));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: ['inherit', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let interruptedBy: string | undefined;
    const forward = (signal: NodeJS.Signals) => {
      interruptedBy = signal;
      child.kill(signal);
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const cleanup = () => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      options.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      options.stderr.write(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      const reason = error.code === 'ENOENT' ? 'it was not found (check the name and PATH)' : error.code === 'EACCES' ? 'it is not executable' : error.message;
      reject(new CommandStartError(`cannot start command "${program}": ${reason}`));
    });
    child.on('close', (code, signal) => {
      cleanup();
      if (interruptedBy !== undefined) {
        reject(new CommandInterruptedError(`interrupted by ${interruptedBy} while "${program}" was running; no attestation was written`));
        return;
      }
      const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      resolve({ argv, exitCode, ...(signal ? { signal } : {}), stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    });
  });
}

/** The recorded body, with secret values redacted from argv and output. */
export function commandRunBody(result: CommandResult, context: Pick<RunContext, 'env' | 'sensitiveEnv'>): CommandRunBody {
  const policy = RedactionPolicy.forRun(context);
  const body: CommandRunBody = { cmd: policy.redactArgv(result.argv), exitcode: result.exitCode };
  const stdout = policy.redact(result.stdout.toString('utf8'));
  const stderr = policy.redact(result.stderr.toString('utf8'));
  if (stdout !== '') body.stdout = stdout;
  if (stderr !== '') body.stderr = stderr;
  return body;
}

export const commandRunAttestor: Attestor = {
  name: 'command-run',
  type: COMMAND_RUN_TYPE,
  phase: 'execute',
  async run(context): Promise<AttestorOutput> {
    context.commandStartNs = wallClockNs();
    const result = await runCommand(context.argv, { cwd: context.workingDir, env: childEnvironment(context.env), stdout: context.commandStdout, stderr: context.commandStderr });
    context.command = result;
    const detail = result.signal ? `exit ${result.exitCode} (killed by ${result.signal})` : `exit ${result.exitCode}`;
    return { body: commandRunBody(result, context), detail };
  },
};
