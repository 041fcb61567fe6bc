/** Runs `cilock run` in-process (flag parsing + execution) with captured output. */
import { executeRun, type RunOutcome } from '../../../src/cli/run-execute.js';
import { parseRunFlags, type RawRunFlags } from '../../../src/cli/run-options.js';
import type { Detection } from '../../../src/cli/run-detect.js';
import { CilockError } from '../../../src/util/errors.js';
import { CaptureSink } from './support.js';

export interface RunResult {
  readonly outcome?: RunOutcome;
  readonly error?: CilockError;
  readonly stdout: string;
  readonly stderr: string;
}

export const NO_DETECTION = async (): Promise<Detection> => ({ attestors: [], notes: ['detection fired: nothing'] });

export async function runCilock(
  cwd: string,
  flags: RawRunFlags,
  argv: string[],
  options: { env?: Record<string, string | undefined>; detect?: () => Promise<Detection> } = {},
): Promise<RunResult> {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const env = options.env ?? { ...process.env };
  try {
    const parsed = parseRunFlags(flags, argv, env);
    const outcome = await executeRun(parsed, { stdout, stderr, env, cwd, detect: options.detect ?? NO_DETECTION });
    return { outcome, stdout: stdout.text(), stderr: stderr.text() };
  } catch (error) {
    if (error instanceof CilockError) return { error, stdout: stdout.text(), stderr: stderr.text() };
    throw error;
  }
}
