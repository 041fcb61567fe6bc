/** Walks a predicate tree without pulling in the schema library (the CLI's hot path stays light). */
import { definitionOf, PREDICATE_KEYS, type Predicate, type PredicateKey } from '../detection/predicate-table.js';

/** Yields [path, key] for every predicate key in a tree (depth first). */
export function* findKeys(p: Predicate, path: (string | number)[]): Generator<[(string | number)[], PredicateKey]> {
  for (const [node, at] of walk(p, path)) {
    for (const key of PREDICATE_KEYS) if (node[key] !== undefined) yield [at, key];
  }
}

/**
 * Yields every node of a tree with its path (depth first), through each entry's `children`.
 * Tolerates values that failed validation (the schema's entry-level checks walk those too).
 */
export function* walk(p: Predicate, path: (string | number)[]): Generator<[Predicate, (string | number)[]]> {
  if (typeof p !== 'object' || p === null) return;
  yield [p, path];
  for (const key of PREDICATE_KEYS) {
    const value = p[key];
    const children = value === undefined ? undefined : definitionOf(key).children?.(value);
    if (!Array.isArray(children)) continue;
    const many = Array.isArray(value);
    for (const [i, child] of children.entries()) yield* walk(child, many ? [...path, key, i] : [...path, key]);
  }
}
