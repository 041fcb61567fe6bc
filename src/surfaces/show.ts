/** `cilock tools show NAME`: the entry's facts as text (or JSON with docs and examples). */
import type { CompiledCatalog, CompiledEntry } from '../catalog/compiled.js';
import { planInvocation } from '../detection/plan.js';
import type { RunFlags } from '../detection/run-line.js';
import type { ShowEntry } from './contract.js';
import { sourceLabel, sourceOf, toListEntry, traceLabel } from './entry-json.js';
import { testCase } from './test-plan.js';
import { triggersOf } from './triggers.js';

export const DOCS_BASE_URL = 'https://cilock.dev';

export function docsArea(entry: CompiledEntry): 'tools' | 'attestors' {
  return entry.kind === 'attestor' ? 'attestors' : 'tools';
}

// A path under /dev/null is never a directory, so no file trigger fires: only the argv decides.
const NOWHERE = '/dev/null/cilock-tools-show';

/** `cilock plan`'s run line for the entry's own argv trigger, run nowhere with an empty environment. */
async function suggestedRun(entry: CompiledEntry, catalog: CompiledCatalog, runFlags: RunFlags): Promise<ShowEntry['suggested_run']> {
  const trigger = triggersOf(entry).find((t) => t.gate === 'pre' && t.kind === 'argv_prefix');
  if (!trigger) return undefined;
  return (await planInvocation({ argv: trigger.value.split(' '), env: {}, cwd: NOWHERE, runFlags }, catalog)).suggested_run;
}

export async function toShowJson(entry: CompiledEntry, catalog: CompiledCatalog, runFlags: RunFlags = {}): Promise<ShowEntry> {
  const run = await suggestedRun(entry, catalog, runFlags);
  const doc = entry.doc
    ? {
        name: entry.name,
        title: entry.doc.title,
        description: entry.doc.description,
        ...(entry.doc.sidebar_position !== undefined ? { sidebar_position: entry.doc.sidebar_position } : {}),
        sections: entry.doc.sections,
        body: entry.doc.body,
        source_file: entry.doc.source_file,
      }
    : undefined;
  return {
    ...toListEntry(entry),
    ...(doc ? { doc } : {}),
    detection_command: testCase(entry).cilock_command || null,
    ...(run ? { suggested_run: run } : {}),
    ...(entry.kind === 'tool'
      ? { captured: entry.captured, validate: entry.validate, examples: entry.examples }
      : {}),
  };
}

const fact = (label: string, value: string) => `  ${`${label}:`.padEnd(19)}${value}`;

export function showText(entry: CompiledEntry): string {
  const lines = [entry.name, '', entry.doc?.description ?? entry.description, ''];
  lines.push(fact('source', sourceLabel(sourceOf(entry))));
  if (entry.categories.length) {
    lines.push(fact('category', entry.categories.map((c) => (c === entry.primary_category ? `${c} (primary)` : c)).join(', ')));
  }
  if (entry.kind === 'attestor') lines.push(fact('predicate type', entry.predicate_type));
  if (entry.kind === 'tool' && entry.emits_formats.length) lines.push(fact('emits format', entry.emits_formats.join(', ')));
  lines.push(fact('recommended trace', traceLabel(entry)));
  if (entry.upstream) lines.push(fact('upstream', `${entry.upstream.name} · ${entry.upstream.vendor} · ${entry.upstream.license} (${entry.upstream.source})`));
  const triggers = triggersOf(entry);
  lines.push(`  detected when:${triggers.length ? '' : ' (not auto-detected — attach explicitly with -a)'}`);
  for (const t of triggers) lines.push(`    - [${t.gate}] ${t.kind}: ${t.value}`);
  const check = testCase(entry).cilock_command;
  if (check) lines.push(fact('confirm with', check));
  if (entry.kind === 'tool' && entry.examples.length) {
    lines.push('  validated invocations:');
    for (const ex of entry.examples) lines.push(`    - ${ex.id}: ${ex.title}`);
  }
  if (entry.doc?.sections.length) {
    lines.push('', 'Documentation sections (use --section <slug>):');
    for (const s of entry.doc.sections) lines.push(`    ${s.slug.padEnd(22)} ${s.title}`);
    lines.push('', `Full docs: ${DOCS_BASE_URL}/${docsArea(entry)}/${entry.name}`);
  } else {
    lines.push('', `(no long-form documentation in the catalog yet — add ${entry.source_file.replace(/[^/]+$/, 'doc.md')})`);
  }
  return `${lines.join('\n')}\n`;
}
