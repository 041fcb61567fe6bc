/**
 * `tools show --format json` carries the run line `cilock plan` suggests for the entry's own argv
 * trigger (what a page or an agent would run), computed by the plan itself, not restated.
 */
import { describe, expect, it } from 'vitest';
import { cilock } from '../cli/cli-helpers.js';

const showOf = (name: string) => JSON.parse(cilock(['tools', 'show', name, '--format', 'json']).stdout) as { suggested_run?: unknown; triggers: { gate: string; kind: string; value: string }[] | null };

describe('tools show suggested_run', () => {
  it.each(['kubescape', 'semgrep', 'trivy'])('%s: equals cilock plan for the trigger argv, in an empty directory and environment', (name) => {
    const show = showOf(name);
    const argv = show.triggers!.find((t) => t.gate === 'pre' && t.kind === 'argv_prefix')!.value.split(' ');
    const plan = cilock(['plan', '--format', 'json', '--', ...argv]);
    expect(plan.status, plan.stderr).toBe(0);
    expect(show.suggested_run).toEqual((JSON.parse(plan.stdout) as { suggested_run: unknown }).suggested_run);
  });

  it('is absent for an entry without an argv trigger', () => {
    const list = JSON.parse(cilock(['tools', 'list', '--format', 'json']).stdout) as { name: string; triggers: { kind: string }[] | null }[];
    const without = list.find((e) => !(e.triggers ?? []).some((t) => t.kind === 'argv_prefix'))!;
    expect(showOf(without.name)).not.toHaveProperty('suggested_run');
  });
});
