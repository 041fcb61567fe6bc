/**
 * Parses a catalog YAML file keeping node positions, so every schema problem can be reported at
 * the line and column where it sits.
 */
import { LineCounter, parseDocument, isMap, type Document } from 'yaml';
import type { z } from 'zod';
import { formatPath, type Problem } from './problems.js';

export interface YamlSource {
  file: string;
  data: unknown;
  problems: Problem[];
  locate(path: readonly PropertyKey[]): { line: number; col: number };
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = [];
  for (const err of [...doc.errors, ...doc.warnings]) {
    const pos = lineCounter.linePos(err.pos[0]);
    problems.push({ file, line: pos.line, col: pos.col, path: '', message: `YAML: ${err.message.split('\n')[0]}` });
  }
  const locate = (path: readonly PropertyKey[]) => locateNode(doc, lineCounter, path);
  return { file, data: problems.length ? undefined : doc.toJS(), problems, locate };
}

/** Finds the deepest existing node on `path`: a missing key is reported where its parent is. */
function locateNode(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const keyPath = path.slice(0, n) as (string | number)[];
    if (n > 0) {
      // Prefer the key's own position for map entries (points at `name:` rather than its value).
      const parent = n === 1 ? doc.contents : doc.getIn(keyPath.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === keyPath[n - 1]);
        const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (range) return lineCounter.linePos(range[0]);
      }
    }
    const node = n === 0 ? doc.contents : doc.getIn(keyPath, true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lineCounter.linePos(range[0]);
  }
  return { line: 1, col: 1 };
}

/** Turns zod issues into located problems; unknown keys become one problem per key. */
export function issuesToProblems(source: YamlSource, issues: readonly z.core.$ZodIssue[]): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        problems.push({ file: source.file, ...source.locate(path), path: formatPath(path), message: `unknown key "${key}" (check the spelling; the allowed keys are in catalog/schema/)` });
      }
      continue;
    }
    problems.push({ file: source.file, ...source.locate(issue.path), path: formatPath(issue.path), message: issue.message });
  }
  return problems;
}
