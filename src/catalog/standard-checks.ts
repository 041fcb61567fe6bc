/**
 * The "Validate it locally" checks every entry gets unless it lists its own, and what each prints
 * for an example: that output follows from the example's expectations, so an entry states the
 * expectations once (`predicate_types`, `cmd` or the command itself, `sarif_results`) and never
 * the checks' outputs beside them.
 */
import { parse as parseShell } from 'shell-quote';
import { typeOf } from './attestor-declarations.js';

export interface StandardCheck {
  id: string;
  comment: string;
  command: string;
  order_may_vary: boolean;
}

export interface DerivableExpectations {
  predicate_types: string[];
  cmd: string[];
  sarif_results?: number | undefined;
}

const decode = "jq -r '.payload' attestation.json | base64 -d \\\n";

export const STANDARD_CHECKS: readonly StandardCheck[] = [
  {
    id: 'predicate-types',
    comment: 'All predicate types present (order may vary).',
    command: `${decode}  | jq '.predicate.attestations[].type'`,
    order_may_vary: true,
  },
  {
    id: 'command-argv',
    comment: 'command-run captured the real argv (not bash -c / cp).',
    command: `${decode}  | jq '.predicate.attestations[]\n        | select(.type=="${typeOf('command-run')}")\n        | .attestation.cmd'`,
    order_may_vary: false,
  },
  {
    id: 'sarif-results',
    comment: 'Count SARIF findings the rego gate would see.',
    command: `${decode}  | jq '[.predicate.attestations[]\n         | select(.type=="${typeOf('sarif')}")\n         | .attestation.report.runs[0].results[]] | length'`,
    order_may_vary: false,
  },
];

/** Where each standard check's output comes from, for messages. */
export const DERIVED_FROM: Record<string, string> = {
  'predicate-types': 'expect.predicate_types',
  'command-argv': 'expect.cmd (itself derived from the command after " -- ")',
  'sarif-results': 'expect.sarif_results',
};

/** True when `check` is the standard check of its id, word for word (only then is its output known). */
export function isStandardCheck(check: { id: string; command: string; order_may_vary: boolean }): boolean {
  const standard = STANDARD_CHECKS.find((s) => s.id === check.id);
  return !!standard && standard.command.trim() === check.command.trim() && standard.order_may_vary === check.order_may_vary;
}

/**
 * What a standard check prints for these expectations (jq's output: JSON strings one per line, a
 * two-space indented array, a number), or undefined when it is not a standard check or its input
 * is not stated.
 */
export function derivedCheckOutput(check: { id: string; command: string; order_may_vary: boolean }, expect: DerivableExpectations): string | undefined {
  if (!isStandardCheck(check)) return undefined;
  if (check.id === 'predicate-types') return expect.predicate_types.map((t) => JSON.stringify(t)).join('\n');
  if (check.id === 'command-argv') return JSON.stringify(expect.cmd, null, 2);
  if (check.id === 'sarif-results') return expect.sarif_results === undefined ? undefined : String(expect.sarif_results);
  return undefined;
}

/**
 * The argv cilock records for a documented `cilock run … -- COMMAND…` line: the words after the
 * first ` -- `, as a POSIX shell splits them. Undefined when there is no ` -- ` or the rest holds
 * shell syntax other than plain words (operators, globs, variables), which only a stated
 * `expect.cmd` can settle.
 */
export function argvOfCommand(command: string): string[] | undefined {
  const words = parseShell(command.replace(/\\\n/g, ' '), (name) => `\0$${name}`);
  const dashes = words.indexOf('--');
  if (dashes < 0) return undefined;
  const argv = words.slice(dashes + 1);
  if (!argv.length || argv.some((w) => typeof w !== 'string' || w.includes('\0'))) return undefined;
  return argv as string[];
}
