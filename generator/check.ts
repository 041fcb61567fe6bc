/** Compares rendered files with what is on disk: stale (with a unified diff), missing, orphaned. */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import writeFileAtomic from 'write-file-atomic';
import type { GeneratedFile } from './pages.js';

export interface Drift {
  stale: { path: string; diff: string }[];
  missing: string[];
  orphaned: string[];
}

/** Files under the generated folders that no longer correspond to a catalog entry. */
function orphans(root: string, dirs: readonly string[], files: GeneratedFile[]): string[] {
  const wanted = new Set(files.map((f) => f.path));
  const out: string[] = [];
  for (const dir of dirs) {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs).sort()) {
      const rel = `${dir}/${name}`;
      if (/\.mdx?$/.test(name) && !wanted.has(rel)) out.push(rel);
    }
  }
  return out;
}

export function findDrift(root: string, dirs: readonly string[], files: GeneratedFile[]): Drift {
  const drift: Drift = { stale: [], missing: [], orphaned: orphans(root, dirs, files) };
  for (const f of files) {
    const abs = path.join(root, f.path);
    if (!existsSync(abs)) {
      drift.missing.push(f.path);
      continue;
    }
    const current = readFileSync(abs, 'utf8');
    if (current !== f.content) drift.stale.push({ path: f.path, diff: createTwoFilesPatch(`a/${f.path}`, `b/${f.path}`, current, f.content, 'committed', 'from the binary') });
  }
  return drift;
}

export function hasDrift(d: Drift): boolean {
  return d.stale.length + d.missing.length + d.orphaned.length > 0;
}

export function describeDrift(d: Drift): string {
  const lines: string[] = [];
  for (const s of d.stale) lines.push(s.diff);
  for (const m of d.missing) lines.push(`missing: ${m} (a catalog entry has no page yet)`);
  for (const o of d.orphaned) lines.push(`orphaned: ${o} (no catalog entry renders it any more)`);
  lines.push(`${d.stale.length} stale, ${d.missing.length} missing, ${d.orphaned.length} orphaned: run \`npm run gen:catalog\` and commit the result`);
  return lines.join('\n');
}

/** Writes what changed (atomically) and removes orphans; returns how many files it touched. */
export function applyDrift(root: string, files: GeneratedFile[], d: Drift): number {
  const changed = new Set([...d.stale.map((s) => s.path), ...d.missing]);
  for (const f of files) {
    if (!changed.has(f.path)) continue;
    mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
    writeFileAtomic.sync(path.join(root, f.path), f.content);
  }
  for (const o of d.orphaned) rmSync(path.join(root, o));
  return changed.size + d.orphaned.length;
}
