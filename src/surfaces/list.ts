/** `cilock tools list` as a table (the JSON form is an array of `toListEntry`). */
import type { CompiledEntry } from '../catalog/compiled.js';
import { sourceOf } from './entry-json.js';

const cut = (s: string, max: number, keep: number) => (s.length > max ? `${s.slice(0, keep)}...` : s);

export function listTable(entries: CompiledEntry[]): string {
  const attestors = entries.filter((e) => sourceOf(e) === 'attestor-backed').length;
  const lines = [`${entries.length} tools known (${attestors} attestor-backed, ${entries.length - attestors} catalog-only).`, ''];
  const row = (name: string, source: string, category: string, license: string, upstream: string) =>
    `  ${name.padEnd(22)}  ${source.padEnd(15)}  ${category.padEnd(26)}  ${license.padEnd(12)}  ${upstream}`.trimEnd();
  lines.push(row('NAME', 'SOURCE', 'CATEGORY', 'LICENSE', 'UPSTREAM'));
  lines.push(row('----', '------', '--------', '-------', '--------'));
  for (const e of entries) {
    const category = e.categories.length ? cut(e.categories.join(', '), 26, 23) : '-';
    const license = e.upstream ? cut(e.upstream.license, 12, 9) : '-';
    const upstream = e.upstream ? cut(`${e.upstream.name}${e.upstream.format_only ? ' (format)' : ''}`, 40, 37) : '-';
    lines.push(row(e.name, sourceOf(e), category, license, upstream));
  }
  return `${lines.join('\n')}\n`;
}
