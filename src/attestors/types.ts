/**
 * What every attestor implements, and the state one `cilock run` shares between them.
 */
import type { DigestSet } from '../attestation/statement.js';
import type { AttestorName, ProducedKind } from '../catalog/attestor-declarations.js';
import type { HashName } from '../files/digest.js';
import type { SensitiveEnvOptions } from '../redaction/sensitive-names.js';
import type { WalkedFile } from './file-walk.js';
import type { StreamTotals } from './output-capture.js';
import type { TraceRecord } from '../trace/process-info.js';
import { CilockError } from '../util/errors.js';

/** Lifecycle phases, run in this order. */
export const PHASES = ['prematerial', 'material', 'execute', 'product', 'postproduct'] as const;
export type Phase = (typeof PHASES)[number];

export interface AttestorOutput {
  readonly body: unknown;
  /** Subject names without the type prefix (e.g. `tree:products`). */
  readonly subjects?: Record<string, DigestSet>;
  readonly backrefs?: Record<string, DigestSet>;
  /** A short note for the run summary (e.g. which SARIF file was chosen). */
  readonly detail?: string;
  /** What the attestor left out and why, one line each; the run prints them on stderr and in the --json summary. */
  readonly warnings?: readonly string[];
  /** What it hands on to later phases (only the kinds its declaration names). */
  readonly produces?: Produced;
}

/** What attestors hand on to later phases, by kind; the lifecycle collects it and passes it on. */
export interface ProducedValues {
  /** material: path → digest and stat before the command ran, and when that walk started (ns since epoch). */
  readonly materials: { readonly files: ReadonlyMap<string, SnapshotFile>; readonly walkStartNs: bigint };
  /** command-run: what the command did, when it started (ns since epoch) and, traced, what the trace saw. */
  readonly command: { readonly result: CommandResult; readonly startNs: bigint; readonly traced?: TraceRecord };
  /** product: files this run created or changed. */
  readonly products: ReadonlyMap<string, ProductFile>;
}
export type Produced = { readonly [K in ProducedKind]?: ProducedValues[K] };

/** Thrown by an attestor that had nothing to attest; it is reported as `skipped`, not `failed`. */
export class AttestorSkipped extends CilockError {
  constructor(message: string) {
    super(message);
    this.name = 'AttestorSkipped';
  }
}

/** What an attestor module implements; its type and phase come from its declaration (src/catalog/attestor-declarations.ts). */
export interface AttestorImplementation {
  readonly name: AttestorName;
  /** Cheap checks run before anything executes; throw with a message that says how to fix it. */
  preflight?(context: RunContext): Promise<void>;
  run(context: RunContext, produced: Produced): Promise<AttestorOutput>;
}

/** An implementation with its declared facts: what the lifecycle runs. */
export interface Attestor extends AttestorImplementation {
  /** Predicate type URI written into the collection. */
  readonly type: string;
  readonly phase: Phase;
}

export interface SnapshotFile {
  readonly digest: DigestSet;
  readonly stat: WalkedFile['stat'];
}

export interface ProductFile {
  /** Path in the leaf-path encoding (see src/files/path-encoding.ts). */
  readonly path: string;
  /** What to open: raw bytes from the walk, or a plain string. */
  readonly absolutePath: string | Buffer;
  readonly digest: DigestSet;
}

export interface CommandResult {
  readonly argv: readonly string[];
  readonly exitCode: number;
  readonly signal?: string;
  /** What was kept of each stream for the record: its first `--max-output-bytes` bytes. */
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  /** Each whole stream's length and digest, and whether `stdout`/`stderr` above hold less than all of it. */
  readonly totals: { readonly stdout: StreamTotals; readonly stderr: StreamTotals };
}

/**
 * Where the wrapped command's output is mirrored while it runs. A sink that can fall behind
 * (a pipe) returns false from `write` and emits `drain`; the command's output is paused meanwhile.
 */
export interface OutputSink {
  write(chunk: Uint8Array): boolean | void;
  once?(event: 'drain', listener: () => void): unknown;
}

export interface RunContext {
  readonly workingDir: string;
  readonly hashes: readonly HashName[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly argv: readonly string[];
  readonly sensitiveEnv: SensitiveEnvOptions;
  /** `--attestor-sarif-report`, relative to the working directory or absolute. */
  readonly sarifReport?: string;
  /** `--max-output-bytes`: how much of each output stream command-run records (default in output-capture.ts). */
  readonly maxOutputBytes?: number;
  /** `-r/--trace`: run the command under strace and record its process tree. */
  readonly trace?: boolean;
  readonly commandStdout: OutputSink;
  readonly commandStderr: OutputSink;
  /** Told when the wrapped command starts and when it has ended (signal handling depends on it). */
  readonly onCommand?: (state: 'started' | 'ended') => void;
}
