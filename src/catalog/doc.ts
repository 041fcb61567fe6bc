/**
 * Long-form docs (`doc.md`): front matter plus H2 sections, split with a real Markdown parser so
 * a `## ` inside a code fence never starts a section.
 */
import { slug } from 'github-slugger';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Root, Heading } from 'mdast';
import type { HeadingAt } from './doc-sections.js';

export interface DocSection {
  slug: string;
  title: string;
  markdown: string;
}

export interface ParsedDoc {
  /** The YAML between the `---` lines, unparsed (the loader parses it with positions). */
  frontMatter?: string;
  sections: DocSection[];
  /** The `##` headings with their positions in the text, for located problems. */
  headings: HeadingAt[];
  body: string;
}

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

/** The heading's anchor on the site: github-slugger with one trailing "-" dropped, as Astro gives headings their ids. */
export function slugify(title: string): string {
  return slug(title.trim()).replace(/-$/, '');
}

export function parseDoc(text: string): ParsedDoc {
  const source = text.replace(/\r\n/g, '\n');
  const tree = parser.parse(source) as Root;
  let frontMatter: string | undefined;
  let bodyStart = 0;
  const first = tree.children[0];
  if (first?.type === 'yaml') {
    frontMatter = first.value;
    bodyStart = first.position?.end.offset ?? 0;
  }
  const headings = tree.children.filter((n): n is Heading => n.type === 'heading' && n.depth === 2);
  const sections: DocSection[] = [];
  const located: HeadingAt[] = [];
  const firstHeadingOffset = headings[0]?.position?.start.offset ?? source.length;
  const overview = source.slice(bodyStart, firstHeadingOffset).trim();
  if (overview) sections.push({ slug: 'overview', title: 'Overview', markdown: overview });
  headings.forEach((heading, i) => {
    const start = heading.position?.start.offset ?? 0;
    const end = headings[i + 1]?.position?.start.offset ?? source.length;
    const headingText = source.slice(start, heading.position?.end.offset ?? start).replace(/^##\s+/, '').trim();
    sections.push({ slug: slugify(headingText), title: headingText, markdown: source.slice(start, end).trim() });
    located.push({ text: headingText, line: heading.position?.start.line ?? 1, col: heading.position?.start.column ?? 1 });
  });
  return { ...(frontMatter !== undefined ? { frontMatter } : {}), sections, headings: located, body: source.slice(bodyStart).trim() };
}
