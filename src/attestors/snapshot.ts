/**
 * Walk + hash of the working tree, shared by the material and product attestors.
 */
import type { DigestSet } from '../attestation/statement.js';
import { nowMicros } from '../attestation/time.js';
import { digestFileSync, type HashName } from './digest.js';
import { walkTree, type WalkedFile } from './file-walk.js';

export class HashFileError extends Error {}

function hashError(root: string, file: WalkedFile, error: unknown): HashFileError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new HashFileError(`cannot read "${file.path}" under ${root} to hash it: ${code}; make it readable or run from a different --workingdir`);
}

/** Walks `root` and hashes every file; `reuse` may return a digest already known for an unchanged file. */
export async function snapshotTree(
  root: string,
  hashes: readonly HashName[],
  reuse?: (file: WalkedFile) => DigestSet | undefined,
): Promise<{ file: WalkedFile; digest: DigestSet }[]> {
  const { files } = await walkTree(root);
  const snapshot: { file: WalkedFile; digest: DigestSet }[] = [];
  for (const file of files) {
    const known = reuse?.(file);
    if (known) {
      snapshot.push({ file, digest: known });
      continue;
    }
    try {
      snapshot.push({ file, digest: digestFileSync(file.absolutePath, hashes) });
    } catch (error) {
      // A file deleted after the walk listed it is not part of the tree any more.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw hashError(root, file, error);
    }
  }
  return snapshot;
}

/** Wall-clock nanoseconds since the epoch (microsecond resolution), comparable with file timestamps. */
export function wallClockNs(): bigint {
  return nowMicros() * 1000n;
}
