/**
 * Runs attestors phase by phase. Attestors of one phase run concurrently; reports come back in
 * the order the attestors were given (the fixed collection order), not completion order. What
 * an attestor produces (materials, the command's result, products) is collected and handed to
 * the attestors of later phases.
 *
 * What a failure does depends on the phase (`ON_FAILURE`): before the command runs it stops
 * everything (nothing is executed, nothing signed); the command's own start failure or
 * interruption ends the run as it is; after the command, a failing attestor is reported as
 * `failed` and left out of the collection, and one that had nothing to do is `skipped`.
 */
import { nowRfc3339 } from '../attestation/time.js';
import { ATTESTOR_DECLARATIONS } from '../catalog/attestor-declarations.js';
import { CilockError } from '../util/errors.js';
import { PHASES, AttestorSkipped, type Attestor, type AttestorOutput, type Phase, type Produced, type RunContext } from './types.js';

export type AttestorStatus = 'ran' | 'skipped' | 'failed';

export interface AttestorReport {
  readonly attestor: Attestor;
  readonly status: AttestorStatus;
  readonly detail?: string;
  readonly starttime: string;
  readonly endtime: string;
  readonly output?: AttestorOutput;
}

export interface LifecycleResult {
  readonly reports: AttestorReport[];
  /** Everything produced so far, the given `produced` included. */
  readonly produced: Produced;
}

/** `stop`: end the run before the command (nothing run, nothing signed); `rethrow`: end the run with the attestor's own error; `record`: report it as failed. */
const ON_FAILURE: Record<Phase, 'stop' | 'rethrow' | 'record'> = { prematerial: 'stop', material: 'stop', execute: 'rethrow', product: 'record', postproduct: 'record' };

interface Outcome {
  report: AttestorReport;
  error?: unknown;
}

async function runOne(attestor: Attestor, context: RunContext, produced: Produced): Promise<Outcome> {
  const starttime = nowRfc3339();
  try {
    const output = await attestor.run(context, produced);
    return { report: { attestor, status: 'ran', detail: output.detail, starttime, endtime: nowRfc3339(), output } };
  } catch (error) {
    const status: AttestorStatus = error instanceof AttestorSkipped ? 'skipped' : 'failed';
    return { report: { attestor, status, detail: (error as Error).message, starttime, endtime: nowRfc3339() }, error };
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

/** Adds what a report produced, refusing kinds its declaration does not name (a second source would be ambiguous). */
function collect(produced: Produced, report: AttestorReport): Produced {
  const given = report.output?.produces ?? {};
  const declared: readonly string[] = ATTESTOR_DECLARATIONS[report.attestor.name].produces;
  for (const kind of Object.keys(given)) {
    if (!declared.includes(kind)) throw new Error(`attestor ${report.attestor.name} produced ${kind}, which its declaration does not name`);
  }
  return { ...produced, ...given };
}

export async function runAttestors(attestors: readonly Attestor[], context: RunContext, given: Produced = {}): Promise<LifecycleResult> {
  const reports = new Map<Attestor, AttestorReport>();
  let produced = given;
  for (const phase of PHASES) {
    const inPhase = attestors.filter((attestor) => attestor.phase === phase);
    const outcomes = await Promise.all(inPhase.map((attestor) => runOne(attestor, context, produced)));
    const failed = outcomes.filter((outcome) => outcome.report.status === 'failed');
    if (failed.length > 0 && ON_FAILURE[phase] === 'rethrow') throw failed[0]!.error;
    if (failed.length > 0 && ON_FAILURE[phase] === 'stop') {
      throw new CilockError(`${failed.map(({ report }) => `attestor ${report.attestor.name} failed: ${report.detail}`).join('; ')}; the command was not run and nothing was signed`);
    }
    for (const { report } of outcomes) {
      reports.set(report.attestor, report);
      produced = collect(produced, report);
    }
  }
  return { reports: attestors.map((attestor) => reports.get(attestor)).filter((report): report is AttestorReport => report !== undefined), produced };
}
