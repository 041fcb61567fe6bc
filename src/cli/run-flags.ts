/**
 * The options that fill the placeholders of a suggested `cilock run` line (`plan`, `tools show`,
 * `tools export`): the same names as `run`'s own, so the suggestion can be pasted as it is.
 */
import type { Command } from 'commander';
import type { RunFlags } from '../detection/run-line.js';

export function withRunFlagOptions(command: Command): Command {
  return command
    .option('--signer-file-key-path <file>', 'put this key in the suggested run line instead of <key.pem>')
    .option('--outfile <file>', 'add --outfile FILE to the suggested run line (else it writes to stdout)');
}

export function runFlagsOf(opts: { signerFileKeyPath?: string; outfile?: string }): RunFlags {
  return { ...(opts.signerFileKeyPath !== undefined && { keyPath: opts.signerFileKeyPath }), ...(opts.outfile !== undefined && { outfile: opts.outfile }) };
}
