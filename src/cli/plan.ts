/** `cilock plan -- CMD [ARGS…]`: what cilock would detect for a command, without running it. */
import type { Command } from 'commander';
import { loadCompiledCatalog } from '../catalog/bundle.js';
import { planInvocation, type PlanResult } from '../detection/plan.js';
import { traceAdvice } from '../detection/trace-advice.js';
import { formatCommand } from '../detection/suggest.js';
import { toJson } from '../surfaces/json.js';
import { CilockError } from '../util/errors.js';
import { parseFormat, writeOut } from './output.js';
import { runFlagsOf, withRunFlagOptions, type RunFlagOptions } from './run-flags.js';

export function registerPlanCommand(program: Command): void {
  const plan = program
    .command('plan')
    .description('Show which detectors fire for a command (never runs it)')
    .usage('[--format text|json] [-v] [--probe-cloud] [--signer-file-key-path FILE] [--run-outfile FILE] -- CMD [ARGS...]')
    .argument('[command...]', 'the command to plan, after --')
    .option('--format <format>', 'text|json', 'text')
    .option('-v, --verbose', 'list skipped detectors and why')
    .option('--probe-cloud', 'also probe cloud metadata endpoints and local sockets (network)');
  withRunFlagOptions(plan)
    .passThroughOptions()
    .action(async (command: string[], opts: { format: string; verbose?: boolean; probeCloud?: boolean } & RunFlagOptions) => {
      const format = parseFormat(opts.format, ['text', 'json'] as const, { human: 'text' });
      if (!command.length) throw new CilockError('missing the command to plan\nusage: cilock plan [--format text|json] [-v] -- CMD [ARGS...]', 2);
      const result = await planInvocation({ argv: command, env: process.env, cwd: process.cwd(), probeCloud: opts.probeCloud === true, runFlags: runFlagsOf(opts) }, loadCompiledCatalog());
      writeOut(format === 'json' ? toJson(result) : planText(result, opts.verbose === true));
    });
}

export function planText(result: PlanResult, verbose: boolean): string {
  const { fire, skip, warnings, inputs } = result.plan;
  const lines = [`cilock plan — ${fire.length} attestor(s) would fire`, `  argv: ${formatCommand(inputs.argv)}`];
  if (!fire.length) {
    lines.push('  fire: (none — no detector matched this invocation)');
    lines.push('    run it inside a project (git checkout, lockfiles) or attach attestors explicitly:');
    lines.push('    cilock run -a <name> … (see cilock tools list)');
  } else {
    lines.push('  fire:');
    for (const f of fire) {
      lines.push(`    - ${f.attestor}  (${f.matched_rule})`);
      if (f.llm_hint) lines.push(`        ${f.llm_hint}`);
    }
    lines.push(`  to run: ${result.suggested_run.command}`);
    if (result.suggested_run.traced_command) {
      lines.push(`  to run (with tracing): ${result.suggested_run.traced_command}`);
      lines.push(`    tracing recommended by ${traceAdvice(result.trace_recommendation)}: records every process the command starts and the files each reads and writes (needs strace)`);
    }
  }
  if (warnings.length) {
    lines.push('  warnings:');
    for (const w of warnings) {
      lines.push(`    [${w.code}] ${w.message}`);
      if (w.summary) lines.push(`      ${w.summary}`);
      if (w.suggested_command) lines.push(`      suggested: ${w.suggested_command}`);
    }
  }
  if (verbose) {
    lines.push(`  skipped (${skip.length}, listed because of -v):`);
    for (const s of skip) lines.push(`    - ${s.attestor}  (${s.cause}${s.reason ? `: ${s.reason}` : ''})`);
  } else {
    lines.push(`  (${skip.length} detectors skipped — pass -v to see why)`);
  }
  return `${lines.join('\n')}\n`;
}
