/**
 * Loads and validates the catalog source tree (`catalog/tools/<name>/tool.yaml`,
 * `catalog/attestors/<name>/attestor.yaml`, optional `doc.md` beside each). Every problem in every
 * file is collected before failing, each located as `file:line:col path: message`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { AttestorSchema, DocFrontMatterSchema, ToolSchema, type AttestorEntry, type DocFrontMatter, type ToolEntry } from './schema.js';
import { parseDoc, type DocSection } from './doc.js';
import { expandFacts } from './facts.js';
import { CatalogError, formatPath, type Problem } from './problems.js';
import { issuesToProblems, parseYamlSource, type YamlSource } from './yaml-source.js';

export interface LoadedDoc extends DocFrontMatter {
  sections: DocSection[];
  body: string;
  /** Repo-relative path of the doc source, for "edit this page" banners. */
  source_file: string;
}

export interface Loaded<T> {
  entry: T;
  doc?: LoadedDoc;
  /** Repo-relative folder of the entry (`catalog/tools/kubescape`). */
  dir: string;
  /** Repo-relative path of the facts file. */
  source_file: string;
}

export interface LoadedCatalog {
  tools: Loaded<ToolEntry>[];
  attestors: Loaded<AttestorEntry>[];
}

type Kind = 'tools' | 'attestors';
const FACTS_FILE: Record<Kind, string> = { tools: 'tool.yaml', attestors: 'attestor.yaml' };

/** `root` is the repo root; paths in problems are relative to it. */
export function loadCatalog(root: string): LoadedCatalog {
  const problems: Problem[] = [];
  const tools = loadKind(root, 'tools', ToolSchema, problems);
  const attestors = loadKind(root, 'attestors', AttestorSchema, problems);
  problems.push(...crossCheck(root, tools, attestors));
  if (problems.length) throw new CatalogError(sortProblems(problems));
  return { tools, attestors };
}

function loadKind<S extends z.ZodType>(root: string, kind: Kind, schema: S, problems: Problem[]): Loaded<z.output<S>>[] {
  const base = path.join(root, 'catalog', kind);
  if (!existsSync(base)) return [];
  const out: Loaded<z.output<S>>[] = [];
  for (const name of readdirSync(base).sort()) {
    const dirAbs = path.join(base, name);
    if (!statSync(dirAbs).isDirectory()) continue;
    const dir = `catalog/${kind}/${name}`;
    const file = `${dir}/${FACTS_FILE[kind]}`;
    if (!existsSync(path.join(root, file))) {
      problems.push({ file: dir, line: 1, col: 1, path: '', message: `missing ${FACTS_FILE[kind]} (every entry folder needs one; see README.md "Adding a tool")` });
      continue;
    }
    const { source, entry: parsed, problems: entryProblems } = parseEntry(file, readFileSync(path.join(root, file), 'utf8'), schema);
    problems.push(...entryProblems);
    if (parsed === undefined) continue;
    const entry = parsed as z.output<S> & { name: string };
    if (entry.name !== name) {
      problems.push({ file, ...source.locate(['name']), path: 'name', message: `"${entry.name}" must equal the folder name "${name}" (rename one of them)` });
    }
    const doc = loadDoc(root, `${dir}/doc.md`, entry, problems);
    out.push({ entry, dir, source_file: file, ...(doc ? { doc } : {}) });
  }
  return out;
}

/** One facts file's text through the YAML parser and `schema`; never throws, every failure is a problem. */
export function parseEntry<S extends z.ZodType>(file: string, text: string, schema: S): { source: YamlSource; entry?: z.output<S>; problems: Problem[] } {
  const source = parseYamlSource(file, text);
  if (source.problems.length) return { source, problems: source.problems };
  let result: ReturnType<S['safeParse']>;
  try {
    result = schema.safeParse(source.data, { error: requiredMessage }) as ReturnType<S['safeParse']>;
  } catch (err) {
    // A refinement that trips over a value it did not expect is a schema bug, but the author still
    // gets a located problem instead of a stack trace.
    return { source, problems: [{ file, line: 1, col: 1, path: '', message: `${SCHEMA_CRASH}: ${(err as Error).message}` }] };
  }
  if (!result.success) return { source, problems: issuesToProblems(source, result.error.issues) };
  return { source, entry: result.data as z.output<S>, problems: [] };
}

