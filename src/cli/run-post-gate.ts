/**
 * Post-gate detection for `cilock run --trace`: once the command has run, the catalog is asked
 * again with what the trace saw (the programs executed, the products, the exit code). Entries
 * that fire only now, a scanner started by a script say, are reported as post-gate fires, and
 * without -a the format attestors they feed (sarif) are attached for the postproduct phase.
 * Like pre-run detection it is advisory: a catalog that cannot be loaded is reported, not fatal.
 */
import type { Produced, RunContext } from '../attestors/types.js';

export interface PostGateOutcome {
  /** Attestors to add to the postproduct phase. */
  readonly attach: string[];
  /** What post-gate detection found, one line each (stderr and the run summary). */
  readonly notes: string[];
}

export async function runPostGate(context: RunContext, produced: Produced, attached: readonly string[], attestationsGiven: boolean): Promise<PostGateOutcome> {
  const traced = produced.command?.traced;
  if (!traced) return { attach: [], notes: [] };
  try {
    const [{ loadCompiledCatalog }, { planInvocation }, { postGate }, { SELECTABLE_ATTESTORS }] = await Promise.all([
      import('../catalog/bundle.js'),
      import('../detection/plan.js'),
      import('../detection/post-gate.js'),
      import('../attestors/registry.js'),
    ]);
    const catalog = loadCompiledCatalog();
    const env = { ...context.env };
    const pre = await planInvocation({ argv: [...context.argv], env, cwd: context.workingDir }, catalog);
    const result = postGate(
      {
        argv: [...context.argv],
        env,
        cwd: context.workingDir,
        execs: traced.execs.map((exec) => exec.argv),
        products: [...(produced.products?.keys() ?? [])],
        exitCode: produced.command?.result.exitCode ?? 0,
        preFired: new Set(pre.plan.fire.map((fire) => fire.attestor)),
      },
      catalog,
    );
    if (result.fire.length === 0) return { attach: [], notes: [`post-gate detection (${traced.execs.length} exec(s) traced) fired: nothing new`] };
    const notes = [`post-gate detection (${traced.execs.length} exec(s) traced) fired: ${result.fire.map((fire) => `${fire.attestor} (${fire.matched_rule})`).join(', ')}`];
    const feeds = result.attestations.filter((name) => SELECTABLE_ATTESTORS.includes(name) && !attached.includes(name));
    if (feeds.length === 0) return { attach: [], notes };
    if (attestationsGiven) {
      notes.push(`post-gate detection suggests ${feeds.join(', ')}, not attached because -a was given; add ${feeds.join(',')} to -a to attach it`);
      return { attach: [], notes };
    }
    notes.push(`post-gate detection: attaching ${feeds.join(', ')}`);
    return { attach: feeds, notes };
  } catch (error) {
    return { attach: [], notes: [`post-gate detection unavailable (${(error as Error).message}); attestors as chosen before the run`] };
  }
}
