/**
 * Markdown from the catalog becomes MDX: parsed as plain Markdown (remark + GFM) and printed by the
 * MDX serializer, which escapes `{`, `<` and friends wherever MDX would read them as code. Also
 * used to rewrite doc-local anchors and to lint pages.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkStringify from 'remark-stringify';
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { diskCache, sha256 } from './disk-cache.js';

const stringifyOptions = { bullet: '-', emphasis: '_', strong: '*', fences: true, rule: '-', listItemIndent: 'one', incrementListMarker: true } as const;

const toMdxProcessor = unified().use(remarkParse).use(remarkGfm).use(remarkMdx).use(remarkStringify, stringifyOptions);
const mdParser = unified().use(remarkParse).use(remarkGfm);

/** The same text recurs across pages and runs (descriptions, table cells): convert each once. */
const cache = diskCache<string>('markdown-to-mdx', ['generator/markdown.ts']);

/** Keeps this run's conversions for the next one. */
export function saveMarkdownCache(): void {
  cache.save();
}

/** Text with none of these characters reads the same in Markdown and MDX. */
const PLAIN = /^[^{}<>|\\`*_[\]&#!~\n]*$/;

export function markdownToMdx(markdown: string): string {
  if (PLAIN.test(markdown) && !/^\s*([-+]|\d+[.)])\s/.test(markdown)) return markdown.trim();
  const key = sha256(markdown);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const out = convert(markdown);
  cache.set(key, out);
  return out;
}

function convert(markdown: string): string {
  const tree = mdParser.parse(markdown) as Root;
  // Raw HTML in catalog Markdown would be read as JSX by MDX: show it as text instead.
  visit(tree, 'html', (node) => {
    (node as { type: string }).type = 'text';
  });
  return String(toMdxProcessor.stringify(tree)).trimEnd();
}

/** Text for one inline spot (a table cell, a label): Markdown inline syntax kept, MDX specials escaped. */
export function inlineToMdx(text: string): string {
  return markdownToMdx(text).replace(/\n+/g, ' ').replace(/\|/g, '\\|');
}

/** A fenced code block whose content is printed byte for byte (the fence grows past any backtick run inside). */
export function codeBlock(lang: string, meta: string, content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}${meta ? ` ${meta}` : ''}\n${content}\n${fence}`;
}
