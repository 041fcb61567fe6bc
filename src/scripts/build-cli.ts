/**
 * `npm run build:cli`: validates the catalog (every problem at once), compiles the TypeScript,
 * and writes the catalog bundle the binary answers from. Nothing is written when the catalog is invalid.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../catalog/load.js';
import { compileCatalog } from '../catalog/compile.js';
import { CatalogError } from '../catalog/problems.js';
import { writeFileAtomic } from '../util/atomic-write.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function main(): number {
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
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  writeFileAtomic(path.join(root, 'dist/catalog.json'), `${JSON.stringify(bundle)}\n`);
  process.stderr.write(`catalog: ${bundle.entries.length} entries compiled into dist/catalog.json\n`);
  return 0;
}

process.exitCode = main();
