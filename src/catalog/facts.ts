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
