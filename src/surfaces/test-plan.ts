/** `cilock tools test-plan`: a positive and a negative detection case per entry, driven by its first trigger. */
import type { CompiledEntry } from '../catalog/compiled.js';
import type { TestCase } from './contract.js';
import { toListEntry } from './entry-json.js';
import { testPlanCase } from '../detection/predicate-table.js';
import { keyedTriggersOf } from './triggers.js';

export const TEST_PLAN_SCHEMA = 'cilock.tools.test-plan/v0.1';


export function testCase(entry: CompiledEntry): TestCase {
  const list = toListEntry(entry);
  const base = {
    detector: entry.name,
    description: entry.description,
    ...(list.categories ? { categories: list.categories } : {}),
    ...(list.upstream ? { upstream: list.upstream } : {}),
    gates: list.gates ?? [],
    recommended_trace: list.recommended_trace,
  };
  const first = keyedTriggersOf(entry)[0];
  if (!first) {
    return { ...base, positive_setup: 'no detection rules; this attestor is always-on or user-driven', positive_assert: '(not auto-tested)', cilock_command: '' };
  }
  const positiveAssert = `jq -e '.plan.fire[] | select(.attestor=="${entry.name}")' shows a hit`;
  const negativeAssert = `jq '.plan.fire[].attestor' shows no "${entry.name}" entry`;
  const codes = (entry.pre?.warnings ?? []).map((w) => w.code);
  const withCodes = codes.length ? { warning_codes: codes } : {};
  const [setup, command, negative] = testPlanCase(first.key, first.kind, first.value);
  return { ...base, positive_setup: setup, positive_assert: positiveAssert, negative_setup: negative, negative_assert: negativeAssert, cilock_command: command, ...withCodes };
}

export function testPlanMarkdown(cases: TestCase[]): string {
  const out = ['# cilock detector test plan', '', `${cases.length} detectors in this binary's catalog.`, '', 'Each entry lists the setup that must make `cilock plan` fire the detector, and one that must not.', ''];
  for (const c of cases) {
    out.push(`## \`${c.detector}\``, '');
    if (c.description) out.push(c.description, '');
    out.push(`- **Gates**: ${c.gates.length ? c.gates.join(' + ') : '(no detection rules)'}`);
    out.push(`- **Recommended trace**: \`${c.recommended_trace || 'off'}\``);
    if (c.categories) out.push(`- **Category**: ${c.categories.join(', ')}`);
    if (c.upstream) out.push(`- **Upstream tool**: ${c.upstream.name} (license: ${c.upstream.license}) — [src](${c.upstream.source})`);
    if (c.warning_codes) out.push(`- **Warnings**: ${c.warning_codes.map((w) => `\`${w}\``).join(', ')}`);
    out.push('', '### Positive case', '', `- Setup: ${c.positive_setup}`, `- Assert: ${c.positive_assert}`);
    if (c.cilock_command) out.push('- Command:', '', '  ```bash', `  ${c.cilock_command}`, '  ```');
    if (c.negative_setup) out.push('', '### Negative case', '', `- Setup: ${c.negative_setup}`, `- Assert: ${c.negative_assert}`);
    out.push('', '---', '');
  }
  return `${out.join('\n')}`;
}
