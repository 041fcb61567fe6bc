/** doc.md problems are reported where they are in doc.md: line and column of the fact, key or heading. */
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogProblems, repoRoot } from './invalid-fixture.js';

const toolDir = path.join(repoRoot, 'catalog/tools/flawfinder');
const goodDoc = readFileSync(path.join(toolDir, 'doc.md'), 'utf8');
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** The formatted problems of the flawfinder entry with `doc` as its doc.md. */
function problemsFor(doc: string): string[] {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cilock-doc-'));
  roots.push(root);
  cpSync(path.join(repoRoot, 'catalog/attestors'), path.join(root, 'catalog/attestors'), { recursive: true });
  mkdirSync(path.join(root, 'catalog/tools'), { recursive: true });
  cpSync(toolDir, path.join(root, 'catalog/tools/flawfinder'), { recursive: true });
  writeFileSync(path.join(root, 'catalog/tools/flawfinder/doc.md'), doc);
  return catalogProblems(root);
}

/** 1-based line of the first line of `doc` that contains `needle`. */
const lineOf = (doc: string, needle: string) => doc.split('\n').findIndex((l) => l.includes(needle)) + 1;
const file = 'catalog/tools/flawfinder/doc.md';

describe('doc.md problems are located in doc.md', () => {
  it('the real doc has none', () => {
    expect(problemsFor(goodDoc)).toEqual([]);
  });

  it('a {{fact}} with an unknown path: at the expression', () => {
    const doc = goodDoc.replace('examples.c-source.expect.sarif_results', 'examples.c-source.expect.sarif_result');
    const line = lineOf(doc, 'sarif_result"');
    const col = doc.split('\n')[line - 1]!.indexOf('{{') + 1;
    expect(problemsFor(doc)).toEqual([`${file}:${line}:${col} {{fact "examples.c-source.expect.sarif_result"}}: no such fact ("sarif_result" not found); check the path against the entry's YAML`]);
  });

  it('every bad expression at once, each at its place, and an unclosed one at its line', () => {
    const doc = `${goodDoc}\nA {{helper x}} and {{fact upstream.name}}.\n`;
    const line = doc.split('\n').length - 1;
    expect(problemsFor(doc)).toEqual([
      `${file}:${line}:3 only {{fact "path.to.fact"}} is supported in doc.md (write \\{{ for a literal {{)`,
      `${file}:${line}:20 {{fact …}} needs one quoted path, e.g. {{fact "upstream.name"}}`,
    ]);
    const unclosed = `${goodDoc}\n\nOpen {{fact "upstream.name"\n`;
    const [problem, ...rest] = problemsFor(unclosed);
    expect(rest).toEqual([]);
    expect(problem).toMatch(new RegExp(`^${file}:${unclosed.split('\n').length - 1}:1 cannot parse a \\{\\{…\\}\\} expression`));
  });

  it('front-matter problems at their key', () => {
    const doc = goodDoc.replace('sidebar_position: 10', 'sidebar_position: 10\nsidebar_label: Flawfinder');
    expect(problemsFor(doc)).toEqual([`${file}:5:1 sidebar_label: unknown key "sidebar_label" (check the spelling; doc.md front matter allows title, description and sidebar_position)`]);
    const short = goodDoc.replace(/^description: .*$/m, 'description: Too short.');
    expect(problemsFor(short)).toEqual([`${file}:3:1 description: must be one sentence of 20–40 words (has 2)`]);
  });

  it('front matter that is not YAML is a located problem, not a crash', () => {
    const doc = goodDoc.replace('sidebar_position: 10', 'sidebar_position: [10');
    const [problem] = problemsFor(doc);
    expect(problem).toMatch(new RegExp(`^${file}:4:\\d+ YAML: `));
  });

  it('a duplicate section slug at the second heading', () => {
    const doc = goodDoc.replace('## Notes', '## FAQ\n\nEarly.\n\n## Notes');
    // The second one is the page's own FAQ, further down.
    const line = doc.split('\n').lastIndexOf('## FAQ') + 1;
    expect(line).toBeGreaterThan(lineOf(doc, '## Notes'));
    expect(problemsFor(doc)).toContain(`${file}:${line}:1 two sections share the slug "faq" (rename one heading)`);
  });

  it('a missing canonical section at the heading it belongs before, or at the end', () => {
    const noFaq = goodDoc.replace('## FAQ', '## Questions');
    expect(problemsFor(noFaq)).toEqual([
      `${file}:${lineOf(noFaq, '## See also')}:1 missing the "## FAQ" section (add it before "## See also"; it holds questions a user of the tool asks, each in bold with its answer)`,
    ]);
    const noSeeAlso = goodDoc.replace('## See also', '## Links');
    const lines = noSeeAlso.trimEnd().split('\n');
    expect(problemsFor(noSeeAlso)).toEqual([
      `${file}:${lines.length}:${lines.at(-1)!.length + 1} missing the "## See also" section (add it at the end; it holds links: the attestor pages, guides and the upstream project)`,
    ]);
  });

  it('an out-of-order canonical section at its heading', () => {
    // "Why this shape" moved after "Validate it locally": the latter is then the one out of order.
    const doc = goodDoc.replace('## Why this shape', '## Shape').replace('## FAQ', '## Why this shape\n\nLate.\n\n## FAQ');
    expect(problemsFor(doc)).toEqual([
      `${file}:${lineOf(doc, '## Validate it locally')}:1 "## Validate it locally" is out of order (the sections of a tool page with validated invocations: Validated invocation(s), What gets captured, Why this shape, Validate it locally, FAQ, See also)`,
    ]);
  });

  it('a large doc with thousands of bad references lists each one at its line, in bounded time', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `Line ${i}: {{fact "upstream.nope${i}"}} and {{fact "upstream.name"}}.`);
    const doc = `${goodDoc}\n${lines.join('\n')}\n`;
    const first = doc.split('\n').length - lines.length;
    const started = performance.now();
    const problems = problemsFor(doc);
    expect(performance.now() - started).toBeLessThan(60_000); // a hang guard, not a benchmark
    expect(problems).toHaveLength(3000);
    expect(problems[0]).toBe(`${file}:${first}:9 {{fact "upstream.nope0"}}: no such fact ("nope0" not found); check the path against the entry's YAML`);
    expect(problems[2999]).toMatch(new RegExp(`^${file}:${first + 2999}:12 \\{\\{fact "upstream\\.nope2999"`));
  }, 90_000);
});
