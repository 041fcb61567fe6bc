/**
 * Every documented example of every catalog entry, enumerated from the built binary, run exactly
 * as its page shows it. Also checks the generated page shows the same command text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogExamples } from './lib/catalog.js';
import { optedOutFor } from '../lib/system.js';
import { docsRoot } from './lib/paths.js';
import { reportTable } from './lib/report.js';
import { runExample, type ExampleResult } from './lib/run-example.js';
import { startService } from './lib/services.js';

const tools = catalogExamples();
const results: ExampleResult[] = [];

afterAll(() => {
  if (results.length) process.stdout.write(`\nDocumented examples:\n${reportTable(results)}\n`);
});

describe('documented examples', () => {
  it('the catalog has examples to run', () => {
    expect(tools.flatMap((t) => t.examples).length).toBeGreaterThan(0);
  });

  for (const { tool, examples, validate } of tools) {
    for (const example of examples) {
      it(`${tool}/${example.id}: the page shows the catalog's command byte for byte`, () => {
        const page = readFileSync(path.join(docsRoot, 'tools', `${tool}.mdx`), 'utf8');
        const block = new RegExp('```+bash example="' + `${tool}/${example.id}` + '"\\n([\\s\\S]*?)\\n```+').exec(page);
        expect(block?.[1], 'no code block tagged with this example on the page (run npm run gen:catalog)').toBe(example.command);
      });

      // Left out only on purpose: CILOCK_TEST_SKIP names the group of a program it requires.
      it.skipIf(optedOutFor(example.requires) !== undefined)(`${tool}/${example.id}: runs verbatim and passes its checks and verify`, async () => {
        const result = await runExample(example, validate, startService);
        results.push(result);
        expect(result.failures.join('\n\n')).toBe('');
      }, 600_000);
    }
  }
});
