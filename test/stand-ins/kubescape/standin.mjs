// The cilock test stand-in for Kubescape. It is NOT Kubescape: it replays
// recorded scan results (recordings/*.json, made by record.ts) and prints them
// the way Kubescape v4.0.12 prints SARIF. Plain JavaScript, Node built-ins only,
// because it runs from arbitrary temporary directories with PATH pointing at
// test/stand-ins/bin. Behaviour reference: the Kubescape research notes
// (CLI §1, SARIF §2 of the project's Kubescape spec).

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { canonicalKey, collectInputFiles, describeKey, inputKeyOfFile, sameInputs } from './keying.mjs';

export const STAND_IN_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(STAND_IN_DIR, '..', '..', '..');
export const BUILTIN_RECORDINGS_DIR = path.join(STAND_IN_DIR, 'recordings');
/** Extra recording directories (path-list), used by tests that record into temporary folders. */
export const RECORDINGS_ENV = 'CILOCK_KUBESCAPE_RECORDINGS';

export const EMULATED_VERSION = 'v4.0.12';
export const EMULATED_COMMIT = '469969f6bebf46bef5e808b91a4bb46fb2bbf4ed';
export const EMULATED_DATE = '2026-08-12';

export const NOTICE =
  'kubescape stand-in: this is the cilock test stand-in replaying recorded output (test/stand-ins/bin/kubescape), not the real Kubescape';

/** Names `kubescape list frameworks` prints (regolibrary release v2), in Kubescape's natural order. */
export const FRAMEWORK_NAMES = [
  'AllControls',
  'ArmoBest',
  'cis-aks-t1.2.0',
  'cis-aks-t1.8.0',
  'cis-eks-t1.7.0',
  'cis-eks-t1.8.0',
  'cis-gke-v1.9.0',
  'cis-v1.10.0',
  'cis-v1.12.0',
  'DevOpsBest',
  'MITRE',
  'NSA',
  'SOC2',
];

/** printer.AllFormats of Kubescape v4.0.12. */
export const SCAN_FORMATS = [
  'pretty-printer',
  'json',
  'junit',
  'prometheus',
  'pdf',
  'html',
  'sarif',
  'gitlab-sast',
  'yaml',
  'csv',
  'markdown',
  'cyclonedx-json',
  'spdx-json',
];

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SEVERITIES = ['low', 'medium', 'high', 'critical'];

// Flags the stand-in understands. Flags that only tune real scanning are accepted and ignored.
const VALUE_FLAGS = new Map([
  ['format', 'f'],
  ['output', 'o'],
  ['logger', 'l'],
  ['format-version', undefined],
  ['use-artifacts-from', undefined],
  ['controls-config', undefined],
  ['exceptions', undefined],
  ['cache-dir', undefined],
  ['severity-threshold', undefined],
  ['compliance-threshold', undefined],
  ['controls-version', undefined],
  ['kube-context', undefined],
  ['include-namespaces', undefined],
  ['exclude-namespaces', undefined],
  ['exclude-paths', undefined],
  ['account', undefined],
  ['scan-timeout', undefined],
  ['view', undefined],
  ['min-severity', undefined],
  ['max-severity', undefined],
]);
const BOOL_FLAGS = new Map([
  ['keep-local', undefined],
  ['verbose', 'v'],
  ['help', 'h'],
  ['use-default', undefined],
  ['omit-raw-resources', undefined],
  ['enable-host-scan', undefined],
  ['disable-color', undefined],
  ['enable-color', undefined],
]);
// Flags whose values change what a real scan reports; the stand-in refuses them unless left at the default.
const REFUSED_UNLESS_DEFAULT = new Map([
  ['exceptions', undefined],
  ['controls-config', undefined],
  ['include-namespaces', undefined],
  ['exclude-namespaces', undefined],
  ['exclude-paths', undefined],
  ['min-severity', undefined],
  ['max-severity', undefined],
]);

class UsageError extends Error {}
class StandInLimit extends Error {}

