/** Which trace mode a plan recommends, and why, from the fired entries' `recommended_trace`. */
import { findEntry, type CompiledCatalog } from '../catalog/compiled.js';
import type { Fire, PlanResult } from './plan.js';

const TRACE_RANK = { off: 0, light: 1, full: 2 } as const;

/** Why tracing is recommended, for `plan` and `run`: `npm-install (light)`, joined; undefined when no fired entry asks for it. */
export function traceAdvice(trace: PlanResult['trace_recommendation']): string | undefined {
  if (trace.mode === 'off') return undefined;
  const asking = Object.entries(trace.reasons).filter(([, mode]) => mode !== 'off');
  return asking.map(([name, mode]) => `${name} (${mode})`).join(', ');
}

export function recommendTrace(fire: Fire[], catalog: CompiledCatalog): PlanResult['trace_recommendation'] {
  let mode: 'off' | 'light' | 'full' = 'off';
  const reasons: Record<string, string> = {};
  for (const f of fire) {
    const m = findEntry(catalog, f.attestor)?.recommended_trace?.mode ?? 'off';
    reasons[f.attestor] = m;
    if (TRACE_RANK[m] > TRACE_RANK[mode]) mode = m;
  }
  return { mode, reasons };
}

