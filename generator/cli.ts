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
import { formatViolation, lintData, lintPage, type LintContext } from './lint.js';
import { GENERATED_DIRS, generatePages, normalize, type GeneratedFile } from './pages.js';
import { referencePages, REFERENCE_DIR } from './reference.js';
import { defaultBinary, readFromBinary, readFromJsonDir, saveJsonDir, type CatalogData } from './source.js';

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
  const documented = new Set<string>();
  for (const [name, show] of data.show) {
    for (const ex of show.examples ?? []) exampleIds.add(`${name}/${ex.id}`);
    if (show.doc && (show.examples ?? []).length) documented.add(`${docsRoot}/tools/${name}.mdx`);
  }
  const detectionIds = new Set(data.testPlan.cases.filter((c) => c.cilock_command).map((c) => c.detector));
  return { pages, exampleIds, detectionIds, documented: (file) => documented.has(file) };
}

export async function render(opts: { fromJson?: string; cliHelp?: boolean }): Promise<{ data: CatalogData; files: GeneratedFile[] }> {
  // The catalog surfaces and the --help pages come from separate processes: ask for both at once.
  const bin = opts.fromJson ? undefined : defaultBinary(root);
  const [data, rawReferences] = await Promise.all([bin ? readFromBinary(bin) : readFromJsonDir(path.resolve(opts.fromJson!)), referencePages(bin)]);
  const references = rawReferences.map((f) => ({ ...f, content: normalize(f.content) }));
  const files = [...generatePages(data), ...references];
  return { data, files };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { check: { type: 'boolean', default: false }, 'from-json': { type: 'string' }, 'save-json': { type: 'string' }, 'out-dir': { type: 'string' }, quiet: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  const started = performance.now();
  const { data, files } = await render({ fromJson: values['from-json'] });
  if (values['save-json']) saveJsonDir(data, path.resolve(values['save-json']));

  const ctx = lintContext(data, files);
  const violations = [
    ...files.filter((f) => f.path.endsWith('.mdx')).flatMap((f) => lintPage(f.path, f.content, ctx)),
    ...files.filter((f) => f.path.startsWith('site/src/data/')).flatMap((f) => lintData(f.path, f.content)),
  ];
  if (violations.length) {
    process.stderr.write(`${violations.map(formatViolation).join('\n')}\n${violations.length} page rule violation(s): fix the catalog entry or doc.md named in each page's banner\n`);
    return 1;
  }

  // Saved outputs carry no --help text, so the CLI reference is neither rendered nor checked then.
  const dirs = values['from-json'] ? [...GENERATED_DIRS] : [...GENERATED_DIRS, REFERENCE_DIR];
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