function parseArgs(argv) {
  const flags = new Map();
  const positionals = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (VALUE_FLAGS.has(name)) {
        if (eq >= 0) flags.set(name, arg.slice(eq + 1));
        else {
          if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${name}`);
          flags.set(name, argv[++i]);
        }
      } else if (BOOL_FLAGS.has(name)) {
        flags.set(name, eq >= 0 ? arg.slice(eq + 1) : 'true');
      } else {
        throw new UsageError(`unknown flag: --${name}`);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const short = arg[1];
      const long = [...VALUE_FLAGS].find(([, s]) => s === short)?.[0];
      const boolLong = [...BOOL_FLAGS].find(([, s]) => s === short)?.[0];
      if (long) {
        let value = arg.slice(2);
        if (value.startsWith('=')) value = value.slice(1);
        if (value === '') {
          if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: '${short}' in -${short}`);
          value = argv[++i];
        }
        flags.set(long, value);
      } else if (boolLong && arg.length === 2) {
        flags.set(boolLong, 'true');
      } else {
        throw new UsageError(`unknown shorthand flag: '${short}' in ${arg}`);
      }
      continue;
    }
    positionals.push(arg);
  }
  return { flags, positionals };
}

/** Kubescape's rule: append ".sarif" unless the (trimmed) name already ends in it; case-insensitive as on Kubescape main. */
export function sarifOutputPath(output) {
  let name = output;
  if (name.trim() === '') name = 'report';
  if (path.extname(name.trim()).toLowerCase() !== '.sarif') name += '.sarif';
  return name;
}

/** scoreFactorToSARIFSeverityLevel (sarifprinter.go). */
export function sarifLevel(score) {
  if (score >= 9) return 'error';
  if (score >= 4) return 'warning';
  return 'note';
}

/** opa-utils severity from a control's baseScore. */
export function severityOf(score) {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score >= 1) return 'low';
  return 'unknown';
}

/** Go's time.RFC3339Nano rendering of a UTC instant (trailing zeros of the fraction dropped). */
export function goTimeUTC(date) {
  const iso = date.toISOString(); // 2026-01-02T03:04:05.678Z
  const [base, frac] = iso.slice(0, -1).split('.');
  const trimmed = (frac ?? '').replace(/0+$/, '');
  return `${base}${trimmed ? `.${trimmed}` : ''}Z`;
}

/** encoding/json's MarshalIndent with two spaces, including its HTML-safe escaping. */
export function goJSON(value) {
  return JSON.stringify(value, null, 2)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function findGitRoot(start) {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Where a result's uri is relative to: the git work tree root when the scanned
 * path is inside one, else the scanned directory, else the scanned file's directory.
 */
export function uriBaseFor(scanArg, cwd) {
  const abs = path.resolve(cwd, scanArg);
  let isDir;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    isDir = false;
  }
  const dir = isDir ? abs : path.dirname(abs);
  return findGitRoot(dir) ?? dir;
}

export function loadRecordings(env) {
  const dirs = [BUILTIN_RECORDINGS_DIR];
  const extra = env[RECORDINGS_ENV];
  if (extra) dirs.push(...extra.split(path.delimiter).filter(Boolean));
  const recordings = [];
  for (const dir of dirs) {
    let names;
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const data = JSON.parse(readFileSync(file, 'utf8'));
      if (!Array.isArray(data.frameworks) || !Array.isArray(data.inputs) || typeof data.controls !== 'object') {
        throw new Error(`${file} is not a Kubescape stand-in recording`);
      }
      recordings.push({ file, data });
    }
  }
  return recordings;
}

/**
 * Build the SARIF document Kubescape v4.0.12 writes for a configuration scan.
 * entries: [{ uri, absPath, resource, control, startLine, startColumn }]
 */
