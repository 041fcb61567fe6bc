// Builds recordings for the Kubescape stand-in: reads manifest files the way
// Kubescape v4.0.12 does, runs the hand-written NSA checks (checks.ts), places
// each result where Kubescape's SARIF printer would (first fix/delete/review/
// failed path, walking up to the nearest existing YAML node, else 1:1), and
// takes rule texts from the copied regolibrary control files.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { type CheckContext, firstPath, type Finding, type K8sObject, NSA_CHECKS } from './checks.js';
import {
  collectInputFiles,
  type InputKey,
  inputKey,
  manifestFormat,
  objectsOfDocuments,
  resourceIdentity,
} from './keying.mjs';
import type { RecordedControl, RecordedInput, RecordedResult, Recording } from './standin.mjs';

export const STAND_IN_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(STAND_IN_DIR, '..', '..', '..');
const REGOLIBRARY_DIR = path.join(STAND_IN_DIR, 'regolibrary');

/** A control's texts as the SARIF printer uses them (framework patch name wins over the control file's name). */
export function loadNsaControls(): Record<string, RecordedControl & { scope: string[] }> {
  const framework = JSON.parse(readFileSync(path.join(REGOLIBRARY_DIR, 'frameworks', 'nsaframework.json'), 'utf8')) as {
    activeControls: { controlID: string; patch?: { name?: string } }[];
  };
  const byId = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(path.join(REGOLIBRARY_DIR, 'controls'))) {
    if (!file.endsWith('.json')) continue;
    const control = JSON.parse(readFileSync(path.join(REGOLIBRARY_DIR, 'controls', file), 'utf8')) as Record<string, unknown>;
    byId.set(String(control.controlID), control);
  }
  const out: Record<string, RecordedControl & { scope: string[] }> = {};
  for (const active of framework.activeControls) {
    const control = byId.get(active.controlID);
    if (!control) throw new Error(`regolibrary/controls has no file for ${active.controlID}`);
    const scanningScope = control.scanningScope as { matches?: string[] } | undefined;
    out[active.controlID] = {
      name: active.patch?.name ?? String(control.name),
      description: String(control.description),
      remediation: String(control.remediation),
      baseScore: Number(control.baseScore),
      scope: scanningScope?.matches ?? [],
    };
  }
  return out;
}

/** One Kubernetes object as Kubescape loads it: `<file>:<index>` among the objects of its file. */
export interface LoadedObject {
  object: K8sObject;
  identity: string;
  fileIndex: number;
  objectIndex: number;
}

export interface LoadedFile {
  path: string;
  arg: string;
  key: InputKey;
  documents: Document[];
  lineCounter: LineCounter;
  objects: LoadedObject[];
}

/** Read one file. Like Kubescape's decoder, stop at the first document that does not parse. */
export function loadFile(filePath: string, arg: string, fileIndex: number): LoadedFile {
  const bytes = readFileSync(filePath);
  const text = bytes.toString('utf8');
  const lineCounter = new LineCounter();
  const documents: Document[] = [];
  let values: unknown[] = [];
  if (manifestFormat(filePath) === 'json') {
    try {
      values = [JSON.parse(text)];
      documents.push(...parseAllDocuments(text, { lineCounter }));
    } catch {
      values = [];
    }
  } else {
    const parsed = parseAllDocuments(text, { lineCounter });
    for (const doc of Array.isArray(parsed) ? parsed : []) {
      if (doc.errors.length > 0) break;
      documents.push(doc);
      values.push(doc.toJS());
    }
  }
  const objects = objectsOfDocuments(values).map((object, objectIndex) => ({
    object,
    identity: resourceIdentity(object),
    fileIndex,
    objectIndex,
  }));
  const key = inputKey(bytes, filePath);
  return { path: filePath, arg, key, documents, lineCounter, objects };
}

interface Segment {
  key: string;
  index?: number;
}

/** Split a Kubescape path such as `spec.containers[0].env[1].name` or `data[a.b]` into segments. */
export function parsePath(p: string): Segment[] {
  const segments: Segment[] = [];
  let current = '';
  let pending: Segment | undefined;
  const push = () => {
    if (pending) segments.push(pending);
    else if (current !== '') segments.push({ key: current });
    pending = undefined;
    current = '';
  };
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '.') {
      push();
    } else if (c === '[') {
      const end = p.indexOf(']', i);
      if (end < 0) throw new Error(`bad path ${p}`);
      const inner = p.slice(i + 1, end);
      if (/^\d+$/.test(inner) && (pending === undefined || pending.index === undefined)) {
        pending = { key: pending?.key ?? current, index: Number(inner) };
        current = '';
      } else {
        push();
        segments.push({ key: inner });
      }
      i = end;
    } else {
      current += c;
    }
  }
  push();
  return segments;
}

function childOf(node: Node | null | undefined, segment: Segment): Node | null | undefined {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment.key);
  let value = pair?.value as Node | null | undefined;
  if (segment.index !== undefined) {
    if (!isSeq(value)) return undefined;
    value = value.items[segment.index] as Node | undefined;
  }
  return value;
}

