/**
 * `npm run examples [-- --tool NAME]`: runs the documented examples end to end, the same way the
 * test suite does, and prints the report table. Exit 1 when any example fails.
 */
import { parseArgs } from 'node:util';
import { catalogExamples } from './lib/catalog.js';
import { reportTable } from './lib/report.js';
import { runExample, type ExampleResult } from './lib/run-example.js';
import { startService } from './lib/services.js';

const { values } = parseArgs({ options: { tool: { type: 'string' } } });
const results: ExampleResult[] = [];
for (const { examples, validate } of catalogExamples(values.tool)) {
  for (const example of examples) {
    process.stderr.write(`running ${example.tool}/${example.id} …\n`);
    const result = await runExample(example, validate, startService);
    for (const f of result.failures) process.stderr.write(`${f}\n\n`);
    results.push(result);
  }
}
if (!results.length) process.stderr.write(values.tool ? `no examples for "${values.tool}" (see cilock tools list)\n` : 'no examples in the catalog\n');
process.stdout.write(`${reportTable(results)}\n`);
process.exitCode = results.every((r) => r.ok) && results.length ? 0 : 1;
