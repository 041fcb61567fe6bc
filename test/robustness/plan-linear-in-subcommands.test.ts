/**
 * `cilock plan` on a long CI script: its cost must grow linearly with the number of sub-commands.
 * The bound is a hang guard (the benchmark `bench/plan-scaling.ts` has the figures).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../unit/cli/cli-helpers.js';

const main = path.join(repoRoot, 'dist/cli/main.js');

describe('cilock plan on a script of 4000 sub-commands', () => {
  it('finishes in under 2 s and still finds the tool at the end', () => {
    const script = [...Array.from({ length: 3999 }, (_, i) => `echo step-${i}`), 'kubescape scan framework nsa manifests/'].join(' && ');
    // A CI runner's environment: the plan reads it for env predicates.
    const env: Record<string, string> = { ...(process.env as Record<string, string>), CI: 'true' };
    for (let i = 0; i < 60; i++) env[`CI_VAR_${i}`] = `value-${i}`;
    const start = Date.now();
    const r = spawnSync(process.execPath, [main, 'plan', '--format', 'json', '--', 'sh', '-c', script], { env, encoding: 'utf8', timeout: 30_000 });
    const elapsed = Date.now() - start;
    expect(r.status, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { plan: { fire: { attestor: string; matched_rule: string }[] } };
    expect(plan.plan.fire.find((f) => f.attestor === 'kubescape')?.matched_rule).toMatch(/^sh -c\[4000\]:/);
    expect(elapsed).toBeLessThan(2000);
  });
});
