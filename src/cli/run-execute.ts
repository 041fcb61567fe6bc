/**
 * `cilock run` from validated options to a signed, written envelope:
 * preflight (everything that can be checked before the command runs) → attestors phase by phase
 * → collection → statement → DSSE signature → atomic write → summary.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildCollection, type CompletedAttestation } from '../attestation/collection.js';
import { INTOTO_PAYLOAD_TYPE, signEnvelope, type DsseEnvelope } from '../attestation/dsse.js';
import { compareStrings, goJson } from '../attestation/json.js';
import { loadSigningKey, type SigningKey } from '../attestation/keys.js';
import { buildStatement, COLLECTION_PREDICATE_TYPE, statementBytes, type DigestSet } from '../attestation/statement.js';
import type { CommandRunBody } from '../attestors/command-run.js';
import { preflightAttestors, runAttestors, type AttestorReport } from '../attestors/lifecycle.js';
import { resolveAttestors } from '../attestors/registry.js';
import type { Attestor, OutputSink, Produced, RunContext } from '../attestors/types.js';
import { findExecutable } from '../files/which.js';
import type { PlanInput } from '../detection/plan.js';
import { CilockError } from '../util/errors.js';
import { chooseAttestors, detect, type Detection } from './run-detect.js';
import { runPostGate } from './run-post-gate.js';
import type { RunOptions } from './run-options.js';
import { checkOutfile, outfileTarget, writeFileAtomically } from './run-output.js';
import { stopOnSignal, type RunPhase } from './run-signals.js';
import { letPendingSignalsRun } from '../util/signal-turn.js';
import { formatHumanSummary, type RunSummary } from './run-summary.js';

export interface RunIo {
  readonly stdout: OutputSink;
  readonly stderr: OutputSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Replaces catalog detection (tests inject a plan through this). */
  readonly detect?: (input: PlanInput) => Promise<Detection>;
  /**
   * Given (by the CLI), a signal outside the command's run calls it to report and end the process
   * at once with 128+n (see run-signals.ts); without it, signals are left to the caller.
   */
  readonly stop?: (message: string, exitCode: number) => void;
}

export interface RunOutcome {
  readonly summary: RunSummary;
  readonly envelope?: DsseEnvelope;
}

const KEYGEN_HINT = 'create one with: openssl genpkey -algorithm ed25519 -out key.pem';

async function resolveWorkingDir(options: RunOptions, io: RunIo): Promise<string> {
  const dir = resolve(io.cwd, options.workingDir ?? '.');
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CilockError(`--workingdir ${options.workingDir ?? dir} ${info ? 'is not a directory' : 'does not exist'}; pass an existing directory`, 2);
  }
  return dir;
}

async function loadKey(options: RunOptions, io: RunIo): Promise<SigningKey> {
  if (options.keyPath === undefined) {
    throw new CilockError(`no signing key: pass -k/--signer-file-key-path <key.pem> (${KEYGEN_HINT})`, 2);
  }
  const path = resolve(io.cwd, options.keyPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CilockError(`cannot read key file ${options.keyPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; check -k/--signer-file-key-path (${KEYGEN_HINT})`, 1);
  }
  return loadSigningKey(text, options.keyPath, options.passphrase);
}

function note(io: RunIo, message: string): void {
  io.stderr.write(Buffer.from(`cilock: ${message}\n`));
}

/** Runs everything up to the signed envelope; throws CilockError for usage problems and preflight failures. */
export async function executeRun(options: RunOptions, io: RunIo): Promise<RunOutcome> {
  let now: RunPhase = 'before the command ran';
  const release = io.stop ? stopOnSignal(() => now, io.stop) : undefined;
  try {
    return await execute(options, io, (phase) => (now = phase));
  } finally {
    release?.();
  }
}

