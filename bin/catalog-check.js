#!/usr/bin/env node
// `npm run catalog:check`: runs the checker's esbuild bundle (dist/catalog-check/main.js), first
// rebuilding it when any file it was built from is newer than it. Plain JavaScript on purpose:
// starting tsx (or esbuild, when nothing changed) would cost more than the check itself.
import { readFileSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist/catalog-check');
const bundle = path.join(outDir, 'main.js');
const inputsFile = path.join(outDir, 'inputs.json');

function isFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
    return inputs.every((file) => statSync(path.join(root, file)).mtimeMs <= built);
  } catch {
    return false; // not built yet, or an input was removed
  }
}

async function rebuild() {
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  const next = `${bundle}.${process.pid}.tmp`;
  const result = await build({
    entryPoints: [path.join(root, 'src/scripts/catalog-check.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: next,
    metafile: true,
    minifyWhitespace: true,
    minifySyntax: true,
    // CommonJS packages inside the ESM bundle need `require` (Node built-ins) and `__filename`.
    banner: { js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url);" },
    logLevel: 'warning',
  });
  writeFileSync(inputsFile, JSON.stringify(Object.keys(result.metafile.inputs)));
  renameSync(next, bundle);
}

let built = true;
if (!isFresh()) {
  try {
    await rebuild();
  } catch (err) {
    // esbuild has printed each error with its file and line already.
    process.stderr.write(`catalog:check: cannot build the checker from src/ (${err.message.split('\n')[0]}); fix the source and run it again\n`);
    built = false;
  }
}
if (built) {
  const { main } = await import(pathToFileURL(bundle).href);
  process.exitCode = main(process.argv.slice(2));
} else {
  process.exitCode = 1;
}
