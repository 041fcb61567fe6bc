/**
 * What a test needs from the machine. A missing program fails the test that needs it, naming the
 * program and how to get it; only CILOCK_TEST_SKIP leaves a group out, and then its tests show as skipped.
 */
import { beforeAll } from 'vitest';
import { installHint, locate, optedOutGroups, SYSTEM_TOOLS, type TestGroup } from '../../src/scripts/system-tools.js';

/** The path of a system program; throws `<program> is not installed: <how to get it>` without one. */
export function requireTool(command: string): string {
  const file = locate(command);
  if (file) return file;
  const override = SYSTEM_TOOLS.find((t) => t.command === command)?.envOverride;
  const where = override && process.env[override] ? `${override}=${process.env[override]} is not an executable` : `${command} is not installed`;
  throw new Error(`${where}: ${installHint(command)}`);
}

/** Fails every test of the enclosing file or describe block when `command` is missing. */
export function needsTool(command: string): void {
  beforeAll(() => {
    requireTool(command);
  });
}

/** True when CILOCK_TEST_SKIP=<group> leaves this group out on purpose. */
export function optedOut(group: TestGroup): boolean {
  return optedOutGroups().has(group);
}

/** The opted-out group of the first of these programs that belongs to one, if any. */
export function optedOutFor(programs: readonly string[]): TestGroup | undefined {
  return programs.map((p) => SYSTEM_TOOLS.find((t) => t.command === p)?.group).find((g) => g !== undefined && optedOut(g));
}