export function buildSarif(entries, controls, times) {
  const sorted = [...entries].sort(
    (a, b) => cmp(a.absPath, b.absPath) || cmp(a.resource, b.resource) || cmp(a.control, b.control),
  );
  const rules = [];
  const ruleIndex = new Map();
  const results = [];
  for (const entry of sorted) {
    const control = controls[entry.control];
    if (!control) throw new Error(`recording has no control data for ${entry.control}`);
    if (!ruleIndex.has(entry.control)) {
      ruleIndex.set(entry.control, rules.length);
      rules.push({
        id: entry.control,
        shortDescription: { text: control.name },
        fullDescription: { text: control.description },
        defaultConfiguration: { level: sarifLevel(control.baseScore) },
        help: { text: `Remediation: ${control.remediation}` },
        properties: { 'security-severity': control.baseScore.toFixed(1) },
      });
    }
    results.push({
      ruleId: entry.control,
      ruleIndex: ruleIndex.get(entry.control),
      message: { text: control.description },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: entry.uri },
            region: { startLine: entry.startLine, startColumn: entry.startColumn },
          },
        },
      ],
    });
  }
  return {
    version: '2.1.0',
    $schema: SARIF_SCHEMA,
    runs: [
      {
        tool: { driver: { informationUri: 'https://armosec.io', name: 'kubescape', rules } },
        invocations: [
          { endTimeUtc: goTimeUTC(times.end), executionSuccessful: true, startTimeUtc: goTimeUTC(times.start) },
        ],
        results,
      },
    ],
  };
}

function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function now(env) {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date();
}

function usage() {
  return [
    'Kubescape stand-in for cilock tests (replays recorded output; not the real Kubescape).',
    '',
    'Emulated commands:',
    '  kubescape scan framework <names> <paths…> --format sarif [--output FILE]',
    '  kubescape list frameworks [--format pretty-print|json|yaml|csv]',
    '  kubescape version [--format text|json]',
    '',
    'Record new inputs with: npx tsx test/stand-ins/kubescape/record.ts --help',
    '',
  ].join('\n');
}

function prettyTable(header, rows) {
  const width = Math.max(header.length, ...rows.map((r) => r.length));
  const line = (l, fill, r) => `${l}${fill.repeat(width + 2)}${r}`;
  const row = (text) => `│ ${text.padEnd(width)} │`;
  return [line('╭', '─', '╮'), row(header), line('├', '─', '┤'), ...rows.map(row), line('╰', '─', '╯'), ''].join('\n');
}

/**
 * Run the stand-in. io = { argv, env, cwd, stdout(text), stderr(text) }; returns the exit code.
 */
export function run(io) {
  io.stderr(`${NOTICE}\n`);
  try {
    return dispatch(io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`Error: ${error.message}\n`);
      return 1;
    }
    if (error instanceof StandInLimit) {
      io.stderr(`kubescape stand-in: ${error.message}\n`);
      return 2;
    }
    io.stderr(`kubescape stand-in: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    return 2;
  }
}

function dispatch(io) {
  const { flags, positionals } = parseArgs(io.argv);
  const [command, sub, ...rest] = positionals;
  if (command === undefined || command === 'help' || flags.has('help')) {
    io.stdout(usage());
    return 0;
  }
  switch (command) {
    case 'version':
      return versionCommand(io, flags);
    case 'list':
      return listCommand(io, flags, sub);
    case 'scan':
      if (sub === 'framework') return scanFramework(io, flags, rest);
      throw new StandInLimit(
        `"kubescape scan ${sub ?? ''}" is not emulated; only "scan framework <names> <paths…> --format sarif" replays recordings`,
      );
    case 'completion':
    case 'config':
    case 'download':
    case 'fix':
    case 'operator':
    case 'patch':
    case 'prerequisites':
    case 'update':
    case 'vap':
    case 'mcpserver':
      throw new StandInLimit(`"kubescape ${command}" is not emulated by the stand-in`);
    default:
      throw new UsageError(`unknown command "${command}" for "kubescape"`);
  }
}

function versionCommand(io, flags) {
  const format = flags.get('format') ?? 'text';
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ version: EMULATED_VERSION, commit: EMULATED_COMMIT, date: EMULATED_DATE })}\n`);
    return 0;
  }
  if (format !== 'text') throw new UsageError(`unsupported format "${format}", supported formats: text, json`);
  io.stdout(
    `Your current version is: ${EMULATED_VERSION}\nBuild commit: ${EMULATED_COMMIT}\nBuild date: ${EMULATED_DATE}\n`,
  );
  return 0;
}

