/** The examples as the built binary reports them (`cilock tools list|show --format json`). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Example, ShowEntry, ValidateCheck } from '../../../generator/contract.js';
import { cliMain } from './paths.js';

/** An example as `tools show` prints it (the binary's output contract), with the tool it belongs to. */
export type ExampleSpec = Example & { tool: string };
export type CheckSpec = ValidateCheck;

export interface ToolExamples {
  tool: string;
  examples: ExampleSpec[];
  validate: CheckSpec[];
}

function cli(args: string[]): string {
  if (!existsSync(cliMain)) throw new Error(`no built cilock at ${cliMain}: run npm run build:cli first`);
  return execFileSync(process.execPath, [cliMain, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

export function catalogExamples(only?: string): ToolExamples[] {
  // Every entry with examples runs, with or without a doc.md (its page then has only the fact box).
  const list = JSON.parse(cli(['tools', 'list', '--format', 'json'])) as { name: string }[];
  const out: ToolExamples[] = [];
  for (const entry of list) {
    if (only && entry.name !== only) continue;
    const show = JSON.parse(cli(['tools', 'show', entry.name, '--format', 'json'])) as ShowEntry;
    if (!show.examples?.length) continue;
    out.push({ tool: entry.name, examples: show.examples.map((e) => ({ ...e, tool: entry.name })), validate: show.validate ?? [] });
  }
  return out;
}
