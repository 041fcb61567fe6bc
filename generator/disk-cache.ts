/**
 * Results of pure, expensive steps (Markdown → MDX, page lint) kept across runs in the git-ignored
 * .cache/ (beside the catalog check's), keyed by a hash of their input. The namespace hashes the code
 * and dependencies that compute them, so a change there starts an empty cache instead of reusing
 * stale answers. After a one-line doc.md edit only the changed text is converted and linted again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import writeFileAtomic from 'write-file-atomic';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, '.cache');

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface DiskCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  /** Writes the entries used in this run (entries no longer asked for are dropped), if any changed. */
  save(): void;
}

/** `codeFiles` (repo-relative) are the modules whose behaviour the cached values depend on. */
export function diskCache<V>(name: string, codeFiles: string[]): DiskCache<V> {
  const namespace = sha256([...codeFiles, 'package-lock.json'].map((f) => readFileSync(path.join(root, f), 'utf8')).join('\0'));
  const file = path.join(dir, `gen-${name}.json`);
  let stored: Record<string, V> = {};
  if (existsSync(file)) {
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { namespace?: string; entries?: Record<string, V> };
      if (data.namespace === namespace && data.entries) stored = data.entries;
    } catch {
      // A damaged cache is an empty one.
    }
  }
  const used: Record<string, V> = {};
  let changed = false;
  return {
    get(key) {
      const hit = stored[key];
      if (hit !== undefined) used[key] = hit;
      return hit;
    },
    set(key, value) {
      used[key] = value;
      changed = true;
    },
    save() {
      if (!changed && Object.keys(used).length === Object.keys(stored).length) return;
      mkdirSync(dir, { recursive: true });
      writeFileAtomic.sync(file, JSON.stringify({ namespace, entries: used }));
    },
  };
}
