/** The examples as the built binary reports them (`cilock tools list|show --format json`). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cliMain } from './paths.js';

export interface ExampleSpec {
  tool: string;
  id: string;
  title: string;
  step: string;
  command: string;
  fixtures?: string;
  requires: string[];
  services: string[];
  expect: {
    exit_code: number;
    predicate_types: string[];
    cmd: string[];
    products: string[];
    sarif_report?: string;
    sarif_results?: number;
    checks: Record<string, string>;
  };
}

export interface CheckSpec {
  id: string;
  comment: string;
  command: string;
  order_may_vary: boolean;
}

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
    const show = JSON.parse(cli(['tools', 'show', entry.name, '--format', 'json'])) as { examples?: Omit<ExampleSpec, 'tool'>[]; validate?: CheckSpec[] };
    if (!show.examples?.length) continue;
    out.push({ tool: entry.name, examples: show.examples.map((e) => ({ ...e, tool: entry.name })), validate: show.validate ?? [] });
  }
  return out;
}
