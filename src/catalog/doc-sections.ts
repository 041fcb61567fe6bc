/**
 * The `##` sections every tool page with validated invocations has, in this order. doc.md supplies
 * their prose; the generator fills the first, second and fourth from the entry's facts. One
 * definition for the catalog check, the page lint and the scaffold (`npm run new:tool`).
 */
export interface CanonicalSection {
  /** The heading as the scaffold writes it. */
  title: string;
  /** Headings accepted for it (a single example may say "Validated invocation"). */
  pattern: RegExp;
  /** How messages name the accepted headings. */
  name: string;
  /** What the section holds, for the scaffold's TODO line and the README. */
  holds: string;
}

export const CANONICAL_SECTIONS: readonly CanonicalSection[] = [
  { title: 'Validated invocations', pattern: /^Validated invocations?$/, name: 'Validated invocation(s)', holds: 'one line introducing the examples; each example (title, intro, command, outro) is rendered from tool.yaml' },
  { title: 'What gets captured', pattern: /^What gets captured$/, name: 'What gets captured', holds: "one line; the table of predicate types is rendered from the examples' expectations" },
  { title: 'Why this shape', pattern: /^Why this shape$/, name: 'Why this shape', holds: 'why the command looks the way it does (flags, output file, exit code handling)' },
  { title: 'Validate it locally', pattern: /^Validate it locally$/, name: 'Validate it locally', holds: "one line; the checks and each example's expected output are rendered from tool.yaml" },
  { title: 'FAQ', pattern: /^FAQ$/, name: 'FAQ', holds: 'questions a user of the tool asks, each in bold with its answer' },
  { title: 'See also', pattern: /^See also$/, name: 'See also', holds: 'links: the attestor pages, guides and the upstream project' },
];

export interface HeadingAt {
  text: string;
  line: number;
  col: number;
}

export type SectionProblem =
  | { kind: 'missing'; section: CanonicalSection; /** The heading it belongs before, if any follows. */ before?: HeadingAt }
  | { kind: 'order'; heading: HeadingAt };

/** Missing and out-of-order canonical sections among a page's `##` headings (in document order). */
export function canonicalSectionProblems(headings: readonly HeadingAt[]): SectionProblem[] {
  const problems: SectionProblem[] = [];
  const found = CANONICAL_SECTIONS.map((s) => headings.findIndex((h) => s.pattern.test(h.text)));
  let last = -1;
  found.forEach((at, i) => {
    if (at < 0) {
      const next = found.slice(i + 1).find((j) => j >= 0);
      problems.push({ kind: 'missing', section: CANONICAL_SECTIONS[i]!, ...(next !== undefined ? { before: headings[next]! } : {}) });
    } else if (at < last) problems.push({ kind: 'order', heading: headings[at]! });
    else last = at;
  });
  return problems;
}

export const CANONICAL_ORDER = CANONICAL_SECTIONS.map((s) => s.name).join(', ');
