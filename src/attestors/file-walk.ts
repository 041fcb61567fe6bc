/**
 * Walks a working tree the way material and product snapshots need it:
 * - only regular files are entries (directories are walked, FIFOs, sockets and devices skipped);
 * - names are read as bytes and written with the lossless leaf-path encoding (src/files/path-encoding.ts),
 *   so a name that is not valid UTF-8 is recorded, not lost;
 * - every real directory is walked once, found by device + inode, under its real path in the
 *   tree. Symlinks to files inside the tree are recorded under the link's own path; symlinks to
 *   directories inside the tree are not followed (the directory is recorded where it really is),
 *   which keeps a tree of links linear to walk however many paths the links create;
 * - symlinks that resolve outside the tree, broken symlinks and paths the kernel refuses as too
 *   long (PATH_MAX) are skipped.
 * Every skipped entry is returned with its reason, for the attestor to report; nothing is dropped
 * silently, and nothing is skipped by name: `.git/` is walked like any other directory.
 *
 * The file system calls are synchronous: a walk has nothing to overlap with, and sync calls cost
 * a fraction of their promise forms when there are thousands of them.
 */
import { lstatSync, readdirSync, realpathSync, statSync, type BigIntStats, type Dirent } from 'node:fs';
import { compareStrings } from '../attestation/json.js';
import { MAX_VERIFY_LEAVES } from '../merkle/merkle.js';
import { encodeName } from '../files/path-encoding.js';
import { CilockError } from '../util/errors.js';

/**
 * The most directory entries one walk reads. A larger tree could not be verified anyway
 * (verification refuses more leaves than this), and the cap keeps memory bounded on a hostile tree.
 */
export const MAX_WALK_ENTRIES = MAX_VERIFY_LEAVES;

export interface WalkedFile {
  /** Path relative to the walk root, with `/` separators, in the leaf-path encoding. */
  readonly path: string;
  /** Absolute path to open, as raw bytes (the real path of a linked file). */
  readonly absolutePath: Buffer;
  /** Stat of the file the path resolves to. */
  readonly stat: BigIntStats;
}

/** Why an entry is not in the tree, with the words the run summary uses for it (declaration order is report order). */
export const SKIP_REASONS = {
  'broken-symlink': 'broken symlink(s)',
  'linked-directory': 'symlink(s) to a directory inside the tree, recorded under its real path instead',
  'not-a-regular-file': 'entry(ies) that are not regular files (FIFOs, sockets, devices)',
  'path-too-long': 'path(s) longer than the system limit (PATH_MAX)',
  'repeated-directory': 'directory(ies) already walked under another path (a bind mount)',
  'symlink-cycle': 'symlink(s) to a directory that contains them (a cycle)',
  'symlink-outside-tree': 'symlink(s) that leave the working directory',
  vanished: 'entry(ies) deleted while the tree was read',
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;

export interface SkippedEntry {
  readonly path: string;
  readonly reason: SkipReason;
}

export interface WalkResult {
  readonly files: WalkedFile[];
  readonly skipped: SkippedEntry[];
}

export class WalkError extends CilockError {}

/** How many paths per reason a report lists before it only counts. */
const SHOWN_PER_REASON = 10;

/** One line per reason: its count and the first paths (sorted), e.g. for the run summary. */
export function describeSkipped(skipped: readonly SkippedEntry[]): string[] {
  const lines: string[] = [];
  for (const reason of Object.keys(SKIP_REASONS) as SkipReason[]) {
    const paths = skipped.filter((entry) => entry.reason === reason).map((entry) => entry.path).sort(compareStrings);
    if (paths.length === 0) continue;
    const shown = paths.slice(0, SHOWN_PER_REASON).map((path) => JSON.stringify(path).slice(1, -1));
    const more = paths.length > shown.length ? `, and ${paths.length - shown.length} more` : '';
    lines.push(`skipped ${paths.length} ${SKIP_REASONS[reason]}: ${shown.join(', ')}${more}`);
  }
  return lines;
}

const SLASH = Buffer.from('/');

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** The skip reason for an error that only affects this entry, or undefined when the walk must stop. */
function skipReasonFor(error: unknown): SkipReason | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENAMETOOLONG') return 'path-too-long';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'vanished';
  return undefined;
}

/** True when `path` is `dir` or lies below it (byte comparison, both real paths). */
function isWithin(path: Buffer, dir: Buffer): boolean {
  if (dir.length === 1) return true; // the file system root
  if (path.length === dir.length) return path.equals(dir);
  return path.length > dir.length && path[dir.length] === 0x2f && path.compare(dir, 0, dir.length, 0, dir.length) === 0;
}

interface PendingDirectory {
  /** Real absolute path (no symlinks in it). */
  readonly open: Buffer;
  /** Encoded relative path with a trailing `/`, or '' for the root. */
  readonly rel: string;
}

/** What one walk has found so far, shared by the steps below. */
interface Walk {
  readonly root: string;
  readonly rootReal: Buffer;
  readonly maxEntries: number;
  readonly files: WalkedFile[];
  readonly skipped: SkippedEntry[];
  /** device:inode of every directory read, so that a bind mount is walked once. */
  readonly walked: Set<string>;
  entriesRead: number;
}

