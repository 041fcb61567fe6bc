/**
 * Runs attestors phase by phase. Attestors of one phase run concurrently; reports come back in
 * the order the attestors were given (the fixed collection order), not completion order.
 *
 * Failures before the command runs (prematerial, material) stop everything: nothing is executed
 * and nothing is signed. After the command, a failing attestor is reported as `failed` and left
 * out of the collection; one that had nothing to do is `skipped`.
 */
import { nowRfc3339 } from '../attestation/time.js';
import { PHASES, AttestorSkipped, type Attestor, type AttestorOutput, type RunContext } from './types.js';

export type AttestorStatus = 'ran' | 'skipped' | 'failed';

export interface AttestorReport {
  readonly attestor: Attestor;
  readonly status: AttestorStatus;
  readonly detail?: string;
  readonly starttime: string;
  readonly endtime: string;
  readonly output?: AttestorOutput;
}

/** Raised when an attestor failed before the command ran. */
export class PreCommandError extends Error {}

const BEFORE_COMMAND = new Set(['prematerial', 'material']);

async function runOne(attestor: Attestor, context: RunContext): Promise<AttestorReport> {
  const starttime = nowRfc3339();
  try {
    const output = await attestor.run(context);
    return { attestor, status: 'ran', detail: output.detail, starttime, endtime: nowRfc3339(), output };
  } catch (error) {
    const status: AttestorStatus = error instanceof AttestorSkipped ? 'skipped' : 'failed';
    return { attestor, status, detail: (error as Error).message, starttime, endtime: nowRfc3339() };
  }
}

/** Runs every attestor's preflight check; all problems are reported together. */
export async function preflightAttestors(attestors: readonly Attestor[], context: RunContext): Promise<string[]> {
  const problems: string[] = [];
  for (const attestor of attestors) {
    if (!attestor.preflight) continue;
    try {
      await attestor.preflight(context);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

export async function runAttestors(attestors: readonly Attestor[], context: RunContext): Promise<AttestorReport[]> {
  const reports = new Map<Attestor, AttestorReport>();
  for (const phase of PHASES) {
    const inPhase = attestors.filter((attestor) => attestor.phase === phase);
    if (phase === 'execute') {
      // The command's own start failure or interruption aborts the run instead of being recorded.
      for (const attestor of inPhase) {
        const starttime = nowRfc3339();
        const output = await attestor.run(context);
        reports.set(attestor, { attestor, status: 'ran', detail: output.detail, starttime, endtime: nowRfc3339(), output });
      }
      continue;
    }
    const results = await Promise.all(inPhase.map((attestor) => runOne(attestor, context)));
    for (const report of results) reports.set(report.attestor, report);
    const failed = results.filter((report) => report.status === 'failed');
    if (BEFORE_COMMAND.has(phase) && failed.length > 0) {
      throw new PreCommandError(failed.map((report) => `attestor ${report.attestor.name} failed: ${report.detail}`).join('; '));
    }
  }
  return attestors.map((attestor) => reports.get(attestor)).filter((report): report is AttestorReport => report !== undefined);
}
