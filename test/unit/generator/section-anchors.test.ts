/**
 * One slug: every section `cilock tools show NAME --section SLUG` accepts is an anchor of the
 * entry's page, with the ids Astro gives the headings (its own rehypeHeadingIds over the generated
 * MDX, as the site build runs it), and the generator's link checker slugs the same way.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rehypeHeadingIds } from '@astrojs/markdown-remark';
import type { Root } from 'hast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { slugify } from '../../../generator/slug.js';
import { slugify as catalogSlugify } from '../../../src/catalog/doc.js';
import { builtContract } from '../../lib/contract.js';
import { cilock, repoRoot } from '../cli/cli-helpers.js';

const exported = builtContract().check('tools-export', JSON.parse(cilock(['tools', 'export', '--format', 'json']).stdout), 'cilock tools export');

async function pageAnchors(file: string): Promise<string[]> {
  const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkMdx).use(remarkRehype).use(rehypeHeadingIds);
  const vfile = new VFile({ path: file, value: readFileSync(file, 'utf8') });
  const tree = (await processor.run(processor.parse(vfile), vfile)) as Root;
  const ids: string[] = [];
  visit(tree, 'element', (node) => {
    if (/^h[1-6]$/.test(node.tagName) && typeof node.properties.id === 'string') ids.push(node.properties.id);
  });
  return ids;
}

describe('section slugs are the page anchors', () => {
  const documented = Object.values(exported.show).filter((e) => e.doc);

  it.each(documented.map((e) => [e.name, e] as const))('%s', async (name, entry) => {
    const area = entry.source === 'attestor-backed' ? 'attestors' : 'tools';
    const anchors = await pageAnchors(path.join(repoRoot, 'site/src/content/docs', area, `${name}.mdx`));
    const slugs = entry.doc!.sections.map((s) => s.slug).filter((s) => s !== 'overview');
    expect(slugs.filter((s) => !anchors.includes(s))).toEqual([]);
  });

  it('one rule in the binary and the generator, including headings the old rules split on', () => {
    for (const title of ['C/C++ sources', 'Tracing (`--trace`)', 'Notes —', 'Ünïcode Ä', 'What gets captured']) expect(catalogSlugify(title), title).toBe(slugify(title));
    expect(slugify('C/C++ sources')).toBe('cc-sources');
    expect(slugify('Tracing (`--trace`)')).toBe('tracing---trace');
  });

  it('tools show --section takes the page anchor', () => {
    const r = cilock(['tools', 'show', 'command-run', '--section', 'tracing---trace']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('--trace');
  });
});
