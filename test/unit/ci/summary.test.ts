/** The closing line of .ci/run and its verdict: a skipped test fails CI like a failed one. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const script = path.resolve(import.meta.dirname, '../../../.ci/summary.mjs');

function summary(report: object | undefined, checksFailed = 0) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cilock-summary-')), 'report.json');
  if (report) writeFileSync(file, JSON.stringify(report));
  const r = spawnSync(process.execPath, [script, file, String(checksFailed)], { encoding: 'utf8' });
  return { status: r.status, lines: r.stdout.trimEnd().split('\n') };
}

const report = (passed: number, failed: number, pending: number, failedSuites = 0) => ({
  numPassedTests: passed, numFailedTests: failed, numPendingTests: pending, numTodoTests: 0, numFailedTestSuites: failedSuites,
});

describe('.ci/summary.mjs', () => {
  it('passes a clean run', () => {
    expect(summary(report(540, 0, 0))).toEqual({ status: 0, lines: ['540 passed, 0 failed, 0 skipped'] });
  });

  it('fails a run with a skipped test, saying why', () => {
    expect(summary(report(539, 0, 1))).toMatchInlineSnapshot(`
      {
        "lines": [
          "1 test(s) skipped: CI runs every test, so this run fails (is CILOCK_TEST_SKIP set, or a test marked .skip/.todo?)",
          "539 passed, 0 failed, 1 skipped",
        ],
        "status": 1,
      }
    `);
  });

  it('counts a failed check and a suite that failed to load as failures', () => {
    expect(summary(report(540, 0, 0), 2)).toEqual({ status: 1, lines: ['540 passed, 2 failed, 0 skipped'] });
    expect(summary(report(500, 0, 0, 1)).lines).toEqual(['500 passed, 1 failed, 0 skipped']);
  });

  it('fails when there is no report', () => {
    const r = summary(undefined);
    expect(r.status).toBe(1);
    expect(r.lines.at(-1)).toBe('0 passed, 1 failed, 0 skipped');
  });
});
