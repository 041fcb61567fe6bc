/**
 * Registers `cilock sign`. The signing code loads only when the command runs, so start-up and
 * `--help` stay fast.
 */
import type { Command } from 'commander';
import { WITNESS_POLICY_PAYLOAD_TYPE } from '../attestation/payload-types.js';
import type { RawSignFlags } from './sign.js';

const SIGN_HELP = `
The payload is FILE's bytes, unchanged; the envelope is written atomically (a temporary file
renamed over OUT, so a reader never sees half of it) and ends with a newline.

Examples:
  cilock sign -k key.pem -f policy.json -o policy.signed.json
  cilock verify app -p policy.signed.json -k key.pub.pem -a build.att.json

Exit codes: 0 signed and written; 1 the key could not be used or OUT could not be written;
2 usage error (missing or unreadable -f/-k, a policy that is not a JSON object, an unusable -o).`;

export function registerSignCommand(program: Command): Command {
  return program
    .command('sign')
    .description('sign a file (by default a policy) into a DSSE envelope')
    .addHelpText('after', SIGN_HELP)
    .option('-f, --infile <file>', 'the file to sign (a policy JSON by default)')
    .option('-o, --outfile <file>', 'where to write the signed envelope (default: stdout)')
    .option('-t, --datatype <type>', 'the DSSE payloadType', WITNESS_POLICY_PAYLOAD_TYPE)
    .option('-k, --signer-file-key-path <path>', 'private key (PEM: PKCS#8, PKCS#1, SEC1 or encrypted PKCS#8) to sign with')
    .option('--signer-file-key-passphrase <passphrase>', 'passphrase of an encrypted key (or set AFLOCK_KEY_PASSPHRASE)')
    .option('--signer-file-key-passphrase-path <path>', 'file whose first line is the key passphrase')
    .action(async (flags: RawSignFlags) => {
      const { executeSign } = await import('./sign.js');
      const envelope = await executeSign(flags, { cwd: process.cwd(), env: process.env });
      if (envelope !== undefined) process.stdout.write(envelope);
    });
}
