/** Flattens detection predicates into the `triggers` list the `tools` surfaces show. */
import type { CompiledEntry } from '../catalog/compiled.js';
import { definitionOf, nodeOf, type Predicate, type PredicateKey } from '../detection/predicate-table.js';
import type { Trigger } from './contract.js';


/** A trigger with the predicate key it renders (the test plan looks its case up by key). */
export interface KeyedTrigger extends Trigger {
  key: PredicateKey;
}

/** One trigger per leaf, composers flattened depth first (each entry says whether it shows), pre then post. */
export function triggersOf(entry: CompiledEntry): Trigger[] {
  return keyedTriggersOf(entry).map(({ gate, kind, value }) => ({ gate, kind, value }));
}

export function keyedTriggersOf(entry: CompiledEntry): KeyedTrigger[] {
  const out: KeyedTrigger[] = [];
  if (entry.pre) leaves(entry.pre.match, 'pre', out);
  if (entry.post) leaves(entry.post.match, 'post', out);
  return out;
}

function leaves(p: Predicate, gate: Trigger['gate'], out: KeyedTrigger[]): void {
  const node = nodeOf(p);
  if (!node) return;
  const def = definitionOf(node.key);
  if (def.trigger === 'flatten') for (const child of def.children?.(node.value) ?? []) leaves(child, gate, out);
  else if (def.trigger) out.push({ gate, key: node.key, kind: def.trigger.kind ?? node.key, value: def.trigger.value(node.value) });
}
