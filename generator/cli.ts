/**
 * `npm run gen:catalog [-- --check] [--from-json DIR] [--save-json DIR] [--out-dir DIR]`
 *
 * Renders the catalog pages from the built binary's JSON surfaces (or saved outputs), lints them,
 * and writes what changed (into the repo, or under --out-dir). With --check it writes nothing, prints a diff of every stale page and
 * the missing/orphaned ones, and exits 1 when anything differs.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { applyDrift, describeDrift, findDrift, hasDrift } from './check.js';
import { diskCache, sha256 } from './disk-cache.js';
import { formatViolation, lintData, lintPage, type LintContext, type Violation } from './lint.js';
import { saveMarkdownCache } from './markdown.js';
import { GENERATED_DIRS, generatePages, normalize, type GeneratedFile } from './pages.js';
import { referencePages, REFERENCE_DIR } from './reference.js';
import { builtContract, defaultBinary, readFromBinary, readFromJsonDir, saveJsonDir, type CatalogData } from './source.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docsRoot = 'site/src/content/docs';

function sitePath(file: string): string {
  const rel = file.slice(docsRoot.length + 1).replace(/\.mdx?$/, '');
  const slug = rel === 'index' ? '' : rel.replace(/\/index$/, '');
  return slug ? `/${slug.toLowerCase()}/` : '/';
}

function handWrittenPages(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) return;
    for (const name of readdirSync(abs)) {
      const rel = `${dir}/${name}`;
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else if (/\.mdx?$/.test(name)) out.push(rel);
    }
  };
  walk(docsRoot);
  return out;
}

export function lintContext(data: CatalogData, files: GeneratedFile[]): LintContext {
  const pages = new Set([...handWrittenPages(), ...files.map((f) => f.path)].filter((f) => f.startsWith(docsRoot)).map(sitePath));
  const exampleIds = new Set<string>();
  for (const [name, show] of data.show) {
    for (const ex of show.examples ?? []) exampleIds.add(`${name}/${ex.id}`);
  }
  const detectionIds = new Set(data.testPlan.cases.filter((c) => c.cilock_command).map((c) => c.detector));
  return { pages, exampleIds, detectionIds };
}

/** Every page's violations; a page whose text and context are as in an earlier run is not parsed again. */
function lintPages(files: GeneratedFile[], ctx: LintContext): Violation[] {
  const cache = diskCache<Violation[]>('page-lint', ['generator/lint.ts', 'generator/slug.ts']);
  const context = sha256(JSON.stringify([[...ctx.pages].sort(), [...ctx.exampleIds].sort(), [...ctx.detectionIds].sort()]));
  const out = files
    .filter((f) => f.path.endsWith('.mdx'))
    .flatMap((f) => {
      const key = sha256(`${context}\0${f.path}\0${f.content}`);
      const known = cache.get(key);
      if (known) return known;
      const found = lintPage(f.path, f.content, ctx);
      cache.set(key, found);
      return found;
    });
  cache.save();
  return out;
}

/** Saved outputs without their schemas are held to this build's contract. */
async function fromJsonDir(dir: string): Promise<CatalogData> {
  return readFromJsonDir(dir, existsSync(path.join(dir, 'surface-schemas.json')) ? undefined : await builtContract(root));
}

export async function render(opts: { fromJson?: string; cliHelp?: boolean }): Promise<{ data: CatalogData; files: GeneratedFile[] }> {
  const data = opts.fromJson ? await fromJsonDir(path.resolve(opts.fromJson)) : await readFromBinary(defaultBinary(root), root);
  const references = referencePages(data).map((f) => ({ ...f, content: normalize(f.content) }));
  const files = [...generatePages(data), ...references];
  return { data, files };
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { check: { type: 'boolean', default: false }, 'from-json': { type: 'string' }, 'save-json': { type: 'string' }, 'out-dir': { type: 'string' }, quiet: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  const started = performance.now();
  const { data, files } = await render({ fromJson: values['from-json'] });
  if (values['save-json']) saveJsonDir(data, path.resolve(values['save-json']));

  const violations = [...lintPages(files, lintContext(data, files)), ...files.filter((f) => f.path.startsWith('site/src/data/')).flatMap((f) => lintData(f.path, f.content))];
  saveMarkdownCache();
  if (violations.length) {
    process.stderr.write(`${violations.map(formatViolation).join('\n')}\n${violations.length} page rule violation(s): fix the catalog entry or doc.md named in each page's banner\n`);
    return 1;
  }

  // The reference pages are checked only when the data has what they are made of (saved outputs
  // and binaries without `tools export` may lack the --help texts or the JSON Schemas).
  const complete = data.help !== undefined && data.catalogSchemas !== undefined;
  if (!complete && !values.quiet) {
    const lacking = [data.help ? '' : 'the --help texts (for the CLI reference)', data.catalogSchemas ? '' : 'the catalog JSON Schemas (for the catalog schema reference)'].filter(Boolean).join(' and ');
    process.stderr.write(`gen:catalog: ${data.origin} did not provide ${lacking}; that page is not rendered, and ${REFERENCE_DIR} is not checked for orphans\n`);
  }
  const dirs = complete ? [...GENERATED_DIRS, REFERENCE_DIR] : [...GENERATED_DIRS];
  const outRoot = values['out-dir'] ? path.resolve(values['out-dir']) : root;
  const drift = findDrift(outRoot, dirs, files);
  const ms = Math.round(performance.now() - started);
  if (values.check) {
    if (hasDrift(drift)) {
      process.stdout.write(`${describeDrift(drift)}\n`);
      return 1;
    }
    if (!values.quiet) process.stderr.write(`gen:catalog --check: ${files.length} files match the binary's catalog (${data.origin}, ${ms} ms)\n`);
    return 0;
  }
  const touched = applyDrift(outRoot, files, drift);
  if (!values.quiet) process.stderr.write(`gen:catalog: ${files.length} files rendered from ${data.origin}, ${touched} written or removed (${ms} ms)\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then(
    (code) => (process.exitCode = code),
    (err: Error) => {
      process.stderr.write(`gen:catalog: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
