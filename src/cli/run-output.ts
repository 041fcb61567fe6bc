/**
 * Writing the envelope: to a temporary file in the destination directory, flushed, then renamed
 * over the destination, so a reader (or a crash) never sees a half-written attestation.
 */
import { access, open, rename, rm, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from './errors.js';

/** Fails before anything runs when the outfile could not be written later. */
export async function checkOutfileWritable(outfile: string, shown: string = outfile): Promise<void> {
  const path = resolve(outfile);
  const dir = dirname(path);
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new Error('not a directory');
    await access(dir, constants.W_OK);
  } catch {
    throw new CliError(`cannot write --outfile ${shown}: the directory ${dir} does not exist or is not writable; create it first or choose another path`, 2);
  }
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new CliError(`--outfile ${shown} is a directory; pass a file path such as ${join(shown, 'attestation.json')}`, 2);
}

export async function writeFileAtomically(outfile: string, data: string | Uint8Array, shown: string = outfile): Promise<void> {
  const path = resolve(outfile);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new CliError(`cannot write --outfile ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 1);
  }
}
