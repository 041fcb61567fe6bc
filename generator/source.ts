/**
 * Where the generator's data comes from: the built binary's JSON surfaces (`cilock tools export`,
 * or `tools list`, `tools test-plan`, `tools show NAME` and `--help` of binaries without it), or a
 * folder of saved outputs (`--from-json DIR`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import pLimit from 'p-limit';
import { CatalogExport, CatalogSchemas, HelpTexts, ListEntry, ShowEntry, TestPlan, parseSurface } from './contract.js';
import type { z } from 'zod';

export interface CatalogData {
  list: ListEntry[];
  testPlan: TestPlan;
  show: Map<string, ShowEntry>;
  /** Every command's --help text (absent in saved outputs without help.json). */
  help?: HelpTexts;
  /** The catalog's JSON Schemas as the binary prints them (absent from binaries without `tools export`). */
  catalogSchemas?: CatalogSchemas;
  /** The detection predicates (absent from binaries that do not export them). */
  predicates?: NonNullable<z.infer<typeof CatalogExport>['predicates']>;
  /** Human description of where this came from, for messages. */
  origin: string;
}

export interface Binary {
  file: string;
  args: string[];
}

/** `CILOCK_BIN` picks another cilock; the default is this repo's build. */
export function defaultBinary(root: string): Binary {
  if (process.env.CILOCK_BIN) return { file: process.env.CILOCK_BIN, args: [] };
  const main = path.join(root, 'dist/cli/main.js');
  if (!existsSync(main)) throw new Error(`no built cilock at ${main}: run \`npm run build:cli\` first (or set CILOCK_BIN)`);
  return { file: process.execPath, args: [main] };
}

async function run(bin: Binary, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa(bin.file, [...bin.args, ...args], { reject: false, stripFinalNewline: false, maxBuffer: 256 * 1024 * 1024 });
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

async function surface(bin: Binary, args: string[]): Promise<string> {
  const result = await run(bin, args);
  if (result.exitCode !== 0) {
    throw new Error(`\`cilock ${args.join(' ')}\` exited ${result.exitCode}: ${result.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  }
  return result.stdout;
}

/** One process for every surface (`cilock tools export`); binaries without it are asked surface by surface. */
export async function readFromBinary(bin: Binary): Promise<CatalogData> {
  const origin = `${bin.file} ${bin.args.join(' ')}`.trim();
  const exported = await run(bin, ['tools', 'export', '--format', 'json']);
  if (exported.exitCode === 0) {
    const all = parseSurface(CatalogExport, exported.stdout, 'cilock tools export --format json');
    return { list: all.list, testPlan: all.test_plan, show: new Map(Object.entries(all.show)), help: all.help, catalogSchemas: all.catalog_schemas, ...(all.predicates && { predicates: all.predicates }), origin };
  }
  if (!/unknown command/.test(exported.stderr)) {
    throw new Error(`\`cilock tools export --format json\` exited ${exported.exitCode}: ${exported.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  }
  const [listText, planText, help] = await Promise.all([surface(bin, ['tools', 'list', '--format', 'json']), surface(bin, ['tools', 'test-plan', '--format', 'json']), helpOfEveryCommand(bin)]);
  const list = parseSurface(ListEntry.array(), listText, 'cilock tools list --format json');
  const testPlan = parseSurface(TestPlan, planText, 'cilock tools test-plan --format json');
  // Binaries that say which entries have docs save a process per entry; others are asked about every entry.
  const names = list.filter((e) => e.has_doc !== false).map((e) => e.name);
  const show = new Map<string, ShowEntry>();
  const limit = pLimit(6);
  await Promise.all(
    names.map((name) => limit(async () => show.set(name, parseSurface(ShowEntry, await surface(bin, ['tools', 'show', name, '--format', 'json']), `cilock tools show ${name} --format json`)))),
  );
  return { list, testPlan, show, help, origin };
}

/** `cilock … --help` for the whole command tree, from the "Commands:" list of each level (skipping `help`). */
async function helpOfEveryCommand(bin: Binary): Promise<HelpTexts> {
  const walk = async (words: string[]): Promise<HelpTexts> => {
    const text = (await surface(bin, [...words, '--help'])).trimEnd();
    const subs = (text.split(/\nCommands:\n/)[1] ?? '')
      .split('\n')
      .map((l) => /^ {2}(\S+)/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined && n !== 'help');
    const children = await Promise.all(subs.map((sub) => walk([...words, sub])));
    return [{ command: words, text }, ...children.flat()];
  };
  return walk([]);
}

/** Layout of a saved-outputs folder: list.json, test-plan.json, show/<name>.json. */
export function readFromJsonDir(dir: string): CatalogData {
  const read = <S extends z.ZodType>(schema: S, file: string, what: string) => {
    const full = path.join(dir, file);
    if (!existsSync(full)) throw new Error(`--from-json ${dir}: missing ${file} (save it with \`cilock ${what} > ${file}\`)`);
    return parseSurface(schema, readFileSync(full, 'utf8'), `${dir}/${file}`);
  };
  const list = read(ListEntry.array(), 'list.json', 'tools list --format json');
  const testPlan = read(TestPlan, 'test-plan.json', 'tools test-plan --format json');
  const show = new Map<string, ShowEntry>();
  for (const e of list) {
    const file = `show/${e.name}.json`;
    if (e.has_doc === false && !existsSync(path.join(dir, file))) continue;
    show.set(e.name, read(ShowEntry, file, `tools show ${e.name} --format json`));
  }
  const optional = <S extends z.ZodType>(schema: S, file: string) => (existsSync(path.join(dir, file)) ? read(schema, file, '') : undefined);
  const help = optional(HelpTexts, 'help.json');
  const catalogSchemas = optional(CatalogSchemas, 'catalog-schemas.json');
  return { list, testPlan, show, ...(help && { help }), ...(catalogSchemas && { catalogSchemas }), origin: dir };
}

export function saveJsonDir(data: CatalogData, dir: string): void {
  mkdirSync(path.join(dir, 'show'), { recursive: true });
  writeFileSync(path.join(dir, 'list.json'), JSON.stringify(data.list, null, 2));
  writeFileSync(path.join(dir, 'test-plan.json'), JSON.stringify(data.testPlan, null, 2));
  for (const [name, entry] of data.show) writeFileSync(path.join(dir, 'show', `${name}.json`), JSON.stringify(entry, null, 2));
  if (data.help) writeFileSync(path.join(dir, 'help.json'), JSON.stringify(data.help, null, 2));
  if (data.catalogSchemas) writeFileSync(path.join(dir, 'catalog-schemas.json'), JSON.stringify(data.catalogSchemas, null, 2));
}
