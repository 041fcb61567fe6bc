/**
 * `npm run catalog:check`: validates the whole catalog (schema, cross-references, doc.md sections,
 * `{{fact}}` references) and prints every problem at its place, without compiling the CLI or
 * building the site. Exit 0 when the catalog is valid, 1 when it has problems.
 *
 * It runs from an esbuild bundle (bin/prebuilt.mjs rebuilds it when a source changed) and keeps
 * each file's result in `.cache/catalog-check.json`, keyed by a hash of the file, the entry a
 * doc.md quotes and the checker itself: YAML and Markdown parsing of ~100 entries is what takes
 * the time, and an unchanged file gives the same result.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CANONICAL_SECTIONS } from '../catalog/doc-sections.js';
import { loadCatalog, type ResultCache } from '../catalog/load.js';
import { CatalogError } from '../catalog/problems.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export const CACHE_FILE = '.cache/catalog-check.json';

interface CacheFile {
  version: string;
  results: Record<string, unknown>;
}

/** A cache of results on disk; a missing, corrupt or other version's file is an empty cache. */
export function fileCache(file: string, version: string): ResultCache & { save(): void; hits: number; misses: number } {
  let stored: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    if (parsed?.version === version && parsed.results && typeof parsed.results === 'object') stored = parsed.results;
  } catch {
    // No cache yet, or not one this checker wrote: start empty.
  }
  const used: Record<string, unknown> = {};
  const key = (parts: readonly string[]) => {
    const hash = createHash('sha256').update(version);
    for (const part of parts) hash.update(`\0${part.length}\0`).update(part);
    return hash.digest('hex');
  };
  return {
    hits: 0,
    misses: 0,
    get(parts) {
      const k = key(parts);
      if (!(k in stored)) {
        this.misses++;
        return undefined;
      }
      this.hits++;
      used[k] = stored[k];
      return stored[k];
    },
    set(parts, value) {
      used[key(parts)] = value;
    },
    save() {
      // Only what this run used: results of edited or removed files do not pile up.
      writeFileAtomic(file, JSON.stringify({ version, results: used } satisfies CacheFile));
    },
  };
}

export function checkCatalog(root: string, opts: { cache: boolean; version: string }): { code: number; message: string } {
  const started = performance.now();
  const cache = opts.cache ? fileCache(path.join(root, CACHE_FILE), opts.version) : undefined;
  try {
    const catalog = loadCatalog(root, cache);
    const docs = [...catalog.tools, ...catalog.attestors].filter((e) => e.doc).length;
    const ms = Math.round(performance.now() - started);
    const reused = cache ? `, ${cache.hits} of ${cache.hits + cache.misses} file results reused` : '';
    return { code: 0, message: `catalog:check: ${catalog.tools.length} tools, ${catalog.attestors.length} attestors, ${docs} doc.md files: no problems (${ms} ms${reused})\n` };
  } catch (err) {
    if (!(err instanceof CatalogError)) throw err;
    return { code: 1, message: `${err.message}\nfix each problem at the file:line:col given, then run npm run catalog:check again\n` };
  } finally {
    cache?.save();
  }
}

/** `--sections`: the canonical doc.md sections of a tool page with validated invocations, in order. */
export function sectionsText(): string {
  return `${CANONICAL_SECTIONS.map((s, i) => `${i + 1}. ## ${s.title} — ${s.holds}`).join('\n')}\n`;
}

export function main(argv: string[]): number {
  let values: { 'no-cache': boolean; sections: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { 'no-cache': { type: 'boolean', default: false }, sections: { type: 'boolean', default: false } }, allowPositionals: false }));
  } catch (err) {
    process.stderr.write(`catalog:check: ${(err as Error).message} (options: --no-cache, --sections)\n`);
    return 2;
  }
  if (values.sections) {
    process.stdout.write(sectionsText());
    return 0;
  }
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const version = checkerVersion(root);
  const { code, message } = checkCatalog(root, { cache: !values['no-cache'], version });
  process.stderr.write(message);
  return code;
}

/**
 * What a cached result depends on besides its own file: the checker's code (this script and the
 * catalog modules) and the dependencies (the lockfile), so a change to either starts a fresh cache.
 */
export function checkerVersion(root: string): string {
  const hash = createHash('sha256');
  const catalogDir = path.join(root, 'src/catalog');
  const files = [path.join(root, 'src/scripts/catalog-check.ts'), ...readdirSync(catalogDir).filter((f) => f.endsWith('.ts')).sort().map((f) => path.join(catalogDir, f)), path.join(root, 'package-lock.json')];
  for (const file of files) hash.update(`\0${path.relative(root, file)}\0`).update(readFileSync(file));
  return hash.digest('hex');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
