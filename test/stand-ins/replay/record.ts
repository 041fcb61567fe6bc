/**
 * `npx tsx test/stand-ins/replay/record.ts TOOL`: runs each documented example's scan of TOOL with
 * the real tool (never a stand-in) in a fresh example workspace and writes what it printed, wrote
 * and exited with into recordings/TOOL.json, which the replay stand-in serves.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type ParseEntry } from 'shell-quote';
import { catalogExamples, type ExampleSpec } from '../../e2e/lib/catalog.js';
import { resolveTier } from '../../e2e/lib/tiers.js';
import { makeWorkspace } from '../../e2e/lib/workspace.js';
import { inputDigests, recordingsFile, sha256 } from './replay.mjs';

export interface Recording {
  example: string;
  recorded_with: string;
  argv: string[];
  /** Files the shell redirects into: created before the tool starts, so not inputs. */
  redirects: string[];
  inputs: Record<string, string>;
  exit_code: number;
  stdout: string;
  files: Record<string, string>;
}

/**
 * The tool's own argv inside the example's command: the recorded argv itself, or the one simple
 * command of an `sh -c` script with its stdout redirect (anything more is refused, not guessed).
 */
export function toolCall(tool: string, cmd: string[]): { argv: string[]; redirects: string[] } {
  if (cmd[0] === tool) return { argv: cmd.slice(1), redirects: [] };
  if (cmd[0] !== 'sh' || cmd[1] !== '-c' || cmd.length !== 3) throw new Error(`cannot find the ${tool} call in ${JSON.stringify(cmd)}`);
  const tokens: ParseEntry[] = parse(cmd[2]!);
  const words: string[] = [];
  const redirects: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (typeof t === 'string') words.push(t);
    else if ('op' in t && t.op === '>' && typeof tokens[i + 1] === 'string') redirects.push(tokens[++i] as string);
    else throw new Error(`the script ${JSON.stringify(cmd[2])} is more than one ${tool} call with a stdout redirect`);
  }
  if (words[0] !== tool) throw new Error(`the script ${JSON.stringify(cmd[2])} does not start with ${tool}`);
  return { argv: words.slice(1), redirects };
}

function record(example: ExampleSpec): Recording {
  const tier = resolveTier(example.tool);
  if (tier.kind !== 'real') throw new Error(`${example.tool}: no real ${example.tool} on PATH (found: ${tier.kind}); put the pinned one first, e.g. PATH="$PWD/.tools/bin:$PATH"`);
  const { argv, redirects } = toolCall(example.tool, example.expect.cmd);
  const ws = makeWorkspace(example.tool, example.fixtures);
  const inputs = inputDigests(ws.dir, redirects);
  const ran = spawnSync(tier.file!, argv, { cwd: ws.dir, env: ws.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  if (ran.error) throw ran.error;
  const after = inputDigests(ws.dir, redirects);
  const written = Object.keys(after).filter((name) => inputs[name] !== after[name]);
  const files = Object.fromEntries(written.map((name) => [name, readFileSync(path.join(ws.dir, name), 'utf8')]));
  process.stderr.write(`${example.tool}/${example.id}: exit ${ran.status}, wrote ${written.join(', ') || 'no files'}, ${ran.stdout.length} bytes of stdout\n`);
  return {
    example: `${example.tool}/${example.id}`,
    recorded_with: `${example.tool} ${tier.version}`,
    argv,
    redirects,
    inputs,
    exit_code: ran.status ?? 1,
    stdout: ran.stdout,
    files,
  };
}

async function main(): Promise<void> {
  const tool = process.argv[2];
  if (!tool) throw new Error('usage: npx tsx test/stand-ins/replay/record.ts TOOL');
  const examples = catalogExamples(tool).flatMap((t) => t.examples);
  if (!examples.length) throw new Error(`no documented examples for ${tool} (see cilock tools list)`);
  const recordings = examples.map(record);
  const file = recordingsFile(tool);
  writeFileSync(file, `${JSON.stringify({ tool, recordings }, null, 2)}\n`);
  process.stderr.write(`wrote ${path.relative(process.cwd(), file)} (sha256 ${sha256(file).slice(0, 12)})\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