export async function walkTree(root: string, options: { maxEntries?: number } = {}): Promise<WalkResult> {
  let rootReal: Buffer;
  try {
    rootReal = realpathSync(root, { encoding: 'buffer' });
  } catch (error) {
    throw new WalkError(`cannot read working directory ${root}: ${errorCode(error)}`);
  }
  const walk: Walk = { root, rootReal, maxEntries: options.maxEntries ?? MAX_WALK_ENTRIES, files: [], skipped: [], walked: new Set(), entriesRead: 0 };
  const rootPrefix = rootReal.length === 1 ? Buffer.alloc(0) : rootReal; // "/" joins as "/name"
  const pending: PendingDirectory[] = [{ open: rootPrefix, rel: '' }];
  while (pending.length > 0) {
    const dir = pending.pop() as PendingDirectory;
    const entries = readDirectory(walk, dir);
    const subdirs = (entries ?? []).map((entry) => visitEntry(walk, dir, entry)).filter((d): d is PendingDirectory => d !== undefined);
    // Depth first, in directory order.
    for (let i = subdirs.length - 1; i >= 0; i--) pending.push(subdirs[i] as PendingDirectory);
  }
  walk.files.sort((a, b) => compareStrings(a.path, b.path));
  walk.skipped.sort((a, b) => compareStrings(a.path, b.path));
  return { files: walk.files, skipped: walk.skipped };
}

/** A directory's entries; undefined when it is skipped (walked already, vanished, too long a path). */
function readDirectory(walk: Walk, dir: PendingDirectory): Dirent<Buffer>[] | undefined {
  const where = dir.rel === '' ? '.' : dir.rel.slice(0, -1);
  const openPath = dir.open.length === 0 ? walk.rootReal : dir.open;
  let entries: Dirent<Buffer>[];
  try {
    const info = statSync(openPath, { bigint: true });
    const identity = `${info.dev}:${info.ino}`;
    if (walk.walked.has(identity)) {
      walk.skipped.push({ path: where, reason: 'repeated-directory' });
      return undefined;
    }
    walk.walked.add(identity);
    entries = readdirSync(openPath, { encoding: 'buffer', withFileTypes: true });
  } catch (error) {
    const reason = dir.rel === '' ? undefined : skipReasonFor(error);
    if (reason !== undefined) {
      walk.skipped.push({ path: where, reason });
      return undefined;
    }
    throw new WalkError(`cannot read directory "${where}" under ${walk.root}: ${errorCode(error)}; make it readable or run from a different --workingdir`);
  }
  walk.entriesRead += entries.length;
  if (walk.entriesRead > walk.maxEntries) {
    throw new WalkError(
      `the working directory ${walk.root} has more than ${walk.maxEntries} entries (files, directories and links), the most one walk reads; run from a smaller -d/--workingdir that holds only what the step needs`,
    );
  }
  return entries;
}

/** Records one entry as a file or a skip; returns it when it is a directory to walk. */
function visitEntry(walk: Walk, dir: PendingDirectory, entry: Dirent<Buffer>): PendingDirectory | undefined {
  const rel = dir.rel + encodeName(entry.name);
  const full = Buffer.concat([dir.open, SLASH, entry.name]);
  if (entry.isDirectory()) return { open: full, rel: `${rel}/` };
  if (entry.isFile()) visitFile(walk, rel, full);
  else if (entry.isSymbolicLink()) visitSymlink(walk, rel, full, dir.open.length === 0 ? walk.rootReal : dir.open);
  else walk.skipped.push({ path: rel, reason: 'not-a-regular-file' });
  return undefined;
}

function visitFile(walk: Walk, rel: string, full: Buffer): void {
  let info: BigIntStats;
  try {
    info = lstatSync(full, { bigint: true });
  } catch (error) {
    const reason = skipReasonFor(error);
    if (reason === undefined) throw new WalkError(`cannot stat "${rel}" under ${walk.root}: ${errorCode(error)}`);
    walk.skipped.push({ path: rel, reason });
    return;
  }
  if (info.isFile()) walk.files.push({ path: rel, absolutePath: full, stat: info });
  else walk.skipped.push({ path: rel, reason: 'not-a-regular-file' });
}

/** A link to a file inside the tree is that file under the link's path; links to directories are not followed. */
function visitSymlink(walk: Walk, rel: string, full: Buffer, parentReal: Buffer): void {
  let target: Buffer;
  let targetStat: BigIntStats;
  try {
    target = realpathSync(full, { encoding: 'buffer' });
    targetStat = statSync(target, { bigint: true });
  } catch (error) {
    walk.skipped.push({ path: rel, reason: (error as NodeJS.ErrnoException).code === 'ENAMETOOLONG' ? 'path-too-long' : 'broken-symlink' });
    return;
  }
  if (!isWithin(target, walk.rootReal)) walk.skipped.push({ path: rel, reason: 'symlink-outside-tree' });
  else if (targetStat.isFile()) walk.files.push({ path: rel, absolutePath: target, stat: targetStat });
  else if (targetStat.isDirectory()) walk.skipped.push({ path: rel, reason: isWithin(parentReal, target) ? 'symlink-cycle' : 'linked-directory' });
  else walk.skipped.push({ path: rel, reason: 'not-a-regular-file' });
}
