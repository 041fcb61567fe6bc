/**
 * Walks a working tree the way material and product snapshots need it:
 * - only regular files are entries (directories, FIFOs, sockets and devices are not);
 * - symlinks whose resolved target stays inside the tree are followed, and the target's content is
 *   recorded under the link's own path (`<link>/<relpath>` for a linked directory);
 * - symlinks that resolve outside the tree, and broken symlinks, are skipped;
 * - a linked directory that is one of its own ancestors is skipped, which stops link cycles.
 * Nothing is skipped by name: `.git/` is walked like any other directory.
 *
 * The file system calls are synchronous: a walk has nothing to overlap with, and sync calls cost
 * a fraction of their promise forms when there are thousands of them.
 */
import { readdirSync, realpathSync, statSync, type BigIntStats, type Dirent } from 'node:fs';
import { join, sep } from 'node:path';
import { compareStrings } from '../attestation/json.js';

export interface WalkedFile {
  /** Path relative to the walk root, with `/` separators. */
  readonly path: string;
  /** Absolute path to open (through any followed links). */
  readonly absolutePath: string;
  /** Stat of the file the path resolves to. */
  readonly stat: BigIntStats;
}

export interface SkippedEntry {
  readonly path: string;
  readonly reason: 'symlink-outside-tree' | 'broken-symlink' | 'symlink-cycle' | 'not-a-regular-file' | 'vanished';
}

export interface WalkResult {
  readonly files: WalkedFile[];
  readonly skipped: SkippedEntry[];
}

export class WalkError extends Error {}

export async function walkTree(root: string): Promise<WalkResult> {
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch (error) {
    throw new WalkError(`cannot read working directory ${root}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const files: WalkedFile[] = [];
  const skipped: SkippedEntry[] = [];
  const inTree = (target: string) => target === rootReal || target.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);

  function walkDirectory(openPath: string, relPrefix: string, realDir: string, ancestors: ReadonlySet<string>): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(openPath, { withFileTypes: true });
    } catch (error) {
      const where = relPrefix === '' ? '.' : relPrefix.slice(0, -1);
      throw new WalkError(`cannot read directory "${where}" under ${root}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; make it readable or run from a different --workingdir`);
    }
    entries.sort((a, b) => compareStrings(a.name, b.name));
    const fileEntries: Dirent[] = [];
    const subdirs: { openPath: string; rel: string; real: string }[] = [];
    for (const entry of entries) {
      const rel = relPrefix + entry.name;
      const entryPath = join(openPath, entry.name);
      if (entry.isFile()) {
        fileEntries.push(entry);
      } else if (entry.isDirectory()) {
        subdirs.push({ openPath: entryPath, rel, real: join(realDir, entry.name) });
      } else if (entry.isSymbolicLink()) {
        let target: string;
        let targetStat: BigIntStats;
        try {
          target = realpathSync(entryPath);
          targetStat = statSync(target, { bigint: true });
        } catch {
          skipped.push({ path: rel, reason: 'broken-symlink' });
          continue;
        }
        if (!inTree(target)) {
          skipped.push({ path: rel, reason: 'symlink-outside-tree' });
        } else if (targetStat.isFile()) {
          files.push({ path: rel, absolutePath: target, stat: targetStat });
        } else if (targetStat.isDirectory()) {
          if (target === realDir || ancestors.has(target)) skipped.push({ path: rel, reason: 'symlink-cycle' });
          else subdirs.push({ openPath: target, rel, real: target });
        } else {
          skipped.push({ path: rel, reason: 'not-a-regular-file' });
        }
      } else {
        skipped.push({ path: rel, reason: 'not-a-regular-file' });
      }
    }
    for (const entry of fileEntries) {
      const path = join(openPath, entry.name);
      let info: BigIntStats;
      try {
        info = statSync(path, { bigint: true });
      } catch (error) {
        // Deleted between listing and stat (a concurrent process's temp file): it is simply not there.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          skipped.push({ path: relPrefix + entry.name, reason: 'vanished' });
          continue;
        }
        throw new WalkError(`cannot stat "${relPrefix + entry.name}" under ${root}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      files.push({ path: relPrefix + entry.name, absolutePath: path, stat: info });
    }
    const nextAncestors = new Set(ancestors).add(realDir);
    for (const dir of subdirs) walkDirectory(dir.openPath, `${dir.rel}/`, dir.real, nextAncestors);
  }

  walkDirectory(rootReal, '', rootReal, new Set());
  files.sort((a, b) => compareStrings(a.path, b.path));
  return { files, skipped };
}
