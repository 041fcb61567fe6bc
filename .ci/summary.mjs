// Reads vitest's JSON report and prints the closing "N passed, N failed, N skipped" line.
// Exits 1 when anything failed, when a suite failed to load (even with no test run in it), when a
// test was skipped (CI runs every group), or when the report is missing.
//   node .ci/summary.mjs <report.json> <failed checks before the tests>
import { readFileSync } from 'node:fs';
import process from 'node:process';

const say = (line) => process.stdout.write(`${line}\n`);

const [file, checks = '0'] = process.argv.slice(2);
let passed = 0;
let failed = 1;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed = r.numPassedTests;
  skipped = r.numPendingTests + r.numTodoTests;
  failed = r.numFailedTests + (r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
} catch (error) {
  say(`no test report at ${file}: ${error.message}`);
}
failed += Number(checks);
if (skipped > 0) say(`${skipped} test(s) skipped: CI runs every test, so this run fails (is CILOCK_TEST_SKIP set, or a test marked .skip/.todo?)`);
say(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || skipped > 0 ? 1 : 0;
