/**
 * `npm run build:cli`: validates the catalog (every problem at once), bundles the CLI and writes
 * the catalog bundle the binary answers from. Nothing is written when the catalog is invalid.
 *
 * The CLI is bundled with esbuild (type checking is `npm run typecheck`'s job) in two parts, each
 * rebuilt only when one of the files it is made of changed:
 * - `dist/cli/main.js`, CommonJS: the start-up path (`tools`, `plan`, the command registrations)
 *   in one file. CommonJS because Node 20 starts a CommonJS file without its ES module loader,
 *   which is most of what `cilock plan` would otherwise spend beyond bare Node.
 * - `dist/lazy/`, ES modules split into chunks: what only `run`, `verify`, `sign`, `tools export`
 *   and the cloud probes need, loaded by `import()` when those run.
 * Both sit one folder below `dist/`, so paths relative to a module (`../catalog.json`,
 * `../../package.json`) resolve the same from either.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { bundleIfStale, COMMONJS_SHIM } from '../../bin/prebuilt.mjs';
import { loadCatalog } from '../catalog/load.js';
import { compileCatalog } from '../catalog/compile.js';
import { jsonSchemas } from '../catalog/json-schema.js';
import { surfaceSchemas } from '../surfaces/contract.js';
import { CatalogError } from '../catalog/problems.js';
import { CACHE_FILE, checkerVersion, fileCache } from './catalog-check.js';
import { programSources } from './program-sources.js';
import { writeFileAtomic } from '../util/atomic-write.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const thisScript = fileURLToPath(import.meta.url);

/** The modules the start-up path imports with `import()`: each is an entry of the lazy part. */
const LAZY_ENTRIES: Record<string, string> = {
  run: 'src/cli/run.ts',
  verify: 'src/cli/verify.ts',
  sign: 'src/cli/sign.ts',
  export: 'src/surfaces/export.ts',
  probes: 'src/detection/probes.ts',
};

/** In the CommonJS part, `import.meta.url` (modules finding files next to them) is the bundle's own URL. */
const IMPORT_META_SHIM = "const __cilockImportMetaUrl = require('node:url').pathToFileURL(__filename).href;";

/** Sends the start-up path's `import()` of a lazy module to its entry in `dist/lazy/`. */
const toLazyEntries: Plugin = {
  name: 'to-lazy-entries',
  setup(b) {
    const byFile = new Map(Object.entries(LAZY_ENTRIES).map(([name, file]) => [path.join(root, file), name]));
    b.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const name = byFile.get(path.resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts'));
      if (!name) return { errors: [{ text: `${args.path} is imported lazily but is not one of LAZY_ENTRIES in src/scripts/build-cli.ts` }] };
      return { path: `../lazy/${name}.js`, external: true };
    });
  },
};

const common = { absWorkingDir: root, bundle: true, platform: 'node' as const, target: 'node20', minifyWhitespace: true, minifySyntax: true, alsoDependsOn: [thisScript] };

async function bundleCli(): Promise<boolean> {
  const lazy = await bundleIfStale({
    ...common,
    entryPoints: Object.fromEntries(Object.entries(LAZY_ENTRIES).map(([name, file]) => [name, path.join(root, file)])),
    splitting: true,
    format: 'esm',
    outdir: path.join(dist, 'lazy'),
    banner: { js: COMMONJS_SHIM },
  });
  const main = await bundleIfStale({
    ...common,
    entryPoints: { main: path.join(root, 'src/cli/main.ts') },
    format: 'cjs',
    outdir: path.join(dist, 'cli'),
    define: { 'import.meta.url': '__cilockImportMetaUrl' },
    banner: { js: IMPORT_META_SHIM },
    plugins: [toLazyEntries],
  });
  // The repository's package.json says "type": "module"; this folder's files are CommonJS.
  writeFileSync(path.join(dist, 'cli', 'package.json'), '{ "type": "commonjs" }\n');
  return lazy || main;
}

/** Exit status: 0 built, 1 the catalog has problems (each printed). */
export async function buildCli(): Promise<number> {
  let bundle;
  try {
    // The catalog check's per-file results: after a one-line doc.md edit only that file is parsed again.
    const cache = fileCache(path.join(root, CACHE_FILE), checkerVersion(root));
    try {
      bundle = compileCatalog(loadCatalog(root, cache), programSources(root));
    } finally {
      cache.save();
    }
  } catch (err) {
    if (err instanceof CatalogError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  mkdirSync(dist, { recursive: true });
  const rebuilt = await bundleCli();
  writeFileAtomic(path.join(dist, 'catalog.json'), `${JSON.stringify(bundle)}\n`);
  // The JSON Schemas ship beside the catalog, so printing them (tools export) needs no zod at run time.
  writeFileAtomic(path.join(dist, 'catalog-schemas.json'), `${JSON.stringify(jsonSchemas())}\n`);
  writeFileAtomic(path.join(dist, 'surface-schemas.json'), `${JSON.stringify(surfaceSchemas())}\n`);
  process.stderr.write(`catalog: ${bundle.entries.length} entries compiled into dist/catalog.json; CLI bundle ${rebuilt ? 'rebuilt' : 'up to date'}\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === thisScript) process.exitCode = await buildCli();
