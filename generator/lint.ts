/**
 * Page rules, checked with remark on every generated page (and by --check): a quotable
 * description, no copy antipattern, no placeholders or TODOs, every `cilock` block tied to a
 * catalog example or detection check, every internal link resolving. All violations at once.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkMdx from 'remark-mdx';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { visit } from 'unist-util-visit';
import { toString } from 'mdast-util-to-string';
import { parse as parseYaml } from 'yaml';
import type { Code, Heading, Link, Root, Yaml } from 'mdast';
import { slugify } from './slug.js';

export interface Violation {
  file: string;
  line: number;
  rule: string;
  message: string;
}

export interface LintContext {
  /** Site paths that exist, e.g. `/tools/kubescape/`. */
  pages: Set<string>;
  /** `tool/example-id` pairs the catalog defines. */
  exampleIds: Set<string>;
  /** Names with a detection check. */
  detectionIds: Set<string>;
}

const COPY_ANTIPATTERN = /\b(?:ba)?sh\s+-c\s+["'][^"']*\bcp\s/;
const PLACEHOLDER = /<[a-z][a-z0-9._-]*>|\bTODO\b|\bFIXME\b|\byour-[a-z]/i;
/** What `npm run new:tool` leaves to be written; a page holding one is not finished. */
const TODO = /\bTODO\b/;

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkMdx);

export function lintPage(file: string, content: string, ctx: LintContext): Violation[] {
  const tree = parser.parse(content) as Root;
  const out: Violation[] = [];
  const add = (line: number | undefined, rule: string, message: string) => out.push({ file, line: line ?? 1, rule, message });

  const fm = tree.children.find((n): n is Yaml => n.type === 'yaml');
  const data = (fm ? parseYaml(fm.value) : {}) as { description?: string };
  const words = (data.description ?? '').split(/\s+/).filter(Boolean).length;
  if (words < 20 || words > 40) add(fm?.position?.start.line, 'description', `front-matter description has ${words} words; write one sentence of 20–40`);
  for (const [key, text] of stringLeaves(data)) {
    if (TODO.test(text)) add(fm?.position?.start.line, 'todo', `front-matter ${key} is unfinished: "${excerpt(text)}"`);
  }
  visit(tree, (node) => node.type === 'text' || node.type === 'inlineCode', (node) => {
    const { value, position } = node as { value: string; position?: { start: { line: number } } };
    if (TODO.test(value)) add(position?.start.line, 'todo', `unfinished text: "${excerpt(value)}" (write it in the doc.md or tool.yaml named in the banner)`);
  });

  // The canonical sections are the catalog's to check, at their place in doc.md (the binary's
  // catalog was validated when it was built); the page only needs its anchors.
  const anchors = new Set<string>();
  visit(tree, 'heading', (h: Heading) => {
    anchors.add(slugify(toString(h)));
  });

  visit(tree, 'code', (code: Code) => {
    const line = code.position?.start.line;
    if (COPY_ANTIPATTERN.test(code.value)) add(line, 'copy-antipattern', 'a shell wrapper copies the report (bash -c "cp …"): let the tool write its own file');
    // Shell blocks only: `text` blocks hold help output and expected results, not commands.
    if (!['bash', 'sh', 'shell', 'console', null, undefined].includes(code.lang)) return;
    if (!/(^|\s)cilock /.test(code.value.split('\n')[0] ?? '')) return;
    if (PLACEHOLDER.test(code.value)) add(line, 'placeholder', `command has a placeholder: ${code.value.match(PLACEHOLDER)?.[0]}`);
    const meta = code.meta ?? '';
    const example = /example="([^"]+)"/.exec(meta)?.[1];
    const detection = /detection="([^"]+)"/.exec(meta)?.[1];
    const run = /run="([^"]+)"/.exec(meta)?.[1];
    if (example && !ctx.exampleIds.has(example)) add(line, 'example-id', `example "${example}" is not in the catalog`);
    else if (detection && !ctx.detectionIds.has(detection)) add(line, 'example-id', `detection check "${detection}" is not in the catalog`);
    else if (!example && !detection && !run) add(line, 'example-id', 'a cilock command block must come from a catalog example (meta example="tool/id", detection="tool" or run="tool")');
  });

  visit(tree, 'link', (link: Link) => {
    const url = link.url;
    const line = link.position?.start.line;
    if (url.startsWith('#')) {
      if (!anchors.has(url.slice(1))) add(line, 'link', `no heading on this page for ${url}`);
    } else if (url.startsWith('/')) {
      const pathname = url.split('#')[0]!.replace(/\/?$/, '/');
      if (!ctx.pages.has(pathname)) add(line, 'link', `internal link ${url} does not resolve to a page`);
    }
  });
  return out;
}

/** The site's data files carry catalog facts the pages show (the fact box): a TODO there is unfinished too. */
export function lintData(file: string, content: string): Violation[] {
  return content.split('\n').flatMap((line, i) => (TODO.test(line) ? [{ file, line: i + 1, rule: 'todo', message: `unfinished catalog value: ${line.trim().slice(0, 100)} (write it in the tool.yaml it comes from)` }] : []));
}

/** `[dotted.key, text]` for every string in a front-matter value. */
function stringLeaves(value: unknown, key = ''): [string, string][] {
  if (typeof value === 'string') return [[key, value]];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, key ? `${key}.${k}` : k));
}

const excerpt = (text: string) => {
  const at = text.search(TODO);
  const line = text.slice(at).split('\n')[0]!;
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
};

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line} ${v.rule}: ${v.message}`;
}
