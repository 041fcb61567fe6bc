/**
 * `npm run examples [-- --tool NAME [--record [--allow-stand-in]]]`: runs the documented examples
 * end to end, the same way the test suite does, and prints the report table. Exit 1 when any
 * example fails.
 *
 * With --record, the tool's examples run once and what each showed (exit code, predicate types,
 * products, SARIF report and count, the argv when the command does not give it, each non-standard
 * check's output) is written into its tool.yaml, printed as a diff. It refuses when a program
 * would run as a stand-in (its output is a replay, not the tool's), unless --allow-stand-in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { catalogExamples } from './lib/catalog.js';
import { repoRoot } from './lib/paths.js';
import { currentExpect, expectedFrom, recordInto, RecordError, refusal } from './lib/record.js';
import { reportTable } from './lib/report.js';
import { runExample, type ExampleResult } from './lib/run-example.js';
import { startService } from './lib/services.js';
import { describeTier, resolveTier } from './lib/tiers.js';

function usage(message: string): number {
  process.stderr.write(`examples: ${message}\nusage: npm run examples [-- --tool NAME [--record [--allow-stand-in]]]\n`);
  return 2;
}

async function main(): Promise<number> {
  let values: { tool?: string; record: boolean; 'allow-stand-in': boolean };
  try {
    ({ values } = parseArgs({ options: { tool: { type: 'string' }, record: { type: 'boolean', default: false }, 'allow-stand-in': { type: 'boolean', default: false } } }));
  } catch (err) {
    return usage((err as Error).message);
  }
  if (values.record && !values.tool) return usage('--record writes into one tool.yaml: name it with --tool NAME');
  if (values['allow-stand-in'] && !values.record) return usage('--allow-stand-in only applies to --record');
  const selected = catalogExamples(values.tool);
  if (values.record) return record(values.tool!, selected, values['allow-stand-in']);
  const results: ExampleResult[] = [];
  for (const { examples, validate } of selected) {
    for (const example of examples) {
      process.stderr.write(`running ${example.tool}/${example.id} …\n`);
      const result = await runExample(example, validate, startService);
      for (const f of result.failures) process.stderr.write(`${f}\n\n`);
      results.push(result);
    }
  }
  if (!results.length) process.stderr.write(values.tool ? `no examples for "${values.tool}" (see cilock tools list)\n` : 'no examples in the catalog\n');
  process.stdout.write(`${reportTable(results)}\n`);
  return results.every((r) => r.ok) && results.length ? 0 : 1;
}

async function record(tool: string, selected: ReturnType<typeof catalogExamples>, allowStandIn: boolean): Promise<number> {
  const entry = selected[0];
  if (!entry) {
    process.stderr.write(`examples --record: "${tool}" has no examples in the built catalog (see cilock tools list; add one to its tool.yaml)\n`);
    return 1;
  }
  // Refuse before running anything: a stand-in's replay must not become the catalog's facts.
  const tiers = [...new Set(entry.examples.flatMap((e) => e.requires))].map(resolveTier);
  const refused = refusal(tiers, allowStandIn);
  if (refused) {
    process.stderr.write(`examples --record: not recording ${tool}: ${refused}\n`);
    return 1;
  }
  const file = `catalog/tools/${tool}/tool.yaml`;
  const abs = path.join(repoRoot, file);
  const before = readFileSync(abs, 'utf8');
  let text = before;
  for (const example of entry.examples) {
    process.stderr.write(`running ${tool}/${example.id} (recording) …\n`);
    const result = await runExample(example, entry.validate, startService, { observe: true });
    if (!result.observed) {
      for (const f of result.failures) process.stderr.write(`${f}\n\n`);
      process.stderr.write(`examples --record: ${tool}/${example.id} wrote no attestation, so there is nothing to record; ${file} is left as it was\n`);
      return 1;
    }
    try {
      text = recordInto(text, file, example.id, expectedFrom(example, result.observed, entry.validate, currentExpect(text, example.id)));
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      process.stderr.write(`examples --record: ${err.message}\n`);
      return 1;
    }
  }
  if (text === before) {
    process.stderr.write(`examples --record: ${file} already states what the run gave (tiers: ${tiers.map(describeTier).join('; ') || 'none'})\n`);
    return 0;
  }
  writeFileAtomic(abs, text);
  process.stdout.write(createTwoFilesPatch(`a/${file}`, `b/${file}`, before, text, '', '', { context: 2 }));
  process.stderr.write(`examples --record: wrote ${file} (tiers: ${tiers.map(describeTier).join('; ') || 'none'}); run npm run gen:catalog next\n`);
  return 0;
}

process.exitCode = await main();
