/**
 * Catalog detection for `cilock run`: which attestors to attach when -a is absent (kubescape →
 * sarif, a checkout → git, …) and which step name to use when --step is absent. Detection is
 * advisory: if the catalog cannot be loaded, the run goes on with the defaults and says so.
 */
import type { CompiledCatalog } from '../catalog/compiled.js';
import type { PlanInput, PlanResult } from '../detection/plan.js';
import { SELECTABLE_ATTESTORS } from '../attestors/registry.js';

export interface DetectionDeps {
  loadCatalog(): CompiledCatalog | Promise<CompiledCatalog>;
  planInvocation(input: PlanInput, catalog: CompiledCatalog): Promise<PlanResult>;
  traceAdvice?(trace: PlanResult['trace_recommendation']): string | undefined;
  suggestedAttestors(plan: PlanResult, catalog: CompiledCatalog): string[];
  inferStep(fire: PlanResult['plan']['fire'], catalog: CompiledCatalog): string | undefined;
}

export interface Detection {
  /** Attestors to attach (only names this cilock can run), in suggestion order. */
  readonly attestors: string[];
  /** Step inferred from the command, when one category matched. */
  readonly step?: string;
  /** What detection found, one line each, for stderr. */
  readonly notes: string[];
  /** Said once by a run without --trace when a fired entry recommends a light or full trace. */
  readonly traceAdvice?: string;
}

/** Attached when -a is absent, before anything detection adds. */
export const DEFAULT_ATTESTORS = ['environment'] as const;

async function defaultDeps(): Promise<DetectionDeps> {
  const [{ loadCompiledCatalog }, { planInvocation }, { suggestedAttestors, inferStep }, { traceAdvice }] = await Promise.all([
    import('../catalog/bundle.js'),
    import('../detection/plan.js'),
    import('../detection/run-line.js'),
    import('../detection/trace-advice.js'),
  ]);
  return { loadCatalog: loadCompiledCatalog, planInvocation, suggestedAttestors, inferStep, traceAdvice };
}

export async function detect(input: PlanInput, deps?: DetectionDeps): Promise<Detection> {
  let catalog: CompiledCatalog;
  let plan: PlanResult;
  let resolved: DetectionDeps;
  try {
    resolved = deps ?? (await defaultDeps());
    catalog = await resolved.loadCatalog();
    plan = await resolved.planInvocation(input, catalog);
  } catch (error) {
    return { attestors: [], notes: [`detection unavailable (${(error as Error).message}); using the defaults`] };
  }
  const suggested = resolved.suggestedAttestors(plan, catalog);
  const attestors = suggested.filter((name) => SELECTABLE_ATTESTORS.includes(name));
  const ignored = suggested.filter((name) => !SELECTABLE_ATTESTORS.includes(name));
  const fired = plan.plan.fire.map((fire) => `${fire.attestor} (${fire.matched_rule})`);
  const notes = [fired.length > 0 ? `detection fired: ${fired.join(', ')}` : 'detection fired: nothing'];
  if (ignored.length > 0) notes.push(`detection suggested ${ignored.join(', ')}, which this cilock cannot run; ignored`);
  const step = resolved.inferStep(plan.plan.fire, catalog);
  const askedBy = resolved.traceAdvice?.(plan.trace_recommendation);
  const traceAdvice = askedBy ? `tracing is recommended for this command by ${askedBy}: rerun with --trace to record every process it starts and the files each reads and writes` : undefined;
  return { attestors, notes, ...(step !== undefined ? { step } : {}), ...(traceAdvice ? { traceAdvice } : {}) };
}

/** The attestor list for a run: -a exactly when given, otherwise the defaults plus detection. */
export function chooseAttestors(requested: readonly string[] | undefined, detection: Detection | undefined): { names: string[]; note?: string } {
  if (requested !== undefined) return { names: [...requested] };
  const names = [...new Set<string>([...DEFAULT_ATTESTORS, ...(detection?.attestors ?? [])])];
  const detected = (detection?.attestors ?? []).filter((name) => !(DEFAULT_ATTESTORS as readonly string[]).includes(name));
  const note = `no -a given: attaching ${DEFAULT_ATTESTORS.join(', ')} (default)${detected.length > 0 ? ` + ${detected.join(', ')} (detected)` : ''}`;
  return { names, note };
}