async function execute(options: RunOptions, io: RunIo, entering: (phase: RunPhase) => void): Promise<RunOutcome> {
  // Preflight: nothing below runs the command, so every failure leaves the tree and outfile untouched.
  const workingDir = await resolveWorkingDir(options, io);
  const outfile = options.outfile === undefined ? undefined : outfileTarget(io.cwd, options.outfile);
  if (outfile !== undefined) await checkOutfile(outfile, { workingDir, overwriteMaterial: options.outfileOverwriteMaterial });

  const { detection, step, names } = await stepAndAttestors(options, io, workingDir);
  const attestors = resolveAttestors(names);
  const key = await loadKey(options, io);
  const program = options.argv[0] as string;
  await checkProgram(program, io, workingDir);

  // stdout carries one thing: the envelope (no -o) or the --json summary; the command's own stdout then goes to stderr.
  const stdoutIsOurs = options.json || outfile === undefined;
  const sinks = { commandStdout: stdoutIsOurs ? io.stderr : io.stdout, commandStderr: io.stderr };
  const context: RunContext = {
    workingDir,
    hashes: options.hashes,
    maxOutputBytes: options.maxOutputBytes,
    env: io.env,
    argv: options.argv,
    sensitiveEnv: options.sensitiveEnv,
    ...(options.sarifReport !== undefined ? { sarifReport: options.sarifReport } : {}),
    ...(options.trace ? { trace: true } : {}),
    ...sinks,
    onCommand: (state) => entering(state === 'started' ? 'while the command ran' : 'while hashing products'),
  };
  const preflightProblems = await preflightAttestors(attestors, context);
  if (preflightProblems.length > 0) throw new CilockError(preflightProblems.join('; '), 1);

  const { reports, produced, postNotes } = await runPhases(attestors, names, context, options, io);

  const exitCode = produced.command?.result.exitCode ?? 0;
  const { collection, subjects } = buildCollection(step, completedAttestations(reports));
  const summary = buildSummary({ step, workingDir, key, reports, subjects, exitCode, argv: options.argv, detection, postNotes });
  if (outfile !== undefined) summary.outfile = options.outfile;
  else if (!options.json) summary.outfile = '-';
  const traced = produced.command?.traced;
  if (traced) summary.tracing = { tracer: 'strace', processes: traced.processes.length, execs: traced.execs.length };

  // An envelope silently missing an attestor that failed would mislead whoever verifies it, so none is written.
  const failed = reports.filter((report) => report.status === 'failed');
  if (failed.length > 0) {
    summary.error = failed.map((report) => `attestor ${report.attestor.name} failed: ${report.detail}`).join('; ');
    emitSummary(summary, options, io);
    throw new CilockError(`${summary.error}; no attestation was written`, 1);
  }

  const statement = buildStatement(subjects, COLLECTION_PREDICATE_TYPE, collection);
  const envelope = signEnvelope(statementBytes(statement), INTOTO_PAYLOAD_TYPE, key);
  const envelopeJson = goJson(envelope);
  // Product hashing is synchronous: a signal that came in during it is handled as such, before writing.
  await letPendingSignalsRun();
  entering('while writing the attestation');
  if (outfile !== undefined) {
    await writeFileAtomically(outfile, envelopeJson);
  } else if (options.json) {
    summary.envelope = envelope;
  } else {
    io.stdout.write(Buffer.from(`${envelopeJson}\n`));
  }
  summary.written = true;
  emitSummary(summary, options, io);

  failOnOutcome(program, exitCode, produced.command?.result.signal, reports, options);
  return { summary, envelope };
}

/** Detection (unless -a and -s say it all), the step, and the attestors to attach; each choice is noted on stderr. */
async function stepAndAttestors(options: RunOptions, io: RunIo, workingDir: string): Promise<{ detection: Detection | undefined; step: string; names: string[] }> {
  let detection: Detection | undefined;
  const detectionDecides = options.attestations === undefined || options.step === undefined;
  // Without --trace, detection also runs to say whether the catalog recommends tracing this command.
  if (detectionDecides || !options.trace) {
    const found = await (io.detect ?? detect)({ argv: [...options.argv], env: { ...io.env }, cwd: workingDir });
    if (detectionDecides) {
      detection = found;
      for (const line of found.notes) note(io, line);
    }
    if (!options.trace && found.traceAdvice) note(io, found.traceAdvice);
  }
  const step = options.step ?? detection?.step;
  if (step === undefined) {
    throw new CilockError(`--step is required: could not infer a step from "${options.argv.join(' ')}"; pass -s/--step <name> (the step name your policy expects)`, 2);
  }
  if (options.step === undefined) note(io, `inferred --step=${step} from the command; pass --step to override`);
  const chosen = chooseAttestors(options.attestations, detection);
  if (chosen.note) note(io, chosen.note);
  if (options.sarifReport !== undefined && !chosen.names.includes('sarif')) {
    chosen.names.push('sarif');
    note(io, '--attestor-sarif-report given: attaching sarif');
  }
  return { detection, step, names: chosen.names };
}

