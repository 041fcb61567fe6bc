/**
 * `cilock run` flags: their commander definitions and the checks that turn raw flag values into
 * validated `RunOptions`. Every problem here is a usage error (exit 2) that says how to fix it.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CilockError } from '../util/errors.js';
import { parseHashes, type HashName } from '../files/digest.js';
import { DEFAULT_MAX_OUTPUT_BYTES } from '../attestors/output-capture.js';
import type { SensitiveEnvOptions } from '../attestors/sensitive-env.js';

export interface RunOptions {
  /** `-s/--step`; undefined means "infer from the command". */
  readonly step?: string;
  readonly keyPath?: string;
  readonly passphrase?: string;
  readonly outfile?: string;
  /** `--outfile-overwrite-material`: the outfile may replace a file the run records as a material. */
  readonly outfileOverwriteMaterial: boolean;
  /** `--max-output-bytes`: how much of each of the command's streams is recorded. */
  readonly maxOutputBytes: number;
  /** `-a/--attestations`; undefined when the flag was not given (detection decides). */
  readonly attestations?: readonly string[];
  readonly workingDir?: string;
  readonly hashes: readonly HashName[];
  readonly ignoreCommandExitCode: boolean;
  readonly sensitiveEnv: SensitiveEnvOptions;
  readonly json: boolean;
  readonly sarifReport?: string;
  /** `-r/--trace`: run the command under strace and record its process tree. */
  readonly trace: boolean;
  readonly argv: readonly string[];
}

/** Raw values as commander hands them over. */
export interface RawRunFlags {
  step?: string;
  signerFileKeyPath?: string;
  signerFileKeyPassphrase?: string;
  signerFileKeyPassphrasePath?: string;
  outfile?: string;
  outfileOverwriteMaterial?: boolean;
  maxOutputBytes?: string;
  attestations?: string[];
  workingdir?: string;
  hashes?: string[];
  ignoreCommandExitCode?: boolean;
  enableArchivista?: boolean | string;
  envFilterSensitiveVars?: boolean;
  envAddSensitiveKey?: string[];
  envAllowSensitiveKey?: string[];
  json?: boolean;
  attestorSarifReport?: string;
  trace?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Adds the run flags to `command`. Lists are comma separated and repeatable. */
export function defineRunFlags(command: Command): Command {
  return command
    .option('-s, --step <name>', 'step name recorded in the collection; policies match it exactly (inferred from the command when absent)')
    .option('-k, --signer-file-key-path <path>', 'private key (PEM: PKCS#8, PKCS#1, SEC1 or encrypted PKCS#8) used to sign the envelope')
    .option('--signer-file-key-passphrase <passphrase>', 'passphrase of an encrypted key (or set AFLOCK_KEY_PASSPHRASE)')
    .option('--signer-file-key-passphrase-path <path>', 'file whose first line is the key passphrase')
    .option('-o, --outfile <path>', 'where to write the signed envelope: a regular file or a new path (written atomically); when absent the envelope is the only thing on stdout and the command\'s own stdout goes to stderr')
    .option('--outfile-overwrite-material', 'let --outfile replace a file that was in --workingdir before the run (one of its materials)', false)
    .option('--max-output-bytes <size>', `record at most this much of each of the command's stdout and stderr (bytes, or with KiB/MiB/GiB); past it the text is cut with a marker, while the full length and sha256 are always recorded and the live output is not cut (default: ${formatSize(DEFAULT_MAX_OUTPUT_BYTES)})`)
    .option('-a, --attestations <list>', 'extra attestors: environment, git, sarif (comma list, repeatable); command-run, material and product always run; without -a the catalog detection decides', collect)
    .option('-d, --workingdir <dir>', 'directory the command runs in and whose files are materials/products (default: current directory)')
    .option('--hashes <list>', 'file digests to record: sha256 (always), sha1, gitoid:sha256, gitoid:sha1 (comma list, repeatable)', collect)
    .option('--ignore-command-exit-code', 'exit 0 even when the wrapped command fails (its exit code is still recorded)', false)
    .option('--enable-archivista [bool]', 'upload the envelope to Archivista (not available yet; only false is accepted)', false)
    .option('--env-filter-sensitive-vars', 'drop sensitive environment variables instead of recording them as ******', false)
    .option('--env-add-sensitive-key <key>', 'treat this environment key (or glob with *) as sensitive (repeatable, comma list)', collect)
    .option('--env-allow-sensitive-key <key>', 'record this exact, case-sensitive environment key even if it looks sensitive (repeatable, comma list)', collect)
    .option('--json', 'print a machine-readable summary on stdout (the command\'s own stdout then goes to stderr)', false)
    .option('--attestor-sarif-report <path>', 'the SARIF product the sarif attestor should embed (relative to --workingdir)')
    .option('-r, --trace', 'run the command under strace (Linux) and record every process it started: program and digest, cmdline, the files each read and wrote with digests; needs strace and ptrace', false);
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 };

function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** `10485760`, `10MiB`, `512 KiB`, `1g` → bytes. */
export function parseSize(value: string, flag: string): number {
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(value);
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  const bytes = match && unit !== undefined ? Number(match[1]) * unit : Number.NaN;
  if (!Number.isSafeInteger(bytes)) throw new CilockError(`${flag} takes a size in bytes, optionally with KiB, MiB or GiB (e.g. ${flag} 10MiB), got "${value}"`, 2);
  return bytes;
}

function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(',')).map((item) => item.trim()).filter((item) => item !== '');
}

