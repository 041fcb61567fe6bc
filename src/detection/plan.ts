/**
 * The pre-gate plan: which catalog entries a command would fire, why, what each warns about, and
 * the `cilock run` line that attaches what they feed (built in run-line.ts). Evaluates every entry in name order, keeps
 * every match, never executes the command, and records which env keys it read (never values).
 */
import type { CompiledCatalog, CompiledEntry } from '../catalog/compiled.js';
import type { Warning } from '../catalog/schema.js';
import { evaluate, type EvalContext } from './predicates.js';
import { applyFix, formatCommand } from './suggest.js';
import { suggestRunLine, type RunFlags } from './run-line.js';
import { invocations, type Invocation } from './unwrap.js';

export interface PlanInput {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** Run cloud-metadata/socket probes (network); off by default. */
  probeCloud?: boolean;
  /** What to put in the suggested run line instead of its placeholders. */
  runFlags?: RunFlags;
}

export interface Fire {
  attestor: string;
  gate: 'pre';
  matched_rule: string;
  llm_hint?: string;
}

export interface Skip {
  attestor: string;
  gate: 'pre';
  cause: 'no-match' | 'post-gate-only';
  reason?: string;
}

export interface PlanWarning {
  attestor: string;
  gate: 'pre';
  code: string;
  severity: Warning['severity'];
  message: string;
  summary?: string;
  original_command?: string;
  suggested_command?: string;
  diff_summary?: string;
  doc_anchor?: string;
  llm_hint?: string;
  extra?: { env_override: Record<string, string> };
}

export interface PlanResult {
  plan: {
    gate: 'pre';
    fire: Fire[];
    skip: Skip[];
    warnings: PlanWarning[];
    inputs: {
      argv: string[];
      env_keys_observed: string[];
      named_probes: Record<string, boolean>;
      trace_mode: 'off';
      exit_code: number;
    };
  };
  trace_recommendation: { mode: 'off' | 'light' | 'full'; reasons: Record<string, string> };
  ignore_exit_code_recommended: boolean;
  /**
   * The `cilock run` line for this command: every name in `attestations` is one `run` accepts.
   * `traced_command` (the same line with `--trace`) is there when a fired entry recommends a light or full trace.
   */
  suggested_run: { step: string; attestations: string[]; command: string; traced_command?: string };
  summary: { fired: string[]; skipped: number; warnings: number };
}

export async function planInvocation(input: PlanInput, catalog: CompiledCatalog): Promise<PlanResult> {
  // Probes touch the network, so their module loads only when asked for.
  const probes = input.probeCloud ? await (await import('./probes.js')).runProbes(catalog.entries) : new Map<string, boolean>();
  const envKeysObserved = new Set<string>();
  // One context per invocation, built once: the caller's env is often `process.env`, whose every
  // read crosses into C++, and copying it per entry × sub-command made long scripts crawl.
  const baseEnv = { ...input.env };
  const candidates = invocations(input.argv).map((inv) => ({ inv, ctx: contextFor(inv, baseEnv, input.cwd, envKeysObserved, probes) }));
  const { fire, skip, warnings } = preGate(catalog, candidates);
  const { trace, ignoreExit, suggested } = suggestRunLine(fire, catalog, input.argv, input.runFlags ?? {});
  return {
    plan: {
      gate: 'pre',
      fire,
      skip,
      warnings,
      inputs: {
        argv: input.argv,
        env_keys_observed: [...envKeysObserved].sort(),
        named_probes: Object.fromEntries([...probes].sort(([a], [b]) => (a < b ? -1 : 1))),
        trace_mode: 'off',
        exit_code: 0,
      },
    },
    trace_recommendation: trace,
    ignore_exit_code_recommended: ignoreExit,
    suggested_run: suggested,
    summary: { fired: fire.map((f) => f.attestor).sort(), skipped: skip.length, warnings: warnings.length },
  };
}

/** Every entry's pre gate against each invocation in turn (the command, then what it wraps); the first match fires. */
function preGate(catalog: CompiledCatalog, candidates: { inv: Invocation; ctx: EvalContext }[]): { fire: Fire[]; skip: Skip[]; warnings: PlanWarning[] } {
  const fire: Fire[] = [];
  const skip: Skip[] = [];
  const warnings: PlanWarning[] = [];
  for (const entry of catalog.entries) {
    if (!entry.pre) {
      if (entry.post) skip.push({ attestor: entry.name, gate: 'pre', cause: 'post-gate-only' });
      continue;
    }
    let firstMiss: string | undefined;
    let fired = false;
    for (const { inv, ctx } of candidates) {
      const result = evaluate(entry.pre.match, ctx);
      if (result.match) {
        const rule = [...inv.via, result.rule].join(':');
        fire.push({ attestor: entry.name, gate: 'pre', matched_rule: rule, ...(entry.llm_hints.on_match ? { llm_hint: entry.llm_hints.on_match } : {}) });
        warnings.push(...warningsFor(entry, inv, ctx));
        fired = true;
        break;
      }
      firstMiss ??= result.rule;
    }
    if (!fired) skip.push({ attestor: entry.name, gate: 'pre', cause: 'no-match', reason: firstMiss ?? 'no-argv' });
  }
  return { fire, skip, warnings };
}

function contextFor(inv: Invocation, env: Record<string, string | undefined>, cwd: string, envKeysObserved: Set<string>, probes: Map<string, boolean>): EvalContext {
  return { argv: inv.argv, env: Object.keys(inv.env).length ? { ...env, ...inv.env } : env, cwd, envKeysObserved, probes };
}

function warningsFor(entry: CompiledEntry, inv: Invocation, ctx: EvalContext): PlanWarning[] {
  const gate = entry.pre!;
  if (!gate.warnings.length) return [];
  if (gate.warn_unless && evaluate(gate.warn_unless, ctx).match) return [];
  const out: PlanWarning[] = [];
  for (const w of gate.warnings) {
    if (w.when && !evaluate(w.when, ctx).match) continue;
    const fix = w.suggested_fix ? applyFix(inv.argv, w.suggested_fix) : undefined;
    const hint = w.llm_hint ?? entry.llm_hints.on_warn;
    out.push({
      attestor: entry.name,
      gate: 'pre',
      code: w.code,
      severity: w.severity,
      message: w.message,
      ...(w.summary ? { summary: w.summary } : {}),
      original_command: formatCommand(inv.argv),
      ...(fix ? { suggested_command: fix.command, diff_summary: fix.diffSummary } : {}),
      ...(w.doc_anchor ? { doc_anchor: w.doc_anchor } : {}),
      ...(hint ? { llm_hint: hint } : {}),
      ...(fix && Object.keys(fix.envOverride).length ? { extra: { env_override: fix.envOverride } } : {}),
    });
  }
  return out;
}