/** Prefix of the problem reported when validation itself failed (property tests look for it). */
export const SCHEMA_CRASH = 'cannot validate this file (a check in the catalog schema failed on an unexpected value; please report it)';

/** "is required" reads better than zod's "expected string, received undefined" for a missing key. */
function requiredMessage(issue: { code?: string; input?: unknown; expected?: string }): string | undefined {
  return issue.code === 'invalid_type' && issue.input === undefined ? `is required (${issue.expected ?? 'a value'})` : undefined;
}

function loadDoc(root: string, file: string, entry: object, problems: Problem[]): LoadedDoc | undefined {
  const abs = path.join(root, file);
  if (!existsSync(abs)) return undefined;
  let text = readFileSync(abs, 'utf8');
  try {
    text = expandFacts(text, entry);
  } catch (err) {
    problems.push({ file, line: 1, col: 1, path: '', message: (err as Error).message });
    return undefined;
  }
  const parsed = parseDoc(text);
  if (parsed.frontMatter === undefined) {
    problems.push({ file, line: 1, col: 1, path: '', message: 'missing front matter (start the file with ---, then title, description, sidebar_position, then ---)' });
    return undefined;
  }
  const fm = DocFrontMatterSchema.safeParse(parsed.frontMatter, { error: requiredMessage });
  if (!fm.success) {
    for (const issue of fm.error.issues) {
      const p = issue.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys] : issue.path;
      problems.push({ file, line: 1, col: 1, path: formatPath(p), message: issue.code === 'unrecognized_keys' ? 'unknown front-matter key' : issue.message });
    }
    return undefined;
  }
  const seen = new Set<string>();
  for (const s of parsed.sections) {
    if (seen.has(s.slug)) problems.push({ file, line: 1, col: 1, path: '', message: `two sections share the slug "${s.slug}" (rename one heading)` });
    seen.add(s.slug);
  }
  return { ...fm.data, sections: parsed.sections, body: parsed.body, source_file: file };
}

/** Checks that need more than one file: references between entries and to fixture folders. */
function crossCheck(root: string, tools: Loaded<ToolEntry>[], attestors: Loaded<AttestorEntry>[]): Problem[] {
  const problems: Problem[] = [];
  const attestorNames = new Set(attestors.map((a) => a.entry.name));
  const predicateTypes = new Set(attestors.map((a) => a.entry.predicate_type));
  const at = (file: string, p: (string | number)[], message: string): Problem => {
    const source = parseYamlSource(file, readFileSync(path.join(root, file), 'utf8'));
    return { file, ...source.locate(p), path: formatPath(p), message };
  };
  for (const { entry, source_file } of tools) {
    if (attestorNames.has(entry.name)) {
      problems.push(at(source_file, ['name'], `"${entry.name}" is also an attestor name; tool and attestor names must differ`));
    }
    entry.emits_formats.forEach((format, i) => {
      if (!attestorNames.has(format)) {
        problems.push(at(source_file, ['emits_formats', i], `"${format}" is not an attestor in catalog/attestors (known: ${[...attestorNames].sort().join(', ')})`));
      }
    });
    for (const key of Object.keys(entry.captured)) {
      if (!attestorNames.has(key)) problems.push(at(source_file, ['captured', key], `"${key}" is not an attestor in catalog/attestors`));
    }
    entry.examples.forEach((example, i) => {
      if (example.fixtures && !existsSync(path.join(root, `catalog/tools/${entry.name}`, example.fixtures))) {
        problems.push(at(source_file, ['examples', i, 'fixtures'], `folder "${example.fixtures}" does not exist in catalog/tools/${entry.name}`));
      }
      example.expect.predicate_types.forEach((type, j) => {
        if (!predicateTypes.has(type)) {
          problems.push(at(source_file, ['examples', i, 'expect', 'predicate_types', j], `no attestor in catalog/attestors has predicate type ${type}`));
        }
      });
    });
  }
  return problems;
}

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.path.localeCompare(b.path));
}