async function checkProgram(program: string, io: RunIo, workingDir: string): Promise<void> {
  if ((await findExecutable(program, io.env.PATH, workingDir)) !== undefined) return;
  const where = program.includes('/') ? `${resolve(workingDir, program)} does not exist or is not executable` : 'it is not on PATH';
  throw new CilockError(`cannot start command "${program}": ${where}; install it or fix the command after --`, 1);
}

/** Every phase; the postproduct phase runs apart so that post-gate detection can add to it what the trace saw. */
async function runPhases(attestors: readonly Attestor[], names: readonly string[], context: RunContext, options: RunOptions, io: RunIo): Promise<{ reports: AttestorReport[]; produced: Produced; postNotes: string[] }> {
  const early = await runAttestors(attestors.filter((attestor) => attestor.phase !== 'postproduct'), context);
  const post = await runPostGate(context, early.produced, names, options.attestations !== undefined);
  for (const line of post.notes) note(io, line);
  const lateAttestors = resolveAttestors([...names, ...post.attach]).filter((attestor) => attestor.phase === 'postproduct');
  const late = await runAttestors(lateAttestors, context, early.produced);
  return { reports: [...early.reports, ...late.reports], produced: late.produced, postNotes: post.notes };
}

/** After the envelope is written: a failed command or a skipped attestor still fails the run, saying why. */
function failOnOutcome(program: string, exitCode: number, killedBy: string | undefined, reports: readonly AttestorReport[], options: RunOptions): void {
  const problems: string[] = [];
  if (exitCode !== 0 && !options.ignoreCommandExitCode) {
    const how = killedBy ? `was killed by ${killedBy} (exit ${exitCode})` : `exited ${exitCode}`;
    problems.push(`the wrapped command "${program}" ${how}; the signed attestation records that exit code (pass --ignore-command-exit-code to make cilock exit 0 in this case)`);
  }
  // An attached attestor with nothing to attest (sarif after a failed command that wrote no report)
  // leaves the envelope without it; say so and fail, so a missing report is not discovered at verify time.
  for (const report of reports.filter((r) => r.status === 'skipped')) {
    problems.push(`attestor ${report.attestor.name} was skipped: ${report.detail}; the attestation was written without it`);
  }
  // A command ended by signal n makes cilock exit 128+n, as a shell would report it.
  if (problems.length > 0) throw new CilockError(problems.join('; '), killedBy && !options.ignoreCommandExitCode ? exitCode : 1);
}

/** Attestors that ran, as collection entries (reports are already in collection order). */
function completedAttestations(reports: readonly AttestorReport[]): CompletedAttestation[] {
  return reports
    .filter((report) => report.status === 'ran' && report.output)
    .map((report) => ({
      type: report.attestor.type,
      body: report.output?.body,
      starttime: report.starttime,
      endtime: report.endtime,
      ...(report.output?.subjects ? { subjects: report.output.subjects } : {}),
      ...(report.output?.backrefs ? { backrefs: report.output.backrefs } : {}),
    }));
}

function buildSummary(facts: {
  step: string;
  workingDir: string;
  key: SigningKey;
  reports: readonly AttestorReport[];
  subjects: Record<string, DigestSet>;
  exitCode: number;
  argv: readonly string[];
  detection: Detection | undefined;
  postNotes: readonly string[];
}): RunSummary {
  // The argv as recorded by command-run, i.e. with secret values redacted.
  const commandBody = facts.reports.find((report) => report.attestor.name === 'command-run')?.output?.body as CommandRunBody | undefined;
  return {
    step: facts.step,
    working_dir: facts.workingDir,
    signer: facts.key.keyid,
    signer_algorithm: facts.key.algorithm,
    uploaded: false,
    written: false,
    subjects: Object.keys(facts.subjects)
      .sort(compareStrings)
      .map((name) => ({ name, digests: facts.subjects[name] as DigestSet })),
    attestors: facts.reports.map((report) => ({
      name: report.attestor.name,
      status: report.status,
      ...(report.detail ? { detail: report.detail } : {}),
      ...(report.output?.warnings?.length ? { warnings: [...report.output.warnings] } : {}),
    })),
    wrapped_command: { args: commandBody?.cmd ?? [...facts.argv], exit_code: facts.exitCode },
    ...(facts.detection || facts.postNotes.length > 0 ? { detection: [...(facts.detection?.notes ?? []), ...facts.postNotes] } : {}),
  };
}

function emitSummary(summary: RunSummary, options: RunOptions, io: RunIo): void {
  io.stderr.write(Buffer.from(formatHumanSummary(summary)));
  if (options.json) io.stdout.write(Buffer.from(`${JSON.stringify(summary)}\n`));
}
