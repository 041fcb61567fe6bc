/**
 * The `cilock run` line a plan suggests: the step its fired entries imply (upstream's rule), the
 * attestors `run` accepts for them, and the trace and exit-code flags they call for.
 */
import { SPECIALIZED_CATEGORIES } from '../catalog/categories.js';
import { findEntry, type CompiledCatalog } from '../catalog/compiled.js';
import type { Fire, PlanResult } from './plan.js';
import { formatCommand } from './suggest.js';
import { recommendTrace } from './trace-advice.js';

/** The signing key and outfile a caller wants in the suggested `cilock run` line. */
export interface RunFlags {
  /** Instead of the `<key.pem>` placeholder. */
  keyPath?: string;
  /** Adds `--outfile FILE`; without it the suggestion writes the attestation to stdout. */
  outfile?: string;
}

/** The `cilock run` line the fired entries call for: step, attestors, trace and exit-code flags. */
export function suggestRunLine(fire: Fire[], catalog: CompiledCatalog, argv: string[], flags: RunFlags): { trace: PlanResult['trace_recommendation']; ignoreExit: boolean; suggested: PlanResult['suggested_run'] } {
  const trace = recommendTrace(fire, catalog);
  const ignoreExit = fire.some((f) => findEntry(catalog, f.attestor)?.kind === 'tool' && (findEntry(catalog, f.attestor) as { exits_nonzero_on_findings?: boolean }).exits_nonzero_on_findings === true);
  const attestations = suggestedAttestorsFromFires(fire, catalog);
  const step = inferStep(fire, catalog) ?? '<step>';
  const runLine = (traced: boolean) => [
    'cilock run',
    ...(traced ? ['--trace'] : []),
    `-s ${step}`,
    `--signer-file-key-path ${flags.keyPath === undefined ? '<key.pem>' : formatCommand([flags.keyPath])}`,
    ...(flags.outfile === undefined ? [] : [`--outfile ${formatCommand([flags.outfile])}`]),
    ...(ignoreExit ? ['--ignore-command-exit-code'] : []),
    ...(attestations.length ? [`-a ${attestations.join(',')}`] : []),
    '--',
    formatCommand(argv),
  ].join(' ');
  return { trace, ignoreExit, suggested: { step, attestations, command: runLine(false), ...(trace.mode !== 'off' ? { traced_command: runLine(true) } : {}) } };
}

/**
 * The attestors `cilock run -a` should get: fired attestors that this binary can run, and for a
 * fired tool the format attestors it feeds (kubescape → sarif). Never a name `run` would reject.
 */
export function suggestedAttestorsFromFires(fire: readonly { attestor: string }[], catalog: CompiledCatalog): string[] {
  const out = new Set<string>();
  for (const f of fire) {
    const entry = findEntry(catalog, f.attestor);
    if (!entry) continue;
    const names = entry.kind === 'tool' ? entry.emits_formats : [entry.name];
    for (const name of names) {
      const attestor = findEntry(catalog, name);
      if (attestor?.kind === 'attestor' && attestor.runnable) out.add(name);
    }
  }
  return [...out].sort();
}

export function suggestedAttestors(plan: PlanResult, catalog: CompiledCatalog): string[] {
  return suggestedAttestorsFromFires(plan.plan.fire, catalog);
}

/**
 * Step inference (upstream's rule): fired entries matched through argv contribute their primary
 * (or sole) category; one distinct category wins, or the only tier-2 one among several.
 */
export function inferStep(fire: Fire[], catalog: CompiledCatalog): string | undefined {
  const cats = new Set<string>();
  for (const f of fire) {
    if (!f.matched_rule.includes('argv')) continue;
    const entry = findEntry(catalog, f.attestor);
    if (!entry || !entry.categories.length) continue;
    cats.add(entry.primary_category ?? entry.categories[0]!);
  }
  if (cats.size === 1) return [...cats][0];
  const tier2 = [...cats].filter((c) => (SPECIALIZED_CATEGORIES as readonly string[]).includes(c));
  if (tier2.length === 1) return tier2[0];
  return undefined;
}
