/**
 * Property-based: a doc.md of any content ends in a loaded doc or located problems (line and
 * column inside the file), never in an uncaught error: facts, front matter and headings included.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDoc, parseEntry } from '../../src/catalog/load.js';
import type { Problem } from '../../src/catalog/problems.js';
import { ToolSchema } from '../../src/catalog/schema.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const file = 'catalog/tools/flawfinder/doc.md';
const entry = parseEntry('catalog/tools/flawfinder/tool.yaml', readFileSync(path.join(repoRoot, 'catalog/tools/flawfinder/tool.yaml'), 'utf8'), ToolSchema).entry!;

/** Fragments that steer random text towards the corners: front matter, headings, handlebars, fences. */
const fragment = fc.constantFrom('---\n', 'title: x\n', 'description: ', 'sidebar_position: 1\n', '## FAQ\n', '## See also\n', '## Validated invocation\n', '# ', '\n', '{{', '}}', '{{fact "upstream.name"}}', '{{fact "x.y"}}', '{{#if a}}', '{{/if}}', '{{> p}}', '{{!c}}', '\\{{', '"', '```\n', '[', ']', ': ', '\r\n', '\t', 'x');
const docText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.array(fragment, { maxLength: 80 }).map((parts) => parts.join('')));

describe('loadDoc on arbitrary text', () => {
  it('returns a doc or problems located within the file, and never throws', () => {
    fc.assert(
      fc.property(docText, fc.boolean(), (text, documented) => {
        const problems: Problem[] = [];
        const doc = loadDoc(file, text, entry, problems, documented);
        expect(doc !== undefined || problems.length > 0).toBe(true);
        const lines = text.split('\n').length;
        for (const p of problems) {
          expect(p.file).toBe(file);
          expect(p.line, p.message).toBeGreaterThanOrEqual(1);
          expect(p.line, p.message).toBeLessThanOrEqual(lines + 1);
          expect(p.col).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 400 },
    );
  }, 120_000);
});
