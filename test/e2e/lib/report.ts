/** The closing table: example × tool tier × result, and a plain count line. */
import type { ExampleResult } from './run-example.js';
import { describeTier } from './tiers.js';

export function reportTable(results: ExampleResult[]): string {
  const rows = results.map((r) => [`${r.tool}/${r.id}`, r.tiers.map(describeTier).join('; ') || '(none)', r.ok ? 'pass' : 'FAIL']);
  const head = ['example', 'tools (tier)', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const passed = results.filter((r) => r.ok).length;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line), '', `${passed} passed, ${results.length - passed} failed`].join('\n');
}
