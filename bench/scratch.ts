/**
 * A scratch copy of the repository for benchmarks that edit files: the tracked files (plus dist/
 * when asked), and a node_modules whose packages link to this checkout's but whose .cache (the
 * prebuilt bundles and result caches) is its own, so the copy never replaces this checkout's.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function scratchCopy(name: string, opts: { dist?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cilock-bench-${name}-`));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(path.join(root, f))) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(root, f), path.join(dir, f), { verbatimSymlinks: true });
  }
  if (opts.dist) cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules'));
  for (const entry of readdirSync(path.join(root, 'node_modules'))) {
    if (entry !== '.cache') symlinkSync(path.join(root, 'node_modules', entry), path.join(dir, 'node_modules', entry));
  }
  return dir;
}
