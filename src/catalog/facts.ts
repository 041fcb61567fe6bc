/**
 * Lets long-form docs quote a catalog fact instead of restating it: `{{fact "examples.static-manifests.expect.sarif_results"}}`
 * is replaced at build time by that value, so a fact has one source and prose cannot drift from it.
 */
import Handlebars from 'handlebars';

/** Resolves a dotted path; array elements are addressed by their `id` (or `name`), or by index. */
export function lookupFact(entry: unknown, dotted: string): unknown {
  let node: unknown = entry;
  for (const part of dotted.split('.')) {
    if (Array.isArray(node)) {
      node = node.find((x) => x && typeof x === 'object' && ((x as { id?: string }).id === part || (x as { name?: string }).name === part)) ?? node[Number(part)];
    } else if (node && typeof node === 'object') {
      node = (node as Record<string, unknown>)[part];
    } else {
      node = undefined;
    }
    if (node === undefined) throw new Error(`{{fact "${dotted}"}}: no such fact ("${part}" not found); check the path against the entry's YAML`);
  }
  return node;
}

/** A problem in a doc's `{{…}}` expressions, at its line and column (1-based) in the text. */
export interface FactProblem {
  line: number;
  col: number;
  message: string;
}

interface HbNode {
  type: string;
  loc?: { start: { line: number; column: number } };
  path?: { original?: unknown };
  params?: { type: string; value?: unknown }[];
  program?: { body: HbNode[] };
  inverse?: { body: HbNode[] };
}

/**
 * Every `{{…}}` problem of `text` at once, each where it is: a syntax error, an expression other
 * than `{{fact "path"}}`, or a path the entry does not have.
 */
export function factProblems(text: string, entry: unknown): FactProblem[] {
  if (!text.includes('{{')) return [];
  let ast: { body: HbNode[] };
  try {
    ast = Handlebars.parse(text) as unknown as { body: HbNode[] };
  } catch (err) {
    // Handlebars names the line of a syntax error only in its message ("Parse error on line 3:").
    const message = (err as Error).message;
    const line = Number(/on line (\d+)/.exec(message)?.[1] ?? 1);
    const expecting = /Expecting (.*)$/m.exec(message)?.[1];
    return [{ line, col: 1, message: `cannot parse a {{…}} expression${expecting ? ` (expecting ${expecting})` : ''}; write facts as {{fact "path.to.fact"}}, or \\{{ for a literal {{` }];
  }
  const problems: FactProblem[] = [];
  const walk = (nodes: HbNode[]) => {
    for (const node of nodes) {
      const at = { line: node.loc?.start.line ?? 1, col: (node.loc?.start.column ?? 0) + 1 };
      if (node.type === 'ContentStatement' || node.type === 'CommentStatement') continue;
      if (node.type !== 'MustacheStatement' || node.path?.original !== 'fact') {
        problems.push({ ...at, message: 'only {{fact "path.to.fact"}} is supported in doc.md (write \\{{ for a literal {{)' });
      } else if (node.params?.length !== 1 || node.params[0]!.type !== 'StringLiteral') {
        problems.push({ ...at, message: '{{fact …}} needs one quoted path, e.g. {{fact "upstream.name"}}' });
      } else {
        try {
          lookupFact(entry, String(node.params[0]!.value));
        } catch (err) {
          problems.push({ ...at, message: (err as Error).message });
        }
      }
      if (node.program) walk(node.program.body);
      if (node.inverse) walk(node.inverse.body);
    }
  };
  walk(ast.body);
  return problems;
}

/** Replaces every `{{fact "…"}}`; call it on text `factProblems` found nothing wrong with. */
export function expandFacts(text: string, entry: unknown): string {
  if (!text.includes('{{')) return text;
  const hb = Handlebars.create();
  hb.registerHelper('fact', (dotted: unknown) => {
    if (typeof dotted !== 'string') throw new Error('{{fact …}} needs a quoted path, e.g. {{fact "upstream.name"}}');
    const value = lookupFact(entry, dotted);
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
  return hb.compile(text, { noEscape: true, strict: true })({});
}
