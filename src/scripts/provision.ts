/**
 * Installs the system programs `npm test` / `npm start` need (declared in system-tools.ts) before
 * they run: as root with apt-get (one `apt-get update`, then one install of every missing package);
 * otherwise it stops and prints the exact command to run. Nothing is installed that is already there.
 *
 *   tsx src/scripts/provision.ts test|start [--dry-run]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { installCommand, locate, optedOutGroups, SYSTEM_TOOLS, type Purpose, type SystemTool } from './system-tools.js';

type Env = Readonly<Record<string, string | undefined>>;

export type Decision =
  | { action: 'none' }
  | { action: 'install'; missing: SystemTool[]; commands: string[][] }
  | { action: 'stop'; missing: SystemTool[]; message: string };

export function missingTools(purpose: Purpose, env: Env): SystemTool[] {
  const skipped = purpose === 'test' ? optedOutGroups(env) : new Set();
  return SYSTEM_TOOLS.filter((t) => t.neededBy.includes(purpose) && !(t.group && skipped.has(t.group)) && !locate(t.command, env));
}

function listing(missing: readonly SystemTool[]): string {
  return missing.map((t) => `  ${t.command} (Debian package ${t.debianPackage}): ${t.why}`).join('\n');
}

export function decide(purpose: Purpose, env: Env, uid: number): Decision {
  const missing = missingTools(purpose, env);
  if (!missing.length) return { action: 'none' };
  const head = `npm ${purpose} needs ${missing.length} program(s) that are not installed:\n${listing(missing)}\n`;
  const optOut = purpose === 'test' && missing.some((t) => t.group) ? '\n(or leave a group out on purpose: CILOCK_TEST_SKIP=<group>, see README.md)' : '';
  if (!locate('apt-get', env)) {
    return { action: 'stop', missing, message: `${head}There is no apt-get here: install them with your package manager, then run npm ${purpose} again.${optOut}` };
  }
  if (uid !== 0) {
    return { action: 'stop', missing, message: `${head}Not running as root, so nothing was installed. Run:\n  ${installCommand(missing, 'sudo ')}\nthen npm ${purpose} again.${optOut}` };
  }
  const packages = missing.map((t) => t.debianPackage);
  return { action: 'install', missing, commands: [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', ...packages]] };
}

export interface ProvisionOptions {
  env: Env;
  uid: number;
  dryRun: boolean;
  /** Runs one command, returns its exit status. */
  run: (argv: string[]) => number;
  log: (line: string) => void;
}

/** Returns the exit code: 0 when everything needed is there (or would be, with --dry-run). */
export function provision(purpose: Purpose, opts: ProvisionOptions): number {
  let decision: Decision;
  try {
    decision = decide(purpose, opts.env, opts.uid);
  } catch (error) {
    opts.log(`provision: ${(error as Error).message}`);
    return 2;
  }
  if (decision.action === 'none') return 0;
  if (decision.action === 'stop') {
    opts.log(decision.message);
    return 1;
  }
  opts.log(`npm ${purpose}: ${opts.dryRun ? 'would install' : 'installing'} ${decision.missing.map((t) => `${t.debianPackage} (${t.why})`).join(', ')}`);
  for (const argv of decision.commands) {
    opts.log(`${opts.dryRun ? 'would run' : 'running'}: ${argv.join(' ')}`);
    if (opts.dryRun) continue;
    const status = opts.run(argv);
    if (status !== 0) {
      opts.log(`provision: \`${argv.join(' ')}\` failed (exit ${status}); fix that and run npm ${purpose} again`);
      return 1;
    }
  }
  if (opts.dryRun) return 0;
  const still = missingTools(purpose, opts.env);
  if (still.length) {
    opts.log(`provision: still missing after apt-get install: ${still.map((t) => t.command).join(', ')}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const purpose = process.argv[2];
  if (purpose !== 'test' && purpose !== 'start') {
    process.stderr.write('usage: tsx src/scripts/provision.ts test|start [--dry-run]\n');
    process.exit(2);
  }
  process.exitCode = provision(purpose, {
    env: process.env,
    uid: process.getuid?.() ?? -1,
    dryRun: process.argv.includes('--dry-run'),
    run: (argv) => spawnSync(argv[0]!, argv.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status ?? 1,
    log: (line) => process.stderr.write(`${line}\n`),
  });
}