function listCommand(io, flags, what) {
  if (what !== 'frameworks') {
    if (what === 'controls' || what === 'exceptions') {
      throw new StandInLimit(`"kubescape list ${what}" is not emulated; only "list frameworks" is`);
    }
    throw new UsageError(`invalid parameter '${what ?? ''}'. Supported parameters: frameworks, controls, exceptions`);
  }
  const format = flags.get('format') ?? 'pretty-print';
  switch (format) {
    case 'pretty-print':
      io.stdout(prettyTable('Supported frameworks', FRAMEWORK_NAMES));
      return 0;
    case 'json':
      io.stdout(`${JSON.stringify(FRAMEWORK_NAMES)}\n`);
      return 0;
    case 'yaml':
      io.stdout(FRAMEWORK_NAMES.map((n) => `- ${n}\n`).join(''));
      return 0;
    case 'csv':
      io.stdout(['name', ...FRAMEWORK_NAMES].map((n) => `${n}\n`).join(''));
      return 0;
    default:
      throw new UsageError(`invalid format "${format}", supported formats: pretty-print, json, yaml, csv`);
  }
}

/** Canonical framework names for a comma-separated list; unknown names throw Kubescape's error. */
export function resolveFrameworks(list) {
  const out = [];
  for (const raw of list.split(',')) {
    const name = raw.trim();
    const expanded = name.toLowerCase() === 'all' ? ['AllControls', 'NSA', 'MITRE'] : [name];
    for (const n of expanded) {
      const canonical = FRAMEWORK_NAMES.find((f) => f.toLowerCase() === n.toLowerCase());
      if (!canonical) {
        throw new UsageError(
          `framework '${n}' not found, run \`kubescape list frameworks\` for available frameworks`,
        );
      }
      if (!out.includes(canonical)) out.push(canonical);
    }
  }
  return out;
}

