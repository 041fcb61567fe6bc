// Records a scan for the Kubescape stand-in. Run from the repository root:
//
//   npx tsx test/stand-ins/kubescape/record.ts --name <name> <manifest paths…>
//
// See test/stand-ins/kubescape/README.md.

import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { sameInputs } from './keying.mjs';
import { captureRecording, PINNED_KUBESCAPE_BIN } from './capture.js';
import { buildRecording, displayPath, type EvaluatedResult, type LoadedFile } from './recorder.js';
import {
  BUILTIN_RECORDINGS_DIR,
  buildSarif,
  goJSON,
  loadRecordings,
  resolveFrameworks,
  type Recording,
  type SarifEntry,
  uriBaseFor,
} from './standin.mjs';

const USAGE = `Usage: npx tsx test/stand-ins/kubescape/record.ts [options] <path>...
       npx tsx test/stand-ins/kubescape/record.ts --recorded-cluster [--force]

Records what the Kubescape stand-in replays when it scans these paths (files, or
directories searched recursively for .yaml/.yml/.json, exactly as the stand-in does).

Options:
  --name NAME         recording name, saved as recordings/NAME.json (default: from the first path)
  --framework NAMES   framework list as given to "kubescape scan framework" (default: nsa; only NSA is supported)
  --out DIR           write into DIR instead of test/stand-ins/kubescape/recordings
  --print             print the recording to stdout instead of writing it
  --sarif             print the SARIF the stand-in would write for these paths (run from the scan's directory)
  --force             replace an existing recording of the same name
  --note TEXT         add a note to the recording's header (for example how an input was produced)
  --real              capture the findings of the real Kubescape (KUBESCAPE_BIN, else the pinned
                      .tools/bin/kubescape of npm run tools:install) instead of running the
                      hand-written checks; committed recordings are captured this way
  --recorded-cluster  dump the recorded cluster of test/cluster with kubectl (the documented snapshot
                      command) and record that dump as "recorded-cluster-snapshot"
  -h, --help          show this help
`;

interface Options {
  name?: string;
  framework: string;
  out: string;
  print: boolean;
  sarif: boolean;
  force: boolean;
  note?: string;
  recordedCluster: boolean;
  real: boolean;
  paths: string[];
}

function parse(argv: string[]): Options | undefined {
  const options: Options = { framework: 'nsa', out: BUILTIN_RECORDINGS_DIR, print: false, sarif: false, force: false, recordedCluster: false, real: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '-h':
      case '--help':
        return undefined;
      case '--name':
        options.name = value();
        break;
      case '--framework':
        options.framework = value();
        break;
      case '--out':
        options.out = path.resolve(value());
        break;
      case '--print':
        options.print = true;
        break;
      case '--sarif':
        options.sarif = true;
        break;
      case '--force':
        options.force = true;
        break;
      case '--note':
        options.note = value();
        break;
      case '--recorded-cluster':
        options.recordedCluster = true;
        break;
      case '--real':
        options.real = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new Error(`unknown option ${arg}`);
        options.paths.push(arg);
    }
  }
  return options;
}

function defaultName(firstPath: string): string {
  const base = path.basename(path.resolve(firstPath)).replace(/\.(ya?ml|json)$/, '');
  return base.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
}

export const RECORDED_CLUSTER_NAME = 'recorded-cluster-snapshot';
export const RECORDED_CLUSTER_NOTE =
  'cluster-snapshot.yaml is the output of `kubectl get all,networkpolicies,roles,rolebindings,serviceaccounts -A -o yaml` ' +
  'against the recorded cluster of test/cluster (snapshotCluster() in test/cluster/kubectl.ts). It is keyed by the set of ' +
  'resource identities in it, so it has to be re-recorded (record.ts --recorded-cluster --force) when test/cluster/state ' +
  'gains or loses objects.';

