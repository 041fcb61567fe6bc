/**
 * The JSON shape of one catalog entry in `cilock tools list|show --format json`. Field names and
 * order follow the upstream binary (so its consumers keep working); fields upstream lacks are
 * appended after them.
 */
import type { CompiledEntry } from '../catalog/compiled.js';
import { applyFix } from '../detection/suggest.js';
import type { ListEntry, Source } from './contract.js';
import { triggersOf } from './triggers.js';

export type { ListEntry, Source };

export function sourceOf(entry: CompiledEntry): Source {
  return entry.kind === 'attestor' ? 'attestor-backed' : 'catalog-only';
}

export function toListEntry(entry: CompiledEntry): ListEntry {
  const gates = [...(entry.pre ? ['pre' as const] : []), ...(entry.post ? ['post' as const] : [])];
  const triggers = triggersOf(entry);
  const warnings = [...(entry.pre?.warnings ?? []), ...(entry.post?.warnings ?? [])].map((w) => ({
    code: w.code,
    severity: w.severity,
    message: w.message,
    ...(w.suggested_fix ? { suggested_example: applyFix([entry.name, '<args>'], w.suggested_fix).command } : {}),
  }));
  const hints = Object.fromEntries(Object.entries(entry.llm_hints).filter(([, v]) => v));
  const upstream = entry.upstream
    ? { name: entry.upstream.name, source: entry.upstream.source, license: entry.upstream.license, vendor: entry.upstream.vendor, ...(entry.upstream.format_only ? { format_only: true } : {}) }
    : undefined;
  return {
    name: entry.name,
    ...(entry.kind === 'attestor' ? { predicate_type: entry.predicate_type, run_type: entry.run_type } : {}),
    default_on: entry.kind === 'attestor' ? entry.default_on : false,
    description: entry.description,
    ...(entry.categories.length ? { categories: entry.categories } : {}),
    ...(upstream ? { upstream } : {}),
    source: sourceOf(entry),
    ...(entry.kind === 'tool' && entry.emits_formats.length ? { emits_formats: entry.emits_formats } : {}),
    gates: gates.length ? gates : null,
    recommended_trace: entry.recommended_trace?.mode ?? (gates.length ? 'off' : ''),
    triggers: gates.length ? triggers : null,
    ...(warnings.length ? { warnings } : {}),
    ...(Object.keys(hints).length ? { llm_hints: hints } : {}),
    title: entry.title,
    ...(entry.primary_category ? { primary_category: entry.primary_category } : {}),
    ...(entry.recommended_trace ? { recommended_trace_reason: entry.recommended_trace.reason } : {}),
    ...(entry.kind === 'tool' ? { exits_nonzero_on_findings: entry.exits_nonzero_on_findings } : { runnable: entry.runnable, captures: entry.captures }),
    catalog_file: entry.source_file,
    has_doc: entry.doc !== undefined,
    source_label: sourceLabel(sourceOf(entry)),
    trace_label: traceLabel(entry),
  };
}

const SOURCE_LABEL: Record<Source, string> = {
  'attestor-backed': 'attestor-backed (ships a native cilock attestor)',
  'catalog-only': 'catalog-only (detected; output captured via a format attestor)',
};

export function sourceLabel(source: Source): string {
  return SOURCE_LABEL[source];
}

const TRACE_TEXT: Record<string, string> = {
  off: 'off — no syscall tracing needed',
  light: 'light — run it with cilock run --trace',
  full: 'full — run it with cilock run --trace',
};

/** The recommended trace with its reason (or what the mode means, for entries that give none); '' without gates. */
export function traceLabel(entry: CompiledEntry): string {
  if (entry.recommended_trace) return `${entry.recommended_trace.mode} — ${entry.recommended_trace.reason}`;
  return entry.pre || entry.post ? TRACE_TEXT.off! : '';
}
