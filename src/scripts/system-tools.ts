/**
 * The programs outside npm that `npm test` and `npm start` need, declared once: which command,
 * which Debian package brings it, and why. `provision.ts` installs the missing ones before either
 * command runs; the tests name the same package when a program is missing.
 */
import path from 'node:path';
import which from 'which';

/** Test groups that may be left out on purpose with CILOCK_TEST_SKIP=group[,group] (CI never does). */
export const TEST_GROUPS = {
  browser: 'the built docs site in Chromium (test/browser)',
  cluster: 'the real kubectl against the recorded Kubernetes API, and the Kubescape cluster-snapshot example',
} as const;
export type TestGroup = keyof typeof TEST_GROUPS;

export type Purpose = 'test' | 'start';

export interface SystemTool {
  command: string;
  debianPackage: string;
  why: string;
  neededBy: readonly Purpose[];
  /** The group whose tests need it; absent when the core suite needs it. */
  group?: TestGroup;
  /** An environment variable that points at the program instead of PATH. */
  envOverride?: string;
}

export const SYSTEM_TOOLS: readonly SystemTool[] = [
  { command: 'git', debianPackage: 'git', why: 'the example workspaces (fresh git repositories) and the git attestor', neededBy: ['test', 'start'] },
  { command: 'openssl', debianPackage: 'openssl', why: 'example signing keys, and an implementation independent of ours to check signatures', neededBy: ['test', 'start'] },
  { command: 'jq', debianPackage: 'jq', why: 'the "Validate it locally" checks the tool pages show', neededBy: ['test', 'start'] },
  // Debian's kubernetes-client conflicts with an image's own kubectl package: only a missing kubectl is installed.
  { command: 'kubectl', debianPackage: 'kubernetes-client', why: 'the Kubescape cluster-snapshot example, which dumps the recorded cluster with the real kubectl', neededBy: ['test', 'start'], group: 'cluster', envOverride: 'KUBECTL' },
  { command: 'flawfinder', debianPackage: 'flawfinder', why: 'the flawfinder example, which runs the real tool', neededBy: ['test'] },
  { command: 'strace', debianPackage: 'strace', why: 'syscall tracing of wrapped commands, for entries that recommend a light or full trace', neededBy: ['test'] },
  { command: 'curl', debianPackage: 'curl', why: 'the policy guide\'s traced step that calls curl, which its CEL and Rego policies deny', neededBy: ['test'] },
  { command: 'time', debianPackage: 'time', why: 'GNU time: peak-memory measurements of cilock in the robustness tests and benchmarks', neededBy: ['test'] },
  { command: 'pgrep', debianPackage: 'procps', why: 'finding and signalling a running cilock in the signal-handling tests', neededBy: ['test'] },
  { command: 'script', debianPackage: 'bsdutils', why: 'giving cilock a pseudo-terminal in the signal-handling tests', neededBy: ['test'] },
  { command: 'chromium', debianPackage: 'chromium', why: 'the browser tests of the built site', neededBy: ['test'], group: 'browser', envOverride: 'CILOCK_CHROMIUM' },
];

type Env = Readonly<Record<string, string | undefined>>;

/** Where `command` runs from: its override variable if set, else the first match on PATH. */
export function locate(command: string, env: Env = process.env): string | undefined {
  const override = SYSTEM_TOOLS.find((t) => t.command === command)?.envOverride;
  const fromEnv = override ? env[override] : undefined;
  if (fromEnv) return which.sync(path.resolve(fromEnv), { nothrow: true }) === null ? undefined : fromEnv;
  // Empty PATH entries are skipped, not read as the current directory.
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean).join(path.delimiter);
  return (dirs ? which.sync(command, { path: dirs, nothrow: true }) : null) ?? undefined;
}

/** The groups CILOCK_TEST_SKIP leaves out; an unknown name is an error, not a silent no-op. */
export function optedOutGroups(env: Env = process.env): Set<TestGroup> {
  const names = (env.CILOCK_TEST_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(n in TEST_GROUPS));
  if (unknown.length) {
    throw new Error(`CILOCK_TEST_SKIP names unknown test group(s) ${unknown.join(', ')}; known: ${Object.keys(TEST_GROUPS).join(', ')}`);
  }
  return new Set(names as TestGroup[]);
}

export function installCommand(tools: readonly SystemTool[], sudo = ''): string {
  return `${sudo}apt-get update && ${sudo}apt-get install -y ${tools.map((t) => t.debianPackage).join(' ')}`;
}

/** How to get one missing program, for error messages. */
export function installHint(command: string): string {
  const tool = SYSTEM_TOOLS.find((t) => t.command === command);
  if (!tool) return `put ${command} on PATH`;
  const parts = [`npm test installs it when run as root, or run: ${installCommand([tool], 'sudo ')}`];
  if (tool.envOverride) parts.push(`or point ${tool.envOverride} at a ${command} binary`);
  if (tool.group) parts.push(`or leave these tests out with CILOCK_TEST_SKIP=${tool.group}`);
  return `${parts.join('; ')} (needed for ${tool.why})`;
}
