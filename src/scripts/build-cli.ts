/**
 * `npm run build:cli`: validates the catalog (every problem at once), bundles the CLI and writes
 * the catalog bundle the binary answers from. Nothing is written when the catalog is invalid.
 *
 * The CLI is bundled with esbuild (type checking is `npm run typecheck`'s job): one file for the
 * start-up path instead of dozens of modules to resolve, and the heavy parts of `run` and
 * `verify` in chunks loaded only when those commands run. The bundle lands in `dist/cli/` so that
 * paths relative to a module (`../catalog.json`, `../../package.json`) stay what they were. It is
 * rebuilt only when one of the files it is made of changed.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleIfStale } from '../../bin/prebuilt.mjs';
import { loadCatalog } from '../catalog/load.js';
import { compileCatalog } from '../catalog/compile.js';
import { CatalogError } from '../catalog/problems.js';
import { writeFileAtomic } from '../util/atomic-write.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');

/** What the CommonJS packages inside the ESM bundle expect: `require` (Node built-ins), `__filename` (write-file-atomic). */
const COMMONJS_SHIM = [
  "import { createRequire as __cilockCreateRequire } from 'node:module';",
  "import { fileURLToPath as __cilockFileURLToPath } from 'node:url';",
  'const require = __cilockCreateRequire(import.meta.url);',
  'const __filename = __cilockFileURLToPath(import.meta.url);',
  "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
].join(' ');

/** Rebuilt only when one of its inputs changed (bin/prebuilt.mjs keeps the stamp). */
async function bundleCli(): Promise<boolean> {
  return bundleIfStale({
    absWorkingDir: root,
    entryPoints: { main: path.join(root, 'src/cli/main.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: path.join(dist, 'cli'),
    minifyWhitespace: true,
    minifySyntax: true,
    banner: { js: COMMONJS_SHIM },
  });
}

async function main(): Promise<number> {
  let bundle;
  try {
    bundle = compileCatalog(loadCatalog(root));
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
  process.stderr.write(`catalog: ${bundle.entries.length} entries compiled into dist/catalog.json; CLI bundle ${rebuilt ? 'rebuilt' : 'up to date'}\n`);
  return 0;
}

process.exitCode = await main();
