/**
 * Where the generator's data comes from: the built binary's JSON surfaces (`cilock tools export`,
 * or `tools list`, `tools test-plan`, `tools show NAME` and `--help` of binaries without it), or a
 * folder of saved outputs (`--from-json DIR`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import pLimit from 'p-limit';
import { contractOf, parseJson, type CatalogExport, type CatalogSchemas, type Contract, type HelpTexts, type ListEntry, type ShowEntry, type SurfaceTypes, type TestPlan } from './contract.js';

export interface CatalogData {
  list: ListEntry[];
  testPlan: TestPlan;
  show: Map<string, ShowEntry>;
  /** Every command's --help text (absent in saved outputs without help.json). */
  help?: HelpTexts;
  /** The catalog's JSON Schemas as the binary prints them (absent from binaries without `tools export`). */
  catalogSchemas?: CatalogSchemas;
  /** The JSON Schemas the surfaces were checked against. */
  contract: Contract;
  /** The detection predicates (absent from binaries that do not export them). */
  predicates?: CatalogExport['predicates'];
  /** Human description of where this came from, for messages. */
  origin: string;
}

export interface Binary {
  file: string;
  args: string[];
}

/** This repo's build of cilock. */
export function builtBinary(root: string): Binary {
  const main = path.join(root, 'dist/cli/main.js');
  if (!existsSync(main)) throw new Error(`no built cilock at ${main}: run \`npm run build:cli\` first (or set CILOCK_BIN)`);
  return { file: process.execPath, args: [main] };
}

/** `CILOCK_BIN` picks another cilock; the default is this repo's build. */
export function defaultBinary(root: string): Binary {
  return process.env.CILOCK_BIN ? { file: process.env.CILOCK_BIN, args: [] } : builtBinary(root);
}

/**
 * What a reader fills into the binary's suggested run lines on the pages: the key and outfile of
 * the workspace every documented command runs in, as in each validated invocation's command.
 */
export const DOCS_RUN = { keyPath: '_validation/key.pem', outfile: 'attestation.json' } as const;
export const DOCS_RUN_FLAGS = ['--signer-file-key-path', DOCS_RUN.keyPath, '--run-outfile', DOCS_RUN.outfile];

const EXPORT = 'cilock tools export --format json';

/** The output contract (JSON Schemas) of this repo's build, for sources that do not carry their own. */
export async function builtContract(root: string): Promise<Contract> {
  const bin = builtBinary(root);
  return contractOf(parseJson(await surface(bin, ['tools', 'export', '--format', 'json']), EXPORT), `${EXPORT} of ${bin.args[0]}`);
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
export async function readFromBinary(bin: Binary, root: string): Promise<CatalogData> {
  const origin = `${bin.file} ${bin.args.join(' ')}`.trim();
  const exported = await run(bin, ['tools', 'export', '--format', 'json', ...DOCS_RUN_FLAGS]);
  if (exported.exitCode === 0) {
    const json = parseJson(exported.stdout, EXPORT);
    const contract = contractOf(json, EXPORT);
    const all = contract.check('tools-export', json, EXPORT);
    return { list: all.list, testPlan: all.test_plan, show: new Map(Object.entries(all.show)), help: all.help, catalogSchemas: all.catalog_schemas, ...(all.predicates && { predicates: all.predicates }), contract, origin };
  }
  if (!/unknown command/.test(exported.stderr)) {
    throw new Error(`\`cilock tools export --format json\` exited ${exported.exitCode}: ${exported.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  }
  // A binary without `tools export` prints no schemas either: its output is held to this build's.
  const contract = await builtContract(root);
  const [listText, planText, help] = await Promise.all([surface(bin, ['tools', 'list', '--format', 'json']), surface(bin, ['tools', 'test-plan', '--format', 'json']), helpOfEveryCommand(bin)]);
  const list = contract.parse('tools-list', listText, 'cilock tools list --format json');
  const testPlan = contract.parse('tools-test-plan', planText, 'cilock tools test-plan --format json');
  // Every entry: pages without docs still show the run line the binary suggests for them.
  const names = list.map((e) => e.name);
  const show = new Map<string, ShowEntry>();
  const limit = pLimit(6);
  await Promise.all(
    names.map((name) => limit(async () => show.set(name, contract.parse('tools-show', await surface(bin, ['tools', 'show', name, '--format', 'json', ...DOCS_RUN_FLAGS]), `cilock tools show ${name} --format json`)))),
  );
  return { list, testPlan, show, help: contract.check('help', help, 'cilock … --help'), contract, origin };
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

/**
 * Layout of a saved-outputs folder: list.json, test-plan.json, show/<name>.json, and optionally
 * help.json, catalog-schemas.json and surface-schemas.json (the contract the rest is checked
 * against; without it, `fallback` is).
 * @param fallback the contract to use when the folder has no surface-schemas.json
 */
export function readFromJsonDir(dir: string, fallback?: Contract): CatalogData {
  const schemasFile = path.join(dir, 'surface-schemas.json');
  const contract = existsSync(schemasFile) ? contractOf({ surface_schemas: parseJson(readFileSync(schemasFile, 'utf8'), schemasFile) }, schemasFile) : fallback;
  if (!contract) throw new Error(`--from-json ${dir}: missing surface-schemas.json (the surface_schemas of \`cilock tools export --format json\`)`);
  const read = <S extends keyof SurfaceTypes>(surfaceName: S, file: string, what: string) => {
    const full = path.join(dir, file);
    if (!existsSync(full)) throw new Error(`--from-json ${dir}: missing ${file} (save it with \`cilock ${what} > ${file}\`)`);
    return contract.parse(surfaceName, readFileSync(full, 'utf8'), `${dir}/${file}`);
  };
  const list = read('tools-list', 'list.json', 'tools list --format json');
  const testPlan = read('tools-test-plan', 'test-plan.json', 'tools test-plan --format json');
  const show = new Map<string, ShowEntry>();
  for (const e of list) {
    const file = `show/${e.name}.json`;
    if (e.has_doc === false && !existsSync(path.join(dir, file))) continue;
    show.set(e.name, read('tools-show', file, `tools show ${e.name} --format json ${DOCS_RUN_FLAGS.join(' ')}`));
  }
  const help = existsSync(path.join(dir, 'help.json')) ? read('help', 'help.json', '') : undefined;
  const schemaFile = path.join(dir, 'catalog-schemas.json');
  const catalogSchemas = existsSync(schemaFile) ? (parseJson(readFileSync(schemaFile, 'utf8'), schemaFile) as CatalogSchemas) : undefined;
  return { list, testPlan, show, ...(help && { help }), ...(catalogSchemas && { catalogSchemas }), contract, origin: dir };
}

export function saveJsonDir(data: CatalogData, dir: string): void {
  mkdirSync(path.join(dir, 'show'), { recursive: true });
  writeFileSync(path.join(dir, 'list.json'), JSON.stringify(data.list, null, 2));
  writeFileSync(path.join(dir, 'test-plan.json'), JSON.stringify(data.testPlan, null, 2));
  for (const [name, entry] of data.show) writeFileSync(path.join(dir, 'show', `${name}.json`), JSON.stringify(entry, null, 2));
  if (data.help) writeFileSync(path.join(dir, 'help.json'), JSON.stringify(data.help, null, 2));
  if (data.catalogSchemas) writeFileSync(path.join(dir, 'catalog-schemas.json'), JSON.stringify(data.catalogSchemas, null, 2));
  writeFileSync(path.join(dir, 'surface-schemas.json'), JSON.stringify(data.contract.surfaceSchemas, null, 2));
}
