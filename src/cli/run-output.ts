/**
 * Where the envelope goes. `--outfile` must name a regular file or a new path: the envelope is
 * written to a temporary file beside it, flushed and renamed over it (write-file-atomic, which also
 * removes the temporary file when cilock is interrupted), so a reader never sees half an
 * attestation and a FIFO, device, socket or directory is never replaced.
 */
import { access, realpath, stat } from 'node:fs/promises';
import { constants, type Stats } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { writeFileAtomicAsync } from '../util/atomic-write.js';
import { CilockError } from '../util/errors.js';

export interface OutfileTarget {
  /** Absolute path. */
  readonly path: string;
  /** As the user wrote it, for messages. */
  readonly shown: string;
}

function kindOf(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Refuses an existing target that is not a regular file: replacing it would destroy it. */
async function refuseSpecialFile(target: OutfileTarget): Promise<Stats | undefined> {
  const existing = await stat(target.path).catch(() => undefined);
  const kind = existing && kindOf(existing);
  if (kind === 'a directory') throw new CilockError(`--outfile ${target.shown} is a directory; pass a file path such as ${join(target.shown, 'attestation.json')}`, 2);
  if (kind !== undefined) {
    throw new CilockError(`--outfile ${target.shown} is ${kind}; the envelope is written by replacing the file, which would destroy it; pass a regular file or a new path (leave -o out to get the envelope on stdout)`, 2);
  }
  return existing;
}

function isInside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Fails before anything runs when the outfile could not be written later, or would replace
 * something it must not: a non-regular file, or one of the run's own materials (a file already in
 * the working directory) unless `overwriteMaterial`.
 */
export async function checkOutfile(target: OutfileTarget, options: { workingDir: string; overwriteMaterial: boolean }): Promise<void> {
  if (/[/\\]$/.test(target.shown)) {
    throw new CilockError(`--outfile ${target.shown} ends with a slash, so it names a directory; pass a file path such as ${target.shown}attestation.json`, 2);
  }
  const existing = await refuseSpecialFile(target);
  // A symbolic link is written through (write-file-atomic resolves it), so check where it points.
  const real = existing ? await realpath(target.path) : target.path;
  const dir = dirname(real);
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new Error('not a directory');
    await access(dir, constants.W_OK);
  } catch {
    throw new CilockError(`cannot write --outfile ${target.shown}: the directory ${dir} does not exist or is not writable; create it first or choose another path`, 2);
  }
  if (existing && !options.overwriteMaterial && isInside(await realpath(options.workingDir), real)) {
    throw new CilockError(
      `--outfile ${target.shown} already exists in the working directory, so it is one of this run's materials; writing the envelope over it would change a file the attestation records. Choose a new path, or pass --outfile-overwrite-material if replacing it is intended`,
      2,
    );
  }
}

/** `onTempFile` lets a test act while the temporary file exists (before it is renamed). */
export async function writeFileAtomically(target: OutfileTarget, data: string | Uint8Array, onTempFile?: (temp: string) => Promise<void>): Promise<void> {
  // Checked again: the path may have been replaced while the command ran.
  await refuseSpecialFile(target);
  try {
    await writeFileAtomicAsync(target.path, data, onTempFile);
  } catch (error) {
    throw new CilockError(`cannot write --outfile ${target.shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 1);
  }
}

export function outfileTarget(cwd: string, outfile: string): OutfileTarget {
  return { path: resolve(cwd, outfile), shown: outfile };
}

