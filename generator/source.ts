/**
 * Where the generator's data comes from: the built binary's JSON surfaces (`cilock tools list`,
 * `tools test-plan`, `tools show NAME`), or a folder of saved outputs (`--from-json DIR`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { ListEntry, ShowEntry, TestPlan, parseSurface } from './contract.js';
import type { z } from 'zod';

export interface CatalogData {
  list: ListEntry[];
  testPlan: TestPlan;
  show: Map<string, ShowEntry>;
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

async function run(bin: Binary, args: string[]): Promise<string> {
  const result = await execa(bin.file, [...bin.args, ...args], { reject: false, stripFinalNewline: false });
  if (result.exitCode !== 0) {
    throw new Error(`\`cilock ${args.join(' ')}\` exited ${result.exitCode}: ${String(result.stderr).trim().split('\n').slice(-3).join(' / ')}`);
  }
  return String(result.stdout);
}

export async function readFromBinary(bin: Binary): Promise<CatalogData> {
  const [listText, planText] = await Promise.all([run(bin, ['tools', 'list', '--format', 'json']), run(bin, ['tools', 'test-plan', '--format', 'json'])]);
  const list = parseSurface(ListEntry.array(), listText, 'cilock tools list --format json');
  const testPlan = parseSurface(TestPlan, planText, 'cilock tools test-plan --format json');
  // Binaries that say which entries have docs save a process per entry; others are asked about every entry.
  const names = list.filter((e) => e.has_doc !== false).map((e) => e.name);
  const show = new Map<string, ShowEntry>();
  await pool(names, 6, async (name) => {
    show.set(name, parseSurface(ShowEntry, await run(bin, ['tools', 'show', name, '--format', 'json']), `cilock tools show ${name} --format json`));
  });
  return { list, testPlan, show, origin: `${bin.file} ${bin.args.join(' ')}`.trim() };
}

/** Runs `fn` over `items` with at most `size` in flight (each call is a process). */
async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  };
  await Promise.all(Array.from({ length: Math.min(size, queue.length) }, worker));
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
  return { list, testPlan, show, origin: dir };
}

export function saveJsonDir(data: CatalogData, dir: string): void {
  mkdirSync(path.join(dir, 'show'), { recursive: true });
  writeFileSync(path.join(dir, 'list.json'), JSON.stringify(data.list, null, 2));
  writeFileSync(path.join(dir, 'test-plan.json'), JSON.stringify(data.testPlan, null, 2));
  for (const [name, entry] of data.show) writeFileSync(path.join(dir, 'show', `${name}.json`), JSON.stringify(entry, null, 2));
}
