/**
 * Parses a catalog YAML file keeping node positions, so every schema problem can be reported at
 * the line and column where it sits.
 */
import { LineCounter, parseDocument, isCollection, isMap, visit, type Document, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { formatPath, type Problem } from './problems.js';

export interface YamlSource {
  file: string;
  data: unknown;
  problems: Problem[];
  locate(path: readonly PropertyKey[]): { line: number; col: number };
}

/** Aliases a catalog file may expand; real entries use none, a "billion laughs" file uses millions. */
const MAX_ALIAS_COUNT = 100;

/**
 * Never throws: empty files, several documents, a top level that is not a mapping and alias
 * bombs all end up in `problems`, located like every schema problem.
 */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, message: string): Problem => ({ file, ...lineCounter.linePos(offset), path: '', message });
  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((err) => at(err.pos[0], yamlMessage(err)));
  const locate = (path: readonly PropertyKey[]) => locateNode(doc, lineCounter, path);
  const source = (data: unknown): YamlSource => ({ file, data, problems, locate });
  if (problems.length) return source(undefined);
  if (doc.contents === null) {
    problems.push(at(0, 'the file holds no YAML document (it is empty or only comments); start from an existing entry and fill in its keys'));
    return source(undefined);
  }
  if (!isMap(doc.contents)) {
    problems.push(at(doc.contents.range[0], 'the top level must be a mapping of keys (name: …, title: …), not a single value or a list'));
    return source(undefined);
  }
  visit(doc, {
    Pair(_, pair) {
      // A `? [a, b]: …` key has no object-key equivalent (yaml would stringify it with a warning).
      if (isCollection(pair.key)) problems.push(at(pair.key.range?.[0] ?? 0, 'a key must be a plain word, not a list or mapping; write it as name: value'));
    },
  });
  if (problems.length) return source(undefined);
  try {
    return source(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
  } catch (err) {
    // yaml throws while expanding aliases (a "billion laughs" file); point at the first alias.
    problems.push(at(firstAliasOffset(doc), `YAML: ${(err as Error).message}; catalog files should not need aliases (*name), write the values out`));
    return source(undefined);
  }
}

function yamlMessage(err: YAMLError): string {
  if (err.code === 'MULTIPLE_DOCS') return 'YAML: a second document starts here (---); a catalog file holds exactly one document, so remove the --- line or move the rest into its own entry';
  return `YAML: ${err.message.split('\n')[0]}`;
}

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
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
