/**
 * Walk + hash of the working tree, shared by the material and product attestors.
 */
import type { DigestSet } from '../attestation/statement.js';
import { nowMicros } from '../attestation/time.js';
import { digestFileSync, type HashName } from './digest.js';
import { walkTree, type WalkedFile } from './file-walk.js';

export class HashFileError extends Error {}

export function hashWalkedFile(root: string, file: WalkedFile, hashes: readonly HashName[]): DigestSet {
  try {
    return digestFileSync(file.absolutePath, hashes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new HashFileError(`cannot read "${file.path}" under ${root} to hash it: ${code}; make it readable or run from a different --workingdir`);
  }
}

/** Walks `root` and hashes every file; `reuse` may return a digest already known for an unchanged file. */
export async function snapshotTree(
  root: string,
  hashes: readonly HashName[],
  reuse?: (file: WalkedFile) => DigestSet | undefined,
): Promise<{ file: WalkedFile; digest: DigestSet }[]> {
  const { files } = await walkTree(root);
  return files.map((file) => ({ file, digest: reuse?.(file) ?? hashWalkedFile(root, file, hashes) }));
}

/** Wall-clock nanoseconds since the epoch (microsecond resolution), comparable with file timestamps. */
export function wallClockNs(): bigint {
  return nowMicros() * 1000n;
}