function parseBoolean(value: boolean | string | undefined, flag: string): boolean {
  if (value === undefined || typeof value === 'boolean') return value ?? false;
  const lower = value.toLowerCase();
  if (['true', '1', 'yes'].includes(lower)) return true;
  if (['false', '0', 'no'].includes(lower)) return false;
  throw new CilockError(`${flag} takes true or false, got "${value}"; write ${flag}=false, and put the command after --`, 2);
}

export function readPassphraseFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? '';
  } catch (error) {
    throw new CilockError(`cannot read --signer-file-key-passphrase-path ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; check the path and its permissions`, 2);
  }
}

/** Validates raw flags; `env` supplies AFLOCK_KEY_PASSPHRASE / WITNESS_KEY_PASSPHRASE. */
export function parseRunFlags(raw: RawRunFlags, argv: readonly string[], env: Readonly<Record<string, string | undefined>>): RunOptions {
  if (argv.length === 0 || argv[0] === '') throw new CilockError('no command given: put the command to wrap after --, e.g. cilock run -s build -k key.pem -- make', 2);
  if (parseBoolean(raw.enableArchivista, '--enable-archivista')) {
    throw new CilockError('--enable-archivista=true needs an Archivista server, and uploading is not built into this cilock yet; drop the flag (or pass --enable-archivista=false) and store the --outfile envelope yourself', 2);
  }
  if (raw.step !== undefined && raw.step.trim() === '') throw new CilockError('--step is empty; pass the step name your policy expects, e.g. -s build', 2);
  if (raw.signerFileKeyPassphrase !== undefined && raw.signerFileKeyPassphrasePath !== undefined) {
    throw new CilockError('--signer-file-key-passphrase and --signer-file-key-passphrase-path were both given; pass only one', 2);
  }
  const hashes: HashName[] = parseHashes(raw.hashes ?? []);
  const passphrase =
    raw.signerFileKeyPassphrase ??
    (raw.signerFileKeyPassphrasePath !== undefined ? readPassphraseFile(raw.signerFileKeyPassphrasePath) : undefined) ??
    env.AFLOCK_KEY_PASSPHRASE ??
    env.WITNESS_KEY_PASSPHRASE;
  if (raw.outfile !== undefined && raw.outfile.trim() === '') throw new CilockError('--outfile is empty; pass a file path, or leave the flag out to print the envelope on stdout', 2);
  return {
    step: raw.step,
    keyPath: raw.signerFileKeyPath,
    passphrase,
    outfile: raw.outfile,
    outfileOverwriteMaterial: raw.outfileOverwriteMaterial ?? false,
    maxOutputBytes: raw.maxOutputBytes === undefined ? DEFAULT_MAX_OUTPUT_BYTES : parseSize(raw.maxOutputBytes, '--max-output-bytes'),
    attestations: raw.attestations === undefined ? undefined : splitList(raw.attestations),
    workingDir: raw.workingdir,
    hashes,
    ignoreCommandExitCode: raw.ignoreCommandExitCode ?? false,
    sensitiveEnv: {
      filter: raw.envFilterSensitiveVars ?? false,
      addKeys: splitList(raw.envAddSensitiveKey),
      allowKeys: splitList(raw.envAllowSensitiveKey),
    },
    json: raw.json ?? false,
    sarifReport: raw.attestorSarifReport,
    trace: raw.trace ?? false,
    argv,
  };
}
