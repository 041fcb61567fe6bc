/**
 * `cilock run [flags] -- <command…>`: runs the command as a direct child and writes a signed
 * DSSE envelope holding an in-toto Statement v0.1 whose predicate is the attestation collection.
 *
 * Exit codes: 0 success; 1 when the command failed (unless --ignore-command-exit-code; the
 * envelope is still written), an attestor failed, or preflight (key, git, command lookup) failed;
 * 2 for usage errors; 128+n when signal n interrupted cilock (nothing is signed) or ended the command.
 */
import { writeSync } from 'node:fs';
import type { Command } from 'commander';
import { defineRunFlags, parseRunFlags, type RawRunFlags } from './run-options.js';

export type { RunIo, RunOutcome } from './run-execute.js';
export { parseRunFlags, type RunOptions } from './run-options.js';

const EXAMPLES = `
Examples:
  cilock run -s build -k key.pem -o build.att.json -- make build
  cilock run --trace -s build -k key.pem -o build.att.json -- make build   # also every process (strace)
  cilock run --step kubescape-scan --signer-file-key-path key.pem --outfile attestation.json \\
    --attestations sarif,environment,git --enable-archivista=false \\
    -- kubescape scan framework nsa --format sarif --output kubescape.sarif manifests/

Collection order: environment, git, material, command-run, product, sarif.

Exit codes: 0 success; 1 the command or an attestor failed; 2 usage error (bad flag, unusable
--outfile); 128+n when signal n (SIGINT, SIGTERM, SIGHUP) interrupted cilock, which then signs
nothing, or ended the wrapped command.`;

export function registerRunCommand(program: Command): Command {
  // Tool flags after the command must reach the tool, which needs positional options on the parent.
  program.enablePositionalOptions();
  const command = program
    .command('run')
    .description('run a command and sign what it did and wrote as an in-toto attestation')
    .argument('<command...>', 'the command to wrap (put it after --)')
    .passThroughOptions()
    .addHelpText('after', EXAMPLES);
  defineRunFlags(command);
  command.action(async (argv: string[], flags: RawRunFlags) => {
    const options = parseRunFlags(flags, argv, process.env);
    // A reader that stops early (`cilock run … | head`) must not crash the run before the envelope
    // is signed and written; the mirrored output is a convenience, the outfile is the record.
    const ignoreBrokenPipe = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    };
    process.stdout.on('error', ignoreBrokenPipe);
    process.stderr.on('error', ignoreBrokenPipe);
    // Loaded here, not at start-up: `cilock --help` and the other commands never need it.
    const { executeRun } = await import('./run-execute.js');
    await executeRun(options, {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
      stop: (message, exitCode) => {
        // Synchronous: process.stderr may be an asynchronous pipe, and exit must not wait for it.
        try {
          writeSync(2, `cilock: ${message}\n`);
        } catch {
          // Nowhere left to say it; the exit code still tells.
        }
        process.exit(exitCode);
      },
    });
  });
  return command;
}
