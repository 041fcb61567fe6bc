/** The verify verdict as text (one line per check, failures first-class) or as one JSON object. */
import type { Check } from '../attestation/verify.js';

export interface Verdict {
  passed: boolean;
  checks: Check[];
  /** Names of failed checks, with the file when there is one (`signature@att.json`). */
  failed: string[];
}

export function verdictOf(checks: Check[]): Verdict {
  const failed = checks.filter((check) => !check.passed).map((check) => (check.file ? `${check.name}@${check.file}` : check.name));
  return { passed: failed.length === 0, checks, failed };
}

export function formatVerdictText(verdict: Verdict): string {
  const width = Math.min(Math.max(...verdict.checks.map((check) => check.name.length), 8), 28);
  const lines = verdict.checks.map((check) => `${check.passed ? 'PASS' : 'FAIL'}  ${check.name.padEnd(width)}  ${check.file ? `${check.file}: ` : ''}${check.detail}`);
  lines.push(
    verdict.passed
      ? `verification PASSED (${verdict.checks.length} checks)`
      : `verification FAILED: ${verdict.failed.length} of ${verdict.checks.length} checks failed: ${verdict.failed.join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}
