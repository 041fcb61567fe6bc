/**
 * The `cilock` entry point. Exit codes: 0 success, 1 failure (unknown tool, failed run or
 * verification), 2 usage error (bad flag or format, missing command).
 * `run` and `verify` load their heavier modules only when they run, so start-up stays fast.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isCilockError } from '../util/errors.js';
import { registerPlanCommand } from './plan.js';
import { registerSignCommand } from './sign-command.js';
import { registerToolsCommand } from './tools.js';
import { registerVerifyCommand } from './verify-command.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command('cilock')
    .description("Wrap a CI tool's run and sign what it did and wrote as an in-toto attestation")
    .version(pkg.version, '--version', 'print the cilock version')
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerToolsCommand(program);
  registerPlanCommand(program);
  registerVerifyCommand(program);
  registerSignCommand(program);
  // `run` pulls in node:crypto and the hashing code; `plan` and `tools` answer without it
  // (except `tools export`, which prints every command's --help).
  const [sub, subsub] = argv.filter((a) => !a.startsWith('-'));
  if (sub !== 'plan' && (sub !== 'tools' || subsub === 'export')) (await import('./run.js')).registerRunCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version end here too; commander has already printed what it had to say.
      return err.exitCode === 0 ? 0 : 2;
    }
    // Not instanceof: lazily loaded parts of the bundle carry their own copy of the class.
    if (isCilockError(err)) {
      process.stderr.write(`cilock: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`cilock: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }
}

// A reader that goes away (`cilock … | head`) is not an error of ours: stop writing to it, and let a
// run still finish and sign. Any other stdout failure is.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

// No top-level await: the start-up bundle is CommonJS (src/scripts/build-cli.ts says why).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
