/**
 * The pre-gate plan: which catalog entries a command would fire, why, what each warns about, and
 * the `cilock run` line that attaches what they feed. Evaluates every entry in name order, keeps
 * every match, never executes the command, and records which env keys it read (never values).
 */
import type { CompiledCatalog, CompiledEntry } from '../catalog/compiled.js';
import type { Warning } from '../catalog/schema.js';
import { SPECIALIZED_CATEGORIES } from '../catalog/categories.js';
import { evaluate, type EvalContext } from './predicates.js';
import { applyFix, formatCommand } from './suggest.js';
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

/** The signing key and outfile a caller wants in the suggested `cilock run` line. */
export interface RunFlags {
  /** Instead of the `<key.pem>` placeholder. */
  keyPath?: string;
  /** Adds `--outfile FILE`; without it the suggestion writes the attestation to stdout. */
  outfile?: string;
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

const TRACE_RANK = { off: 0, light: 1, full: 2 } as const;

export async function planInvocation(input: PlanInput, catalog: CompiledCatalog): Promise<PlanResult> {
  // Probes touch the network, so their module loads only when asked for.
  const probes = input.probeCloud ? await (await import('./probes.js')).runProbes(catalog.entries) : new Map<string, boolean>();
  const envKeysObserved = new Set<string>();
  // One context per invocation, built once: the caller's env is often `process.env`, whose every
  // read crosses into C++, and copying it per entry × sub-command made long scripts crawl.
  const baseEnv = { ...input.env };
  const candidates = invocations(input.argv).map((inv) => ({ inv, ctx: contextFor(inv, baseEnv, input.cwd, envKeysObserved, probes) }));
  const { fire, skip, warnings } = preGate(catalog, candidates);
  const { trace, ignoreExit, suggested } = suggestRun(fire, catalog, input.argv, input.runFlags ?? {});
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

/** The `cilock run` line the fired entries call for: step, attestors, trace and exit-code flags. */
function suggestRun(fire: Fire[], catalog: CompiledCatalog, argv: string[], flags: RunFlags): { trace: PlanResult['trace_recommendation']; ignoreExit: boolean; suggested: PlanResult['suggested_run'] } {
  const trace = recommendTrace(fire, catalog);
  const ignoreExit = fire.some((f) => entryOf(catalog, f.attestor)?.kind === 'tool' && (entryOf(catalog, f.attestor) as { exits_nonzero_on_findings?: boolean }).exits_nonzero_on_findings === true);
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

function entryOf(catalog: CompiledCatalog, name: string): CompiledEntry | undefined {
  return catalog.entries.find((e) => e.name === name);
}

/** Why tracing is recommended, for `plan` and `run`: `npm-install (light)`, joined; undefined when no fired entry asks for it. */
export function traceAdvice(trace: PlanResult['trace_recommendation']): string | undefined {
  if (trace.mode === 'off') return undefined;
  const asking = Object.entries(trace.reasons).filter(([, mode]) => mode !== 'off');
  return asking.map(([name, mode]) => `${name} (${mode})`).join(', ');
}

function recommendTrace(fire: Fire[], catalog: CompiledCatalog): PlanResult['trace_recommendation'] {
  let mode: 'off' | 'light' | 'full' = 'off';
  const reasons: Record<string, string> = {};
  for (const f of fire) {
    const m = entryOf(catalog, f.attestor)?.recommended_trace?.mode ?? 'off';
    reasons[f.attestor] = m;
    if (TRACE_RANK[m] > TRACE_RANK[mode]) mode = m;
  }
  return { mode, reasons };
}

/**
 * The attestors `cilock run -a` should get: fired attestors that this binary can run, and for a
 * fired tool the format attestors it feeds (kubescape → sarif). Never a name `run` would reject.
 */
export function suggestedAttestorsFromFires(fire: readonly { attestor: string }[], catalog: CompiledCatalog): string[] {
  const out = new Set<string>();
  for (const f of fire) {
    const entry = entryOf(catalog, f.attestor);
    if (!entry) continue;
    const names = entry.kind === 'tool' ? entry.emits_formats : [entry.name];
    for (const name of names) {
      const attestor = entryOf(catalog, name);
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
    const entry = entryOf(catalog, f.attestor);
    if (!entry || !entry.categories.length) continue;
    cats.add(entry.primary_category ?? entry.categories[0]!);
  }
  if (cats.size === 1) return [...cats][0];
  const tier2 = [...cats].filter((c) => (SPECIALIZED_CATEGORIES as readonly string[]).includes(c));
  if (tier2.length === 1) return tier2[0];
  return undefined;
}
