#!/usr/bin/env node
/**
 * Runs a TypeScript build or maintenance script (the catalog build, the docs generator, the
 * examples runner) from an esbuild bundle cached under node_modules/.cache/cilock-prebuilt/, and
 * rebuilds that bundle only when a file it was built from changed. The maintainer's loop then pays
 * neither tsx's start-up nor its per-module transform on every step.
 *
 *   node bin/prebuilt.mjs <entry.ts> [args…]
 *
 * Plain JavaScript because it is what runs before anything is compiled. `bundleIfStale` is also
 * what `npm run build:cli` uses for the CLI bundle itself.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, version as esbuildVersion } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** size and mtime of every input, as recorded when the bundle was built; a missing file never matches. */
function fingerprint(file) {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * Modules keep their own `import.meta.url` (and dirname/filename) inside the bundle, so code that
 * finds files next to itself behaves as it does unbundled: each module declares its own values,
 * and `define` (which rewrites code, never strings) points `import.meta.*` at them.
 */
const keepImportMeta = {
  name: 'keep-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.(ts|mts|mjs|js)$/ }, (args) => {
      // Also inside packages, which are bundled as well: each keeps its own file's URL.
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.')) return undefined;
      const own = `const __cilockModuleUrl = ${JSON.stringify(pathToFileURL(args.path).href)}, __cilockModuleDir = ${JSON.stringify(path.dirname(args.path))}, __cilockModuleFile = ${JSON.stringify(args.path)};`;
      const shebang = text.startsWith('#!') ? text.slice(0, text.indexOf('\n') + 1) : '';
      return { contents: `${shebang}${own}\n${text.slice(shebang.length)}`, loader: /\.m?ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
};
/** What the CommonJS packages inside an ESM bundle expect: `require` (Node built-ins), `__filename` (write-file-atomic). */
export const COMMONJS_SHIM = [
  "import { createRequire as __cilockCreateRequire } from 'node:module';",
  "import { fileURLToPath as __cilockFileURLToPath } from 'node:url';",
  'const require = __cilockCreateRequire(import.meta.url);',
  'const __filename = __cilockFileURLToPath(import.meta.url);',
  "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
].join(' ');
const importMetaDefines = { 'import.meta.url': '__cilockModuleUrl', 'import.meta.dirname': '__cilockModuleDir', 'import.meta.filename': '__cilockModuleFile' };

/** The stamp matches: same key, and every recorded input has its recorded size and mtime. A damaged stamp never does. */
function isFresh(stampFile, key) {
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    return stamp.key === key && Object.entries(stamp.inputs).every(([file, print]) => fingerprint(path.resolve(root, file)) === print);
  } catch {
    return false;
  }
}

/**
 * Bundles `options.entryPoints` into `outdir` unless the stamp there says every input is as it was
 * when the bundle was made (same esbuild, same options, same size and mtime of each input and of
 * `alsoDependsOn`, e.g. the script whose plugins shape the bundle). The new bundle is built aside
 * and swapped in whole. Returns true when it rebuilt.
 */
export async function bundleIfStale({ outdir, alsoDependsOn = [], ...options }) {
  const stampFile = path.join(outdir, '.inputs.json');
  const key = JSON.stringify({ esbuildVersion, options: { ...options, plugins: (options.plugins ?? []).map((p) => p.name) } });
  if (isFresh(stampFile, key)) return false;
  // Per process, so two builds at once (parallel tests) never write into each other's folder.
  const next = `${outdir}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  const result = await build({ ...options, outdir: next, metafile: true, logLevel: 'warning' });
  const files = [...Object.keys(result.metafile.inputs), ...alsoDependsOn.map((f) => path.relative(root, f))];
  const inputs = Object.fromEntries(files.map((file) => [file, fingerprint(path.resolve(root, file))]));
  writeFileSync(path.join(next, '.inputs.json'), JSON.stringify({ key, inputs }));
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(path.dirname(outdir), { recursive: true });
  try {
    renameSync(next, outdir);
  } catch (err) {
    // Another process swapped in the same bundle first: keep that one.
    rmSync(next, { recursive: true, force: true });
    if (!existsSync(outdir)) throw err;
  }
  return true;
}

async function main() {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write('usage: node bin/prebuilt.mjs <entry.ts> [args…]\n');
    process.exit(2);
  }
  const abs = path.resolve(entry);
  if (!existsSync(abs)) {
    process.stderr.write(`prebuilt: no such file ${entry}\n`);
    process.exit(2);
  }
  const name = path.relative(root, abs).replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9]+/g, '-');
  const outdir = path.join(root, 'node_modules/.cache/cilock-prebuilt', name);
  try {
    await bundleIfStale({
      outdir,
      absWorkingDir: root,
      entryPoints: { main: abs },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Packages are bundled too: resolving and loading a few hundred module files was most of a run.
      // esbuild itself finds its native binary relative to its own files, so it stays a package.
      external: ['esbuild'],
      define: importMetaDefines,
      plugins: [keepImportMeta],
      banner: { js: COMMONJS_SHIM },
    });
  } catch (err) {
    if (!Array.isArray(err?.errors)) throw err;
    // esbuild has printed each error with its file:line:col; the previous bundle, if any, is kept.
    process.stderr.write(`prebuilt: cannot build ${path.relative(root, abs)}: fix the error(s) above\n`);
    process.exit(1);
  }
  const bundle = path.join(outdir, 'main.js');
  // Entry points that run only "when executed directly" compare process.argv[1] with their own file.
  process.argv = [process.argv[0], abs, ...args];
  await import(pathToFileURL(bundle).href);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
