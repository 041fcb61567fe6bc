/**
 * Evaluates one predicate tree against an invocation. Each evaluation returns whether it matched
 * and a rule string (upstream's format) that says why: `argv_prefix:kubescape`,
 * `any_of[1]:env_set:CI`, `argv_prefix:miss[0]:echo!=kubescape`. What each key means is its
 * entry in ./predicate-table.ts.
 */
import { definitionOf, nodeOf, type EvalContext, type EvalResult, type Predicate } from './predicate-table.js';

export { countPositionals, type EvalContext, type EvalResult } from './predicate-table.js';

export function evaluate(p: Predicate, ctx: EvalContext): EvalResult {
  const node = nodeOf(p);
  if (!node) return { match: false, rule: 'empty-predicate' };
  return definitionOf(node.key).evaluate(node.value, ctx, evaluate);
}