function scanFramework(io, flags, args) {
  const [names, ...paths] = args;
  if (names === undefined || names === '') throw new UsageError('requires at least one framework name');
  if (names.split(',').some((n) => n.trim() === '')) throw new UsageError('usage: <framework-0>,<framework-1>');

  const compliance = flags.get('compliance-threshold');
  if (compliance !== undefined) {
    const value = Number(compliance);
    if (!Number.isFinite(value)) throw new UsageError(`invalid argument "${compliance}" for "--compliance-threshold" flag`);
    if (value < 0 || value > 100) throw new UsageError('bad argument: out of range threshold');
  }
  const severityThreshold = flags.get('severity-threshold');
  if (severityThreshold !== undefined && !SEVERITIES.includes(severityThreshold.trim().toLowerCase())) {
    throw new UsageError('unknown severity. Supported severities are: Low, Medium, High, Critical');
  }

  const formatFlag = flags.get('format');
  if (formatFlag !== undefined && formatFlag === '') {
    throw new UsageError(`format cannot be empty, supported formats: ${SCAN_FORMATS.join(', ')}`);
  }
  const formats = (formatFlag ?? 'pretty-printer')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const f of formats) {
    if (!SCAN_FORMATS.includes(f)) {
      throw new UsageError(`invalid format "${f}", supported formats: ${SCAN_FORMATS.join(', ')}`);
    }
  }
  if (formats.length === 0) {
    throw new UsageError(`invalid format "${formatFlag}", supported formats: ${SCAN_FORMATS.join(', ')}`);
  }

  // The SARIF / GitLab printers refuse the cluster context (results.go ValidatePrinter).
  if (paths.length === 0) {
    const local = formats.find((f) => f === 'sarif' || f === 'gitlab-sast');
    if (local) throw new UsageError(`format "${local}" is only supported when scanning local files`);
  }

  const frameworks = resolveFrameworks(names);

  if (paths.length === 0) {
    throw new StandInLimit('cannot scan a live cluster; pass manifest paths (for a cluster, scan a `kubectl get … -o yaml` snapshot file)');
  }
  for (const [flag, allowed] of REFUSED_UNLESS_DEFAULT) {
    if (flags.has(flag) && flags.get(flag) !== allowed) {
      throw new StandInLimit(`--${flag} changes what Kubescape reports and is not emulated; recordings assume the defaults`);
    }
  }
  if (compliance !== undefined && Number(compliance) !== 0) {
    throw new StandInLimit('--compliance-threshold other than 0 is not emulated (the stand-in does not compute compliance scores)');
  }
  const unsupported = formats.filter((f) => f !== 'sarif');
  if (unsupported.length > 0) {
    throw new StandInLimit(`only --format sarif is replayed; "${unsupported.join(',')}" output is not recorded`);
  }
  if (paths.some((p) => p === '-' || /^(https?|git|ssh):\/\//.test(p) || p.startsWith('git@'))) {
    throw new StandInLimit('stdin and git URLs are not emulated; pass local manifest paths');
  }

  const start = now(io.env);
  const collected = collectInputFiles(paths, io.cwd);
  const keyed = collected.files.map((f) => ({ ...f, key: inputKeyOfFile(f.path) }));
  const recordings = loadRecordings(io.env);
  const wanted = [...frameworks].sort();
  const match = recordings.find(
    (r) =>
      [...r.data.frameworks].sort().join(',') === wanted.join(',') &&
      sameInputs(
        r.data.inputs.map((i) => i.key),
        keyed.map((k) => k.key),
      ),
  );
  if (!match || collected.missing.length > 0) {
    const seen = [
      `framework ${frameworks.join(',')}`,
      ...keyed.map((k) => `${path.relative(io.cwd, k.path) || k.path} ${describeKey(k.key)}`),
      ...collected.missing.map((m) => `${m} (does not exist)`),
    ];
    if (keyed.length === 0 && collected.missing.length === 0) seen.push('no .yaml/.yml/.json files');
    const fwArg = frameworks.length === 1 && frameworks[0] === 'NSA' ? '' : ` --framework ${frameworks.join(',').toLowerCase()}`;
    const command = `(cd ${REPO_ROOT} && npx tsx test/stand-ins/kubescape/record.ts --name <name>${fwArg} ${paths
      .map((p) => path.resolve(io.cwd, p))
      .join(' ')})`;
    throw new StandInLimit(`no recording for these inputs (${seen.join('; ')}); record one with ${command}`);
  }

  // Map each scanned file to the recorded input with the same key.
  const byKey = new Map();
  for (const input of match.data.inputs) {
    const k = canonicalKey(input.key);
    if (!byKey.has(k)) byKey.set(k, input);
  }
  const entries = [];
  for (const file of keyed) {
    const input = byKey.get(canonicalKey(file.key));
    const base = uriBaseFor(file.arg, io.cwd);
    const uri = path.relative(base, file.path).split(path.sep).join('/');
    for (const r of input.results) {
      entries.push({
        uri,
        absPath: file.path,
        resource: r.resource,
        control: r.control,
        startLine: r.startLine,
        startColumn: r.startColumn,
      });
    }
  }
  const end = io.env.SOURCE_DATE_EPOCH ? start : new Date(Math.max(Date.now(), start.getTime()));
  const sarif = buildSarif(entries, match.data.controls, { start, end });
  const text = goJSON(sarif);

  const output = flags.get('output');
  let written;
  if (output === undefined) {
    io.stdout(text);
  } else {
    const file = sarifOutputPath(output);
    const abs = path.resolve(io.cwd, file);
    try {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
      written = file;
      io.stderr(`[success] Scan results saved. filename: ${file}\n`);
    } catch (error) {
      // Kubescape v4.0.12 falls back to stdout when the output file cannot be opened.
      io.stderr(`[warning] failed to open file for writing, using stdout instead. file: ${file}, error: ${error.message}\n`);
      io.stdout(text);
    }
  }

  const resources = new Set(entries.map((e) => `${e.absPath}\u0000${e.resource}`));
  const controlIds = new Set(entries.map((e) => e.control));
  if (written !== undefined) {
    io.stdout(
      `Kubescape stand-in (cilock tests, not the real Kubescape): replayed recording "${match.data.name}" for ${frameworks.join(
        ',',
      )}: ${entries.length} failed control results (${controlIds.size} controls, ${resources.size} resources), SARIF written to ${written}\n`,
    );
  }

  if (severityThreshold !== undefined) {
    const threshold = SEVERITIES.indexOf(severityThreshold.trim().toLowerCase());
    const worst = Math.max(
      -1,
      ...[...controlIds].map((id) => SEVERITIES.indexOf(severityOf(match.data.controls[id].baseScore))),
    );
    if (worst >= threshold) {
      io.stderr(`Error: compliance result exceeds severity threshold: ${severityThreshold}\n`);
      return 1;
    }
  }
  return 0;
}

export function main() {
  const code = run({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
  process.exitCode = code;
}
