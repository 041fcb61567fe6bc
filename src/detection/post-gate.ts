/**
 * The post gate: after a traced run, which catalog entries the run itself shows. Every entry's
 * post rules are evaluated against the run (the programs it executed, its products, its exit
 * code), and an entry detected by its command line (an argv predicate in its pre gate) is also
 * looked for among the executed programs, so a scanner started by `make`, a script or `npm run`
 * is found although the wrapped command line never names it. Entries that fired before the run
 * are not evaluated again.
 */
import type { CompiledCatalog } from '../catalog/compiled.js';
import { findKeys } from '../catalog/predicate-walk.js';
import type { Predicate } from '../catalog/schema.js';
import { suggestedAttestorsFromFires } from './run-line.js';
import { PREDICATES } from './predicate-table.js';
import { evaluate, type EvalContext } from './predicates.js';

export interface PostGateInput {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** The argv of every program the traced command executed, in order. */
  execs: readonly (readonly string[])[];
  products: string[];
  exitCode: number;
  /** Entries that fired in the pre gate. */
  preFired: ReadonlySet<string>;
}

export interface PostFire {
  attestor: string;
  gate: 'post';
  matched_rule: string;
  evidence: { trace_mode: 'strace'; exec_count: number; product_count: number; exit_code: number };
}

export interface PostGateResult {
  fire: PostFire[];
  /** Format attestors the fired entries feed (a scanner → sarif), only names `run` can attach. */
  attestations: string[];
}

function readsArgv(match: Predicate): boolean {
  for (const [, key] of findKeys(match, [])) if (PREDICATES[key].readsArgv) return true;
  return false;
}

export function postGate(input: PostGateInput, catalog: CompiledCatalog): PostGateResult {
  const ctx: EvalContext = { argv: input.argv, env: { ...input.env }, cwd: input.cwd, envKeysObserved: new Set(), probes: new Map(), products: input.products, exitCode: input.exitCode, execs: input.execs };
  const evidence = { trace_mode: 'strace' as const, exec_count: input.execs.length, product_count: input.products.length, exit_code: input.exitCode };
  const fire: PostFire[] = [];
  for (const entry of catalog.entries) {
    if (input.preFired.has(entry.name)) continue;
    const rules: Predicate[] = [];
    if (entry.post) rules.push(entry.post.match);
    if (entry.pre && readsArgv(entry.pre.match)) rules.push({ exec_observed: entry.pre.match });
    for (const rule of rules) {
      const result = evaluate(rule, ctx);
      if (result.match) {
        fire.push({ attestor: entry.name, gate: 'post', matched_rule: result.rule, evidence });
        break;
      }
    }
  }
  return { fire, attestations: suggestedAttestorsFromFires(fire, catalog) };
}
