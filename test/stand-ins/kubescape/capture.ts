// Captures a recording from the real Kubescape: the scan runs twice on the same paths, once with
// `--format json` (which resource failed which control, and in which file) and once with
// `--format sarif` (where each result sits). The stand-in then replays exactly the real findings.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOOLS } from '../../../src/scripts/tools-manifest.js';
import { collectInputFiles, inputKeyOfFile } from './keying.mjs';
import { displayPath, REPO_ROOT } from './recorder.js';
import { type RecordedControl, type RecordedInput, type RecordedResult, type Recording, uriBaseFor } from './standin.mjs';

const pin = TOOLS.find((t) => t.name === 'kubescape');
/** The Kubescape version `npm run tools:install` pins; recordings are captured from it. */
export const PINNED_KUBESCAPE = pin && 'versionMatch' in pin ? pin.versionMatch : 'unknown';
/** Where `npm run tools:install` leaves the pinned Kubescape. */
export const PINNED_KUBESCAPE_BIN = path.join(REPO_ROOT, '.tools/bin/kubescape');

export const CAPTURE_ORIGIN_PREFIX = 'Captured from real Kubescape';

interface JsonReport {
  resources?: { resourceID: string; source?: { path?: string; relativePath?: string } }[];
  results?: { resourceID: string; controls?: { controlID: string; status?: { status?: string } }[] }[];
  summaryDetails?: { controls?: Record<string, { scoreFactor?: number }> };
}

interface SarifRun {
  tool: { driver: { rules?: { id: string; shortDescription?: { text?: string }; fullDescription?: { text?: string }; help?: { text?: string } }[] } };
  results?: { ruleId: string; locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number; startColumn?: number } } }[] }[];
}

