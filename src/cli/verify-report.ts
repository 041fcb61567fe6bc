/** The verify verdict as text (one line per check, failures first-class) or as one JSON object. */
import type { Binding } from '../attestation/subjects.js';
import type { Check } from '../attestation/verify.js';

export interface Verdict {
  passed: boolean;
  checks: Check[];
  /** Names of failed checks, with the file when there is one (`signature@att.json`). */
  failed: string[];
  /** How the requested subjects bound, one per bound step (or attestation, in key-only mode). */
  bindings: Binding[];
  /** Requested subjects that bound to nothing, described (`sha256:… (-f app)`). */
  unbound: string[];
  /** `policy`: a signed policy decided whose signatures count; `key-only`: the -k keys did. */
  mode: VerifyMode;
}

export type VerifyMode = 'policy' | 'key-only';

export function verdictOf(checks: Check[], bindings: Binding[] = [], unbound: string[] = [], mode: VerifyMode = 'key-only'): Verdict {
  const failed = checks.filter((check) => !check.passed).map((check) => (check.file ? `${check.name}@${check.file}` : check.name));
  return { passed: failed.length === 0, checks, failed, bindings, unbound, mode };
}

/** The summary line names at most this many failed checks; the FAIL lines above list them all. */
const SUMMARY_NAMES = 20;

export function formatVerdictText(verdict: Verdict): string {
  // reduce, not Math.max(...): spreading a very long list overflows the stack.
  const width = Math.min(verdict.checks.reduce((widest, check) => Math.max(widest, check.name.length), 8), 28);
  const lines = verdict.checks.map((check) => `${check.passed ? 'PASS' : 'FAIL'}  ${check.name.padEnd(width)}  ${check.file ? `${check.file}: ` : ''}${check.detail}`);
  lines.push(
    verdict.passed
      ? `verification PASSED (${verdict.checks.length} checks)`
      : `verification FAILED: ${verdict.failed.length} of ${verdict.checks.length} checks failed: ${verdict.failed.slice(0, SUMMARY_NAMES).join(', ')}${verdict.failed.length > SUMMARY_NAMES ? ` and ${verdict.failed.length - SUMMARY_NAMES} more (see the FAIL lines above)` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
