/** Walks a predicate tree without pulling in the schema library (the CLI's hot path stays light). */
import type { Predicate } from './schema.js';

/** Yields [path, key] for every predicate key in a tree (depth first). */
export function* findKeys(p: Predicate, path: (string | number)[]): Generator<[(string | number)[], string]> {
  for (const [key, value] of Object.entries(p)) {
    if (value === undefined) continue;
    yield [path, key];
    if (key === 'any_of' || key === 'all_of') {
      for (const [i, child] of (value as Predicate[]).entries()) yield* findKeys(child, [...path, key, i]);
    } else if (key === 'not' || key === 'exec_observed') {
      yield* findKeys(value as Predicate, [...path, key]);
    }
  }
}