/** Dump the recorded cluster with the real kubectl into a temporary folder; returns the snapshot's path. */
async function snapshotRecordedCluster(): Promise<{ file: string; cleanup: () => void }> {
  const { snapshotCluster } = await import('../../cluster/kubectl.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'kubescape-record-'));
  const file = await snapshotCluster(dir);
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function mainAsync(argv: string[]): Promise<number> {
  if (!argv.includes('--recorded-cluster')) return main(argv);
  const rest = argv.filter((a) => a !== '--recorded-cluster');
  if (rest.some((a) => !a.startsWith('-'))) {
    process.stderr.write('record: --recorded-cluster takes no paths\n');
    return 2;
  }
  const snapshot = await snapshotRecordedCluster();
  try {
    return main([...rest, '--name', RECORDED_CLUSTER_NAME, '--note', RECORDED_CLUSTER_NOTE, snapshot.file], {
      recordedWith: `npx tsx test/stand-ins/kubescape/record.ts${rest.includes('--real') ? ' --real' : ''} --recorded-cluster`,
    });
  } finally {
    snapshot.cleanup();
  }
}

export function main(argv: string[], overrides: { recordedWith?: string } = {}): number {
  let options: Options | undefined;
  try {
    options = parse(argv);
  } catch (error) {
    process.stderr.write(`record: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.paths.length === 0) {
    process.stderr.write(`record: give at least one path\n\n${USAGE}`);
    return 2;
  }
  const name = options.name ?? defaultName(options.paths[0] as string);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    process.stderr.write(`record: bad recording name "${name}" (letters, digits, ".", "_", "-")\n`);
    return 2;
  }
  const cwd = process.cwd();
  if (options.real && options.sarif) {
    process.stderr.write('record: --sarif prints what the hand-written checks give; for the real SARIF run kubescape itself\n');
    return 2;
  }
  let recording: Recording;
  let lines: string[];
  if (options.real) {
    const bin = process.env.KUBESCAPE_BIN ?? PINNED_KUBESCAPE_BIN;
    if (!existsSync(bin)) {
      process.stderr.write(`record: no real Kubescape at ${bin}: run npm run tools:install (or set KUBESCAPE_BIN)\n`);
      return 1;
    }
    recording = captureRecording(options.paths, { name, framework: options.framework, frameworks: resolveFrameworks(options.framework), cwd, bin });
    lines = recording.inputs.flatMap((input) => input.results.map((r) => `  ${r.control} ${r.resource} at ${input.recordedPath}:${r.startLine}:${r.startColumn}`));
  } else {
    const built = buildRecording(options.paths, { name, frameworks: resolveFrameworks(options.framework), cwd });
    recording = built.recording;
    if (options.sarif) return printSarif(built, cwd);
    lines = describeEvaluated(built.evaluated, built.files);
  }

  if (overrides.recordedWith !== undefined) recording.header.recordedWith = overrides.recordedWith;
  if (options.note !== undefined) recording.header.note = options.note;
  const text = `${JSON.stringify(recording, null, 2)}\n`;
  if (options.print) {
    process.stdout.write(text);
    return 0;
  }

  const target = path.join(options.out, `${name}.json`);
  const env = { ...process.env };
  if (options.out !== BUILTIN_RECORDINGS_DIR) env.CILOCK_KUBESCAPE_RECORDINGS = options.out;
  const clash = loadRecordings(env).find(
    (r) =>
      path.resolve(r.file) !== path.resolve(target) &&
      [...r.data.frameworks].sort().join(',') === [...recording.frameworks].sort().join(',') &&
      sameInputs(
        r.data.inputs.map((i) => i.key),
        recording.inputs.map((i) => i.key),
      ),
  );
  if (clash) {
    process.stderr.write(`record: ${displayPath(clash.file)} already records exactly these inputs; delete it first\n`);
    return 1;
  }
  if (existsSync(target) && !options.force) {
    process.stderr.write(`record: ${displayPath(target)} exists; pass --force to replace it\n`);
    return 1;
  }
  mkdirSync(options.out, { recursive: true });
  if (existsSync(target)) unlinkSync(target);
  writeFileSync(target, text);

  process.stdout.write(`wrote ${displayPath(target)} (${recording.inputs.length} input file(s), ${lines.length} result(s))\n`);
  for (const line of lines) process.stdout.write(`${line}\n`);
  return 0;
}

function printSarif(built: ReturnType<typeof buildRecording>, cwd: string): number {
  const entries: SarifEntry[] = built.evaluated.map((r) => {
    const file = built.files[r.fileIndex];
    if (!file) throw new Error('internal: result without a file');
    const base = uriBaseFor(file.arg, cwd);
    return {
      uri: path.relative(base, file.path).split(path.sep).join('/'),
      absPath: file.path,
      resource: r.resource,
      control: r.control,
      startLine: r.startLine,
      startColumn: r.startColumn,
    };
  });
  const now = new Date();
  process.stdout.write(`${goJSON(buildSarif(entries, built.recording.controls, { start: now, end: now }))}\n`);
  return 0;
}

function describeEvaluated(evaluated: EvaluatedResult[], files: LoadedFile[]): string[] {
  return [...evaluated]
    .sort((a, b) => a.fileIndex - b.fileIndex || (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : a.control < b.control ? -1 : 1))
    .map((r) => {
      const file = files[r.fileIndex];
      return `  ${r.control} ${r.resource} at ${file ? displayPath(file.path) : '?'}:${r.startLine}:${r.startColumn}${r.path ? ` (${r.path})` : ''}`;
    });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  mainAsync(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`record: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
