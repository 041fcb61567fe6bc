/**
 * Walk + hash of the working tree, shared by the material and product attestors. Files that
 * changed kind or disappeared between the walk and the hash are skipped and reported like the
 * walk's own skips.
 */
import type { DigestSet } from '../attestation/statement.js';
import { nowMicros } from '../attestation/time.js';
import { digestRegularFileSync, NotRegularFileError, type HashName } from '../files/digest.js';
import { walkTree, type SkippedEntry, type SkipReason, type WalkedFile, type WalkResult } from './file-walk.js';
import { CilockError } from '../util/errors.js';

export class HashFileError extends CilockError {}

export interface SnapshotEntry {
  /** The walked file, with the stat of the descriptor that was hashed. */
  readonly file: WalkedFile;
  readonly digest: DigestSet;
}

export interface Snapshot {
  readonly entries: SnapshotEntry[];
  readonly skipped: SkippedEntry[];
}

export type ReuseDigest = (file: WalkedFile) => DigestSet | undefined;

/** The skip reason for a file that could not be hashed, or undefined when the run must stop. */
function hashSkipReason(error: unknown): SkipReason | undefined {
  if (error instanceof NotRegularFileError) return 'not-a-regular-file';
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'vanished';
    case 'ENAMETOOLONG':
      return 'path-too-long';
    case 'ELOOP': // replaced by a symlink (opened with O_NOFOLLOW)
    case 'ENXIO': // replaced by a socket
      return 'not-a-regular-file';
    default:
      return undefined;
  }
}

/** Hashes the files of a walk; `reuse` may return a digest already known for an unchanged file. */
export function hashWalk(root: string, walk: WalkResult, hashes: readonly HashName[], reuse?: ReuseDigest): Snapshot {
  const entries: SnapshotEntry[] = [];
  const skipped = [...walk.skipped];
  for (const file of walk.files) {
    const known = reuse?.(file);
    if (known) {
      entries.push({ file, digest: known });
      continue;
    }
    try {
      const { digest, stat } = digestRegularFileSync(file.absolutePath, hashes, { noFollow: true });
      entries.push({ file: { ...file, stat }, digest });
    } catch (error) {
      const reason = hashSkipReason(error);
      if (reason === undefined) {
        throw new HashFileError(`cannot read "${file.path}" under ${root} to hash it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; make it readable or run from a different --workingdir`);
      }
      skipped.push({ path: file.path, reason });
    }
  }
  return { entries, skipped };
}

/** Walks `root` and hashes every file. */
export async function snapshotTree(root: string, hashes: readonly HashName[], reuse?: ReuseDigest): Promise<Snapshot> {
  return hashWalk(root, await walkTree(root), hashes, reuse);
}

/** Wall-clock nanoseconds since the epoch (microsecond resolution), comparable with file timestamps. */
export function wallClockNs(): bigint {
  return nowMicros() * 1000n;
}
