/**
 * Loads and validates the catalog source tree (`catalog/tools/<name>/tool.yaml`,
 * `catalog/attestors/<name>/attestor.yaml`, optional `doc.md` beside each). Every problem in every
 * file is collected before failing, each located as `file:line:col path: message`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { AttestorSchema, DocFrontMatterSchema, ToolSchema, type AttestorEntry, type DocFrontMatter, type ToolEntry } from './schema.js';
import { parseDoc, type DocSection, type ParsedDoc } from './doc.js';
import { CANONICAL_ORDER, canonicalSectionProblems, type HeadingAt } from './doc-sections.js';
import { expandFacts, factProblems } from './facts.js';
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

/**
 * Remembers per-file results between runs (`npm run catalog:check` keeps one on disk): a value is
 * stored under everything it was computed from, so an unchanged file is not parsed again.
 */
export interface ResultCache {
  get(parts: readonly string[]): unknown;
  set(parts: readonly string[], value: unknown): void;
}

const NO_CACHE: ResultCache = { get: () => undefined, set: () => {} };

function cached<T>(cache: ResultCache, parts: readonly string[], compute: () => T): T {
  const hit = cache.get(parts);
  if (hit !== undefined) return hit as T;
  const value = compute();
  cache.set(parts, value);
  return value;
}

/** `root` is the repo root; paths in problems are relative to it. */
export function loadCatalog(root: string, cache: ResultCache = NO_CACHE): LoadedCatalog {
  const problems: Problem[] = [];
  const tools = loadKind(root, 'tools', ToolSchema, problems, cache);
  const attestors = loadKind(root, 'attestors', AttestorSchema, problems, cache);
  problems.push(...crossCheck(root, tools, attestors));
  if (problems.length) throw new CatalogError(sortProblems(problems));
  return { tools, attestors };
}

function loadKind<S extends z.ZodType>(root: string, kind: Kind, schema: S, problems: Problem[], cache: ResultCache): Loaded<z.output<S>>[] {
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
    const text = readFileSync(path.join(root, file), 'utf8');
    const facts = cached(cache, [kind, file, text], () => loadFacts(file, name, text, schema));
    problems.push(...facts.problems);
    if (facts.entry === undefined) continue;
    const entry = facts.entry;
    const docFile = `${dir}/doc.md`;
    const docAbs = path.join(root, docFile);
    const documented = kind === 'tools' && ((entry as { examples?: unknown[] }).examples ?? []).length > 0;
    let doc: LoadedDoc | undefined;
    if (existsSync(docAbs)) {
      const raw = readFileSync(docAbs, 'utf8');
      const result = cached(cache, ['doc', docFile, String(documented), JSON.stringify(entry), raw], () => {
        const docProblems: Problem[] = [];
        return { doc: loadDoc(docFile, raw, entry, docProblems, documented), problems: docProblems };
      });
      problems.push(...result.problems);
      doc = result.doc;
    }
    out.push({ entry, dir, source_file: file, ...(doc ? { doc } : {}) });
  }
  return out;
}

/** One facts file validated, and its name checked against its folder's. */
function loadFacts<S extends z.ZodType>(file: string, folder: string, text: string, schema: S): { entry?: z.output<S> & { name: string }; problems: Problem[] } {
  const { source, entry: parsed, problems } = parseEntry(file, text, schema);
  if (parsed === undefined) return { problems };
  const entry = parsed as z.output<S> & { name: string };
  if (entry.name !== folder) problems.push({ file, ...source.locate(['name']), path: 'name', message: `"${entry.name}" must equal the folder name "${folder}" (rename one of them)` });
  return { entry, problems };
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

/**
 * Validates `file` (a doc.md) against its entry: `{{fact}}` references, front matter, distinct
 * section slugs and, for a tool with validated invocations, the canonical sections in order. Every
 * problem is located in doc.md itself.
 */
export function loadDoc(file: string, raw: string, entry: object, problems: Problem[], documented: boolean): LoadedDoc | undefined {
  const factIssues = factProblems(raw, entry);
  if (factIssues.length) {
    problems.push(...factIssues.map((p) => ({ file, line: p.line, col: p.col, path: '', message: p.message })));
    return undefined;
  }
  let text: string;
  try {
    text = expandFacts(raw, entry);
  } catch (err) {
    problems.push({ file, line: 1, col: 1, path: '', message: (err as Error).message });
    return undefined;
  }
  const parsed = parseDoc(text);
  // Positions come from the file as written; they differ from the expanded text's only when a fact spans lines.
  const written = text === raw ? parsed : parseDoc(raw);
  if (parsed.frontMatter === undefined) {
    problems.push({ file, line: 1, col: 1, path: '', message: 'missing front matter (start the file with ---, then title, description, sidebar_position, then ---)' });
    return undefined;
  }
  const before = problems.length;
  const frontMatter = frontMatterOf(file, parsed, written, problems);
  const seen = new Set<string>();
  // The overview (text before the first heading), when there is one, is the section without a heading.
  const overview = parsed.sections.length - parsed.headings.length;
  parsed.sections.forEach((s, i) => {
    const heading = written.headings[i - overview];
    if (seen.has(s.slug)) problems.push({ file, line: heading?.line ?? 1, col: heading?.col ?? 1, path: '', message: `two sections share the slug "${s.slug}" (rename one heading)` });
    seen.add(s.slug);
  });
  if (documented) problems.push(...sectionProblems(file, raw, written.headings));
  if (problems.length > before || frontMatter === undefined) return undefined;
  return { ...frontMatter, sections: parsed.sections, body: parsed.body, source_file: file };
}

/** The front matter through the located YAML parser and its schema, problems at their doc.md lines. */
function frontMatterOf(file: string, parsed: ParsedDoc, written: ParsedDoc, problems: Problem[]): DocFrontMatter | undefined {
  // Front matter opens with `---` on line 1, so its YAML's line 1 is the file's line 2.
  const shift = (p: Problem): Problem => ({ ...p, line: p.line + 1 });
  const source = parseYamlSource(file, parsed.frontMatter ?? '');
  if (source.problems.length) {
    problems.push(...source.problems.map(shift));
    return undefined;
  }
  const fm = DocFrontMatterSchema.safeParse(source.data, { error: requiredMessage });
  if (fm.success) return fm.data;
  const locatedIn = written === parsed ? source : parseYamlSource(file, written.frontMatter ?? '');
  problems.push(...issuesToProblems(locatedIn, fm.error.issues).map((p) => shift({ ...p, message: p.message.replace('the allowed keys are in catalog/schema/', 'doc.md front matter allows title, description and sidebar_position') })));
  return undefined;
}

/** Missing or misplaced canonical sections, at the heading they belong before (or the end of the file). */
function sectionProblems(file: string, text: string, headings: HeadingAt[]): Problem[] {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const end = { line: lines.length, col: (lines.at(-1)?.length ?? 0) + 1 };
  return canonicalSectionProblems(headings).map((p): Problem => {
    if (p.kind === 'order') return { file, line: p.heading.line, col: p.heading.col, path: '', message: `"## ${p.heading.text}" is out of order (the sections of a tool page with validated invocations: ${CANONICAL_ORDER})` };
    const where = p.before ? `add it before "## ${p.before.text}"` : 'add it at the end';
    return { file, ...(p.before ? { line: p.before.line, col: p.before.col } : end), path: '', message: `missing the "## ${p.section.title}" section (${where}; it holds ${p.section.holds})` };
  });
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
