/** `cilock tools list|show|test-plan`: the catalog as this binary shipped it. */
import type { Command } from 'commander';
import { loadCompiledCatalog } from '../catalog/bundle.js';
import { findEntry, type CompiledEntry } from '../catalog/compiled.js';
import { toJson } from '../surfaces/json.js';
import { toListEntry, sourceOf } from '../surfaces/entry-json.js';
import { listTable } from '../surfaces/list.js';
import { showText, toShowJson } from '../surfaces/show.js';
import { TEST_PLAN_SCHEMA, testCase, testPlanMarkdown } from '../surfaces/test-plan.js';
import { CilockError } from '../util/errors.js';
import { parseFormat, writeOut } from './output.js';
import { runFlagsOf, withRunFlagOptions, type RunFlagOptions } from './run-flags.js';

export function registerToolsCommand(program: Command): void {
  const tools = program.command('tools').description('Inspect the tool catalog compiled into this binary');

  tools
    .command('list')
    .description('List every catalog entry (tools and attestors)')
    .option('--format <format>', 'table|json', 'table')
    .option('--category <category>', 'only entries with this category (exact match)')
    .option('--source <source>', 'only attestor-backed or catalog-only entries')
    .action((opts: { format: string; category?: string; source?: string }) => {
      const format = parseFormat(opts.format, ['table', 'json'] as const, { '': 'table' });
      if (opts.source && opts.source !== 'attestor-backed' && opts.source !== 'catalog-only') {
        throw new CilockError(`unknown --source "${opts.source}" (want attestor-backed|catalog-only)`, 2);
      }
      let entries = loadCompiledCatalog().entries;
      if (opts.category) entries = entries.filter((e) => e.categories.includes(opts.category as never));
      if (opts.source) entries = entries.filter((e) => sourceOf(e) === opts.source);
      writeOut(format === 'json' ? toJson(entries.map(toListEntry)) : listTable(entries));
    });

  const show = tools
    .command('show')
    .description("Show one entry's facts, detection rules and docs")
    .argument('<name>', 'tool or attestor name')
    .option('--format <format>', 'text|json', 'text')
    .option('--section <slug>', 'print only this documentation section (text mode)');
  withRunFlagOptions(show).action(async (name: string, opts: { format: string; section?: string } & RunFlagOptions) => {
    const format = parseFormat(opts.format, ['text', 'json'] as const);
    const entry = requireEntry(name);
    if (format === 'json') return writeOut(toJson(await toShowJson(entry, loadCompiledCatalog(), runFlagsOf(opts))));
    if (opts.section !== undefined) return writeOut(sectionText(entry, opts.section));
    writeOut(showText(entry));
  });

  const exportCommand = tools
    .command('export')
    .description('Print every surface the docs are generated from in one JSON document: list, test-plan, show of every entry, each command\'s --help, and the JSON Schemas of the catalog and of every JSON output')
    .option('--format <format>', 'json', 'json');
  withRunFlagOptions(exportCommand).action(async (opts: { format: string } & RunFlagOptions) => {
    parseFormat(opts.format, ['json'] as const);
    const { catalogExport } = await import('../surfaces/export.js');
    writeOut(toJson(await catalogExport(program, runFlagsOf(opts))));
  });

  tools
    .command('test-plan')
    .description('Print the positive/negative detection case of every entry')
    .option('--format <format>', 'markdown|json', 'markdown')
    .option('--only <name>', 'only this entry (unknown names give an empty plan)')
    .action((opts: { format: string; only?: string }) => {
      const format = parseFormat(opts.format, ['markdown', 'json'] as const, { md: 'markdown' });
      const entries = loadCompiledCatalog().entries.filter((e) => !opts.only || e.name === opts.only);
      const cases = entries.map(testCase);
      writeOut(format === 'json' ? toJson({ schema_version: TEST_PLAN_SCHEMA, detectors_total: cases.length, cases }) : testPlanMarkdown(cases));
    });
}

function requireEntry(name: string): CompiledEntry {
  const entry = findEntry(loadCompiledCatalog(), name);
  if (!entry) throw new CilockError(`unknown tool "${name}" (try: cilock tools list)`, 1);
  return entry;
}

function sectionText(entry: CompiledEntry, slug: string): string {
  if (!entry.doc) throw new CilockError(`"${entry.name}" has no documentation in the catalog yet (add ${entry.source_file.replace(/[^/]+$/, 'doc.md')})`, 1);
  const section = entry.doc.sections.find((s) => s.slug === slug);
  if (!section) throw new CilockError(`no section "${slug}" for "${entry.name}"; available: ${entry.doc.sections.map((s) => s.slug).join(', ')}`, 1);
  return `${section.markdown}\n`;
}
