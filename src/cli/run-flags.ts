/**
 * The options that fill the placeholders of a suggested `cilock run` line (`plan`, `tools show`,
 * `tools export`). The key keeps `run`'s own option name; the outfile is `--run-outfile`, because
 * on these commands a bare `--outfile` would read as "write this command's output there".
 */
import type { Command } from 'commander';
import type { RunFlags } from '../detection/run-line.js';

export interface RunFlagOptions {
  signerFileKeyPath?: string;
  runOutfile?: string;
}

export function withRunFlagOptions(command: Command): Command {
  return command
    .option('--signer-file-key-path <file>', 'put this key in the suggested run line instead of <key.pem>')
    .option('--run-outfile <file>', 'add --outfile FILE to the suggested run line (else it writes the attestation to stdout)');
}

export function runFlagsOf(opts: RunFlagOptions): RunFlags {
  return { ...(opts.signerFileKeyPath !== undefined && { keyPath: opts.signerFileKeyPath }), ...(opts.runOutfile !== undefined && { outfile: opts.runOutfile }) };
}
