/**
 * The run summary: a human version on stderr, and with --json the same facts as one JSON object
 * on stdout (keys follow upstream's `cilock run --json` where they overlap).
 */
import type { DsseEnvelope } from '../attestation/dsse.js';
import type { DigestSet } from '../attestation/statement.js';
import type { AttestorStatus } from '../attestors/lifecycle.js';

export interface RunSummary {
  step: string;
  working_dir: string;
  /** keyid of the signing key. */
  signer: string;
  signer_algorithm: string;
  uploaded: false;
  /** The outfile path, or "-" for stdout (absent in --json mode without an outfile: see `envelope`). */
  outfile?: string;
  written: boolean;
  subjects: { name: string; digests: DigestSet }[];
  /** `warnings`: what the attestor left out and why (e.g. entries the tree walk skipped). */
  attestors: { name: string; status: AttestorStatus; detail?: string; warnings?: string[] }[];
  /** args are recorded as in command-run: secret values redacted. */
  wrapped_command: { args: string[]; exit_code: number };
  detection?: string[];
  /** Traced runs (`--trace`): the tracer and how much it saw. */
  tracing?: { tracer: 'strace'; processes: number; execs: number };
  /** In --json mode without --outfile the envelope travels inside the summary. */
  envelope?: DsseEnvelope;
  /** Why the run failed, when it did. */
  error?: string;
}

function shortDigest(digest: DigestSet): string {
  return Object.entries(digest)
    .map(([alg, value]) => `${alg}:${value}`)
    .join(' ');
}

export function formatHumanSummary(summary: RunSummary): string {
  const lines = ['cilock run summary:'];
  const row = (label: string, value: string) => lines.push(`  ${`${label}:`.padEnd(14)}${value}`);
  row('step', summary.step);
  row('workingdir', summary.working_dir);
  row('signer', `${summary.signer} (${summary.signer_algorithm})`);
  row('archivista', 'upload disabled (not built into this cilock yet)');
  const where = summary.outfile === undefined || summary.outfile === '-' ? (summary.envelope ? 'in the --json summary' : 'stdout') : summary.outfile;
  row('outfile', summary.written ? where : `not written${summary.error ? ` (${summary.error})` : ''}`);
  lines.push(`  subjects (${summary.subjects.length}):`);
  for (const subject of summary.subjects) lines.push(`    ${subject.name}  ${shortDigest(subject.digests)}`);
  for (const attestor of summary.attestors) row('attestor', `${attestor.name} — ${attestor.status}${attestor.detail ? ` (${attestor.detail})` : ''}`);
  for (const attestor of summary.attestors) for (const warning of attestor.warnings ?? []) row('warning', `${attestor.name}: ${warning}`);
  row('command exit', String(summary.wrapped_command.exit_code));
  if (summary.tracing) row('tracing', `${summary.tracing.tracer}: ${summary.tracing.processes} process(es), ${summary.tracing.execs} exec(s)`);
  return `${lines.join('\n')}\n`;
}
