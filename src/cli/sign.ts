/**
 * `cilock sign -k KEY -f FILE [-o OUT] [-t TYPE]`: a DSSE envelope over FILE's exact bytes, as
 * upstream's sign writes it. A policy (the default payload type) must at least be a JSON object, so
 * a wrong file is caught here and not at verify time.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { signEnvelope } from '../attestation/dsse.js';
import { goJson } from '../attestation/json.js';
import { loadSigningKey } from '../attestation/keys.js';
import { POLICY_PAYLOAD_TYPES } from '../attestation/payload-types.js';
import { CilockError } from '../util/errors.js';
import { outfileTarget, writeFileAtomically } from './run-output.js';
import { readPassphraseFile } from './run-options.js';

export interface RawSignFlags {
  infile?: string;
  outfile?: string;
  datatype?: string;
  signerFileKeyPath?: string;
  signerFileKeyPassphrase?: string;
  signerFileKeyPassphrasePath?: string;
}

export interface SignIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const KEYGEN_HINT = 'create one with: openssl genpkey -algorithm ed25519 -out key.pem';

async function read(path: string, cwd: string, what: string, fix: string, exitCode: number): Promise<Buffer> {
  try {
    return await readFile(resolve(cwd, path));
  } catch (error) {
    throw new CilockError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; ${fix}`, exitCode);
  }
}

/** A policy payload must parse as a JSON object; anything else is almost surely the wrong file. */
function checkPolicyPayload(bytes: Buffer, file: string, datatype: string): void {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new CilockError(`${file} is not JSON (${(error as Error).message}), but the payload type ${datatype} is a policy; fix the file, or pass -t/--datatype <type> to sign other data`, 2);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CilockError(`${file} is JSON but not an object, so it is no policy ({"expires": …, "steps": {…}}); fix the file, or pass -t/--datatype <type> to sign other data`, 2);
  }
}

/** Signs and writes the envelope; returns its text when it goes to stdout (no -o). */
export async function executeSign(raw: RawSignFlags, io: SignIo): Promise<string | undefined> {
  if (raw.infile === undefined || raw.infile === '') throw new CilockError('no file to sign: pass -f/--infile FILE, e.g. cilock sign -k key.pem -f policy.json -o policy.signed.json', 2);
  if (raw.signerFileKeyPath === undefined || raw.signerFileKeyPath === '') throw new CilockError(`no signing key: pass -k/--signer-file-key-path <key.pem> (${KEYGEN_HINT})`, 2);
  if (raw.signerFileKeyPassphrase !== undefined && raw.signerFileKeyPassphrasePath !== undefined) {
    throw new CilockError('--signer-file-key-passphrase and --signer-file-key-passphrase-path were both given; pass only one', 2);
  }
  const datatype = raw.datatype ?? POLICY_PAYLOAD_TYPES[0]!;
  if (datatype.trim() === '') throw new CilockError('-t/--datatype is empty; leave it out for a policy, or name the payload type', 2);
  if (raw.outfile !== undefined && raw.outfile.trim() === '') throw new CilockError('--outfile is empty; pass a file path, or leave -o out to get the envelope on stdout', 2);
  const target = raw.outfile === undefined ? undefined : outfileTarget(io.cwd, raw.outfile);
  if (target && target.path === resolve(io.cwd, raw.infile)) {
    throw new CilockError(`-o/--outfile ${raw.outfile} is the file being signed; writing the envelope over it would lose the original, so choose another path such as ${raw.infile}.signed.json`, 2);
  }

  const payload = await read(raw.infile, io.cwd, '-f/--infile', 'check the path', 2);
  if (POLICY_PAYLOAD_TYPES.includes(datatype)) checkPolicyPayload(payload, raw.infile, datatype);
  const keyText = (await read(raw.signerFileKeyPath, io.cwd, 'key file', `check -k/--signer-file-key-path (${KEYGEN_HINT})`, 2)).toString('utf8');
  const passphrase =
    raw.signerFileKeyPassphrase ??
    (raw.signerFileKeyPassphrasePath !== undefined ? readPassphraseFile(resolve(io.cwd, raw.signerFileKeyPassphrasePath)) : undefined) ??
    io.env.AFLOCK_KEY_PASSPHRASE ??
    io.env.WITNESS_KEY_PASSPHRASE;
  const key = loadSigningKey(keyText, raw.signerFileKeyPath, passphrase);
  const text = `${goJson(signEnvelope(payload, datatype, key))}\n`;
  if (!target) return text;
  await writeFileAtomically(target, text);
  return undefined;
}