/**
 * Where Kubescape's SARIF printer puts a result: the node at the path in the object's document
 * (document number = the object's index in its file), walking up a segment at a time while the
 * path does not exist; 1:1 when nothing resolves.
 */
export function locate(file: LoadedFile, objectIndex: number, p: string | undefined): { line: number; column: number } {
  const fallback = { line: 1, column: 1 };
  if (p === undefined) return fallback;
  const doc = file.documents[objectIndex];
  if (!doc) return fallback;
  const segments = parsePath(p);
  while (segments.length > 0) {
    let node: Node | null | undefined = doc.contents as Node | null;
    for (const segment of segments) {
      node = childOf(node, segment);
      if (!node) break;
    }
    if (node && node.range) {
      const pos = file.lineCounter.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
    segments.pop();
  }
  return fallback;
}

export interface EvaluatedResult extends RecordedResult {
  fileIndex: number;
  path: string | undefined;
  findings: Finding[];
}

/** Run every check on every object of the scan. */
export function evaluate(files: LoadedFile[]): EvaluatedResult[] {
  const all = files.flatMap((f) => f.objects);
  const ctx: CheckContext = { all: all.map((o) => o.object) };
  const results: EvaluatedResult[] = [];
  for (const loaded of all) {
    const file = files[loaded.fileIndex];
    if (!file) continue;
    for (const check of NSA_CHECKS) {
      const findings = check.check(loaded.object, ctx);
      if (findings.length === 0) continue;
      const p = firstPath(findings);
      const at = locate(file, loaded.objectIndex, p);
      results.push({
        resource: loaded.identity,
        control: check.control,
        startLine: at.line,
        startColumn: at.column,
        fileIndex: loaded.fileIndex,
        path: p,
        findings,
      });
    }
  }
  return results;
}

/** Paths shown in recordings and messages: repo-relative inside the repo, else the file name. */
export function displayPath(abs: string): string {
  const rel = path.relative(REPO_ROOT, abs);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  return path.basename(abs);
}

export const RECORDING_ORIGIN =
  'Constructed by test/stand-ins/kubescape/record.ts: hand-written static checks for the NSA framework ' +
  '(test/stand-ins/kubescape/checks.ts) plus control texts from kubescape/regolibrary@ce7ef32a (Apache-2.0, ' +
  'copied in test/stand-ins/kubescape/regolibrary). NOT produced by real Kubescape.';

export interface RecordOptions {
  name: string;
  /** Canonical framework names; only NSA has checks. */
  frameworks: string[];
  cwd: string;
}

export function buildRecording(paths: string[], options: RecordOptions): { recording: Recording; evaluated: EvaluatedResult[]; files: LoadedFile[] } {
  if (options.frameworks.length !== 1 || options.frameworks[0] !== 'NSA') {
    throw new Error('only the NSA framework can be recorded (the stand-in has checks for NSA controls only)');
  }
  const collected = collectInputFiles(paths, options.cwd);
  if (collected.missing.length > 0) throw new Error(`no such file or directory: ${collected.missing.join(', ')}`);
  if (collected.files.length === 0) throw new Error('no .yaml, .yml or .json files in the given paths');
  const files = collected.files.map((f, i) => loadFile(f.path, f.arg, i));
  const evaluated = evaluate(files);
  const controlTexts = loadNsaControls();
  const usedControls = [...new Set(evaluated.map((r) => r.control))].sort();
  const controls: Record<string, RecordedControl> = {};
  for (const id of usedControls) {
    const c = controlTexts[id];
    if (!c) throw new Error(`no control data for ${id}`);
    controls[id] = { name: c.name, description: c.description, remediation: c.remediation, baseScore: c.baseScore };
  }
  const inputs: RecordedInput[] = files.map((file, i) => ({
    recordedPath: displayPath(file.path),
    key: file.key,
    results: evaluated
      .filter((r) => r.fileIndex === i)
      .map(({ resource, control, startLine, startColumn }) => ({ resource, control, startLine, startColumn }))
      .sort((a, b) => cmp(a.resource, b.resource) || cmp(a.control, b.control)),
  }));
  const recordedPaths = paths.map((p) => displayPath(path.resolve(options.cwd, p)));
  const recording: Recording = {
    header: {
      what: 'A recording replayed by the cilock test stand-in for Kubescape (test/stand-ins/bin/kubescape).',
      origin: RECORDING_ORIGIN,
      emulates: 'kubescape v4.0.12 `scan framework nsa --format sarif` (SARIF shape of its sarifprinter.go)',
      recordedWith: `npx tsx test/stand-ins/kubescape/record.ts --name ${options.name} ${recordedPaths.join(' ')}`,
    },
    name: options.name,
    frameworks: options.frameworks,
    inputs,
    controls,
  };
  return { recording, evaluated, files };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