/** The version `kubescape version` prints, e.g. v3.0.48. */
export function kubescapeVersion(bin: string): string {
  const out = execFileSync(bin, ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  const m = /v\d+\.\d+\.\d+\S*/.exec(out);
  if (!m) throw new Error(`${bin} version printed no version: ${out.trim()}`);
  return m[0];
}

/** `path=123/api=apps/v1/shop/Deployment/x` → `apps/v1/shop/Deployment/x` (the stand-in's apiVersion/namespace/kind/name). */
export function standInIdentity(resourceID: string): string {
  const id = resourceID.replace(/^path=\d+\/api=/, '');
  const parts = id.split('/');
  if (parts.length !== 5) throw new Error(`unexpected Kubescape resource id "${resourceID}"`);
  const [group, version, namespace, kind, name] = parts as [string, string, string, string, string];
  return `${group ? `${group}/${version}` : version}/${namespace}/${kind}/${name}`;
}

function scan(bin: string, frameworks: string, format: 'json' | 'sarif', paths: string[], cwd: string, out: string): string {
  try {
    execFileSync(bin, ['scan', 'framework', frameworks, '--format', format, '--output', out, ...paths], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
      env: { ...process.env, KS_SKIP_UPDATE_CHECK: 'true' },
    });
  } catch (error) {
    const e = error as { status?: number; stderr?: Buffer };
    throw new Error(`${bin} scan (--format ${format}) exited ${e.status ?? '?'}: ${String(e.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
  }
  if (!existsSync(out)) throw new Error(`${bin} scan (--format ${format}) wrote no ${out}`);
  return readFileSync(out, 'utf8');
}

export interface CaptureOptions {
  name: string;
  /** As given to `kubescape scan framework` (e.g. nsa). */
  framework: string;
  /** Canonical framework names stored in the recording (e.g. NSA). */
  frameworks: string[];
  cwd: string;
  bin: string;
}

export function captureRecording(paths: string[], options: CaptureOptions): Recording {
  const collected = collectInputFiles(paths, options.cwd);
  if (collected.missing.length > 0) throw new Error(`no such file or directory: ${collected.missing.join(', ')}`);
  if (collected.files.length === 0) throw new Error('no .yaml, .yml or .json files in the given paths');
  const version = kubescapeVersion(options.bin);
  const scratch = mkdtempSync(path.join(tmpdir(), 'kubescape-capture-'));
  let report: JsonReport;
  let run: SarifRun;
  try {
    report = JSON.parse(scan(options.bin, options.framework, 'json', paths, options.cwd, path.join(scratch, 'report.json'))) as JsonReport;
    const sarif = JSON.parse(scan(options.bin, options.framework, 'sarif', paths, options.cwd, path.join(scratch, 'report.sarif'))) as { runs: SarifRun[] };
    if (sarif.runs.length !== 1) throw new Error(`expected one SARIF run, got ${sarif.runs.length}`);
    run = sarif.runs[0] as SarifRun;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const files = collected.files;
  const fileOfSource = new Map<string, number>();
  for (const r of report.resources ?? []) {
    if (!r.source?.path || r.source.relativePath === undefined) continue;
    const abs = path.resolve(r.source.path, r.source.relativePath);
    const index = files.findIndex((f) => f.path === abs);
    if (index >= 0) fileOfSource.set(r.resourceID, index);
  }
  // Failed resources per file × control, in report order. Resources without a source file (RBAC
  // subjects) have no SARIF result, as in Kubescape's SARIF printer.
  const failed = new Map<string, string[]>();
  for (const r of report.results ?? []) {
    const fileIndex = fileOfSource.get(r.resourceID);
    if (fileIndex === undefined) continue;
    for (const c of r.controls ?? []) {
      if (c.status?.status !== 'failed') continue;
      const k = `${fileIndex}\0${c.controlID}`;
      failed.set(k, [...(failed.get(k) ?? []), standInIdentity(r.resourceID)]);
    }
  }

  const results: RecordedResult[][] = files.map(() => []);
  // v3.0.48 writes URIs relative to the scanned folder (or a scanned file's folder); v4 relative to the git work tree.
  const rel = (base: string, file: string) => path.relative(base, file).split(path.sep).join('/');
  const uriOf = files.map((f) => {
    const arg = path.resolve(options.cwd, f.arg);
    return [rel(f.path === arg ? path.dirname(arg) : arg, f.path), rel(uriBaseFor(f.arg, options.cwd), f.path)];
  });
  for (const result of run.results ?? []) {
    const loc = result.locations?.[0]?.physicalLocation;
    const fileIndex = uriOf.findIndex((uris) => uris.includes(loc?.artifactLocation?.uri ?? ''));
    if (fileIndex < 0) throw new Error(`SARIF result ${result.ruleId} names ${loc?.artifactLocation?.uri}, which is not among the scanned files (${uriOf.map((u) => u[0]).join(', ')})`);
    const queue = failed.get(`${fileIndex}\0${result.ruleId}`) ?? [];
    const resource = queue.shift();
    if (resource === undefined) throw new Error(`SARIF result ${result.ruleId} in ${uriOf[fileIndex]![0]} has no failed resource in the JSON report`);
    results[fileIndex]!.push({ resource, control: result.ruleId, startLine: loc?.region?.startLine ?? 1, startColumn: loc?.region?.startColumn ?? 1 });
  }
  for (const [k, left] of failed) {
    if (left.length) throw new Error(`the JSON report fails ${k.split('\0')[1]} on ${left.join(', ')}, which the SARIF report does not list`);
  }

  const controls: Record<string, RecordedControl> = {};
  const used = new Set(results.flat().map((r) => r.control));
  for (const rule of run.tool.driver.rules ?? []) {
    if (!used.has(rule.id)) continue;
    const baseScore = report.summaryDetails?.controls?.[rule.id]?.scoreFactor;
    if (baseScore === undefined) throw new Error(`the JSON report has no score for ${rule.id}`);
    controls[rule.id] = {
      name: rule.shortDescription?.text ?? '',
      description: rule.fullDescription?.text ?? '',
      remediation: (rule.help?.text ?? '').replace(/^Remediation: /, ''),
      baseScore,
    };
  }
  const sortedControls = Object.fromEntries(Object.entries(controls).sort(([a], [b]) => (a < b ? -1 : 1)));
  const inputs: RecordedInput[] = files.map((f, i) => ({
    recordedPath: displayPath(f.path),
    key: inputKeyOfFile(f.path),
    results: results[i]!.sort((a, b) => cmp(a.resource, b.resource) || cmp(a.control, b.control) || a.startLine - b.startLine),
  }));
  const recordedPaths = paths.map((p) => displayPath(path.resolve(options.cwd, p)));
  return {
    header: {
      what: 'A recording replayed by the cilock test stand-in for Kubescape (test/stand-ins/bin/kubescape).',
      origin: `${CAPTURE_ORIGIN_PREFIX} ${version} (scan framework ${options.framework}, --format json for resources and --format sarif for locations, offline with the regolibrary artifacts of npm run tools:install).`,
      emulates: `kubescape ${version} findings, written in the SARIF shape of kubescape v4.0.12 (sarifprinter.go)`,
      recordedWith: `npx tsx test/stand-ins/kubescape/record.ts --real --name ${options.name} ${recordedPaths.join(' ')}`,
    },
    name: options.name,
    frameworks: options.frameworks,
    inputs,
    controls: sortedControls,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
