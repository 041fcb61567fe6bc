/**
 * Every `cilock …` command on the site is checked: the detection checks and run lines of the
 * generated pages, and the shell blocks of the hand-written guides (in order, in a workspace where
 * the Kubescape static example has just run). Catalog examples themselves run in examples.test.ts.
 *
 * The generated lines differ only in the tool they name, so each one is checked in this process
 * (parsed as sh does, planned with the catalog the binary is built from), and one line of each
 * distinct command shape runs end to end exactly as the page shows it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'shell-quote';
import { describe, expect, it } from 'vitest';
import { builtContract } from '../lib/contract.js';
import { compileCatalog } from '../../src/catalog/compile.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { planInvocation } from '../../src/detection/plan.js';
import { catalogExamples } from './lib/catalog.js';
import { blocks, inlineCode, isGenerated, isShell, pages, runsCilock, type Block } from './lib/page-blocks.js';
import { cliMain, repoRoot } from './lib/paths.js';
import { makeWorkspace, type Workspace } from './lib/workspace.js';

interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

function sh(command: string, ws: Workspace, env: NodeJS.ProcessEnv = ws.env): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd: ws.dir, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** A named stand-in for a tool the basic pages wrap: it says what it is, writes nothing and exits with `status`. */
function genericStandIn(program: string, status = 0): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-generic-standin-'));
  const file = path.join(dir, program);
  writeFileSync(file, `#!/bin/sh\necho "cilock test stand-in for ${program}: not the real tool, records the call and exits ${status}" >&2\nexit ${status}\n`);
  chmodSync(file, 0o755);
  return dir;
}

interface Line {
  /** Leading `NAME=value` assignments. */
  env: Record<string, string>;
  /** The words up to and including `--`. */
  cilock: string[];
  /** The wrapped or planned command, after `--`. */
  argv: string[];
}

/** Splits a one-command block the way sh does (line continuations, quotes); operators are refused. */
function parseLine(command: string): Line {
  const words = parse(command.replace(/\\\n/g, ' ')).map((t) => {
    if (typeof t === 'string') return t;
    // An unmatched glob such as `[...]` stays a literal word in sh.
    if ('op' in t && t.op === 'glob') return t.pattern;
    throw new Error(`not a single command: ${JSON.stringify(t)} in ${command}`);
  });
  const env: Record<string, string> = {};
  while (/^[A-Za-z_]\w*=/.test(words[0] ?? '')) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  const dashes = words.indexOf('--');
  if (dashes < 0) throw new Error(`no -- in ${command}`);
  return { env, cilock: words.slice(0, dashes + 1), argv: words.slice(dashes + 1) };
}

/** What is common to every line of one shape: the tool-specific words (values, step, argv) blanked. */
function shape(b: Block): string {
  const { env, cilock, argv } = parseLine(b.value);
  const flags = cilock.map((w, i) => (['--step', '-s'].includes(cilock[i - 1] ?? '') ? 'STEP' : w));
  return [...Object.keys(env).map(() => 'VAR=…'), ...flags, argv.length === 1 ? 'CMD' : 'CMD ARG…'].join(' ');
}

/** The first block of each shape, labelled with its shape. */
function onePerShape(list: Block[]): [string, Block][] {
  const seen = new Map<string, Block>();
  for (const b of list) if (!seen.has(shape(b))) seen.set(shape(b), b);
  return [...seen];
}

const generated = pages().filter(isGenerated);
const handWritten = pages().filter((p) => !isGenerated(p));
const generatedBlocks = generated.flatMap(blocks).filter(isShell);
const detectionBlocks = generatedBlocks.filter((b) => b.meta.detection);
const runBlocks = generatedBlocks.filter((b) => b.meta.run);
const catalog = compileCatalog(loadCatalog(repoRoot));
// The entries as the generator saw them: the built binary's `tools list`, checked with the generator's contract.
const list = builtContract().check('tools-list', JSON.parse(execFileSync(process.execPath, [cliMain, 'tools', 'list', '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 })), 'cilock tools list');

async function fired(argv: string[], env: Record<string, string>): Promise<string[]> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'cilock-plan-'));
  return (await planInvocation({ argv, env, cwd }, catalog)).summary.fired;
}

// The key and outfile of the workspace the documented commands run in (test/e2e/lib/workspace.ts).
const DOCS_RUN = { keyPath: '_validation/key.pem', outfile: 'attestation.json' };

/** What `cilock plan --signer-file-key-path … --outfile … -- ARGV` suggests in an empty folder with an empty environment. */
async function suggested(argv: string[]): Promise<string> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'cilock-plan-'));
  return (await planInvocation({ argv, env: {}, cwd, runFlags: DOCS_RUN }, catalog)).suggested_run.command;
}

/** The `cilock plan …` command a basic page names in its prose for its run line. */
const planOnPage = (block: Block) => inlineCode(block.page).find((code) => code.startsWith('cilock plan '));

const argvTrigger = (e: (typeof list)[number]) => e.triggers?.find((t) => t.gate === 'pre' && t.kind === 'argv_prefix');

describe('generated pages: every cilock block is tied to the catalog', () => {
  it('no untagged cilock shell block on a generated page', () => {
    const untagged = generatedBlocks.filter((b) => runsCilock(b) && !b.meta.example && !b.meta.check && !b.meta.detection && !b.meta.run);
    expect(untagged.map((b) => `${b.page}:${b.line}`)).toEqual([]);
  });

  it('every example block names an example the examples runner executes', () => {
    const known = new Set(catalogExamples().flatMap((t) => t.examples.map((e) => `${t.tool}/${e.id}`)));
    const examples = generatedBlocks.filter((b) => b.meta.example).map((b) => b.meta.example!);
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.filter((e) => !known.has(e))).toEqual([]);
  });

  it('the generated lines come in few shapes, each of them run end to end below', () => {
    expect(onePerShape(detectionBlocks).map(([s]) => s)).toMatchInlineSnapshot(`
      [
        "cilock plan --format=json -- CMD ARG…",
        "VAR=… cilock plan --format=json -- CMD ARG…",
      ]
    `);
    expect(onePerShape(runBlocks).map(([s]) => s)).toMatchInlineSnapshot(`
      [
        "cilock run -s STEP --signer-file-key-path _validation/key.pem --outfile attestation.json -- CMD ARG…",
        "cilock run -s STEP --signer-file-key-path _validation/key.pem --outfile attestation.json -- CMD",
        "cilock run -s STEP --signer-file-key-path _validation/key.pem --outfile attestation.json --ignore-command-exit-code -- CMD",
        "cilock run -s STEP --signer-file-key-path _validation/key.pem --outfile attestation.json -a sarif -- CMD",
        "cilock run -s STEP --signer-file-key-path _validation/key.pem --outfile attestation.json --ignore-command-exit-code -a sarif -- CMD",
      ]
    `);
  });
});

describe('generated pages: "Confirm cilock detects it" checks fire their tool', () => {
  it.each(detectionBlocks.map((b) => [b.meta.detection!, b] as const))('%s', async (name, block) => {
    const line = parseLine(block.value);
    expect(line.cilock).toEqual(['cilock', 'plan', '--format=json', '--']);
    // Only the variables the page sets: a detection must not depend on the test machine's environment.
    expect(await fired(line.argv, line.env)).toContain(name);
  });
});

describe('generated pages: run lines of tools without validated invocations', () => {
  const onPage = (name: string) => runBlocks.find((b) => b.meta.run === name);

  it.each(list.map((e) => [e.name, e] as const))("%s: the page shows cilock plan's own run line for the tool's trigger", async (name, entry) => {
    // A catalog-only tool without docs gets a basic page; it shows a run line when it has an argv trigger.
    const trigger = entry.source === 'catalog-only' && entry.has_doc === false ? argvTrigger(entry) : undefined;
    if (!trigger) return expect(onPage(name)).toBeUndefined();
    const argv = trigger.value.split(' ');
    expect(onPage(name)?.value).toBe(await suggested(argv));
    // The page names the plan command that prints this line; the shape tests below run it.
    expect(planOnPage(onPage(name)!)).toBe(['cilock plan', '--signer-file-key-path', DOCS_RUN.keyPath, '--run-outfile', DOCS_RUN.outfile, '--', trigger.value].join(' '));
    const line = parseLine(onPage(name)!.value);
    expect(line.cilock[3]).toBe(entry.primary_category);
    expect(line.argv).toEqual(argv);
    expect(await fired(line.argv, {})).toContain(name);
  });
});

describe('generated pages: one line of each shape runs verbatim', () => {
  it.each(onePerShape(detectionBlocks))('detection: %s', async (_shape, block) => {
    const ws = makeWorkspace('detection', undefined);
    const r = await sh(block.value, ws);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.fired).toContain(block.meta.detection);
  });

  it.each(onePerShape(runBlocks))("the page's plan command prints this run line outside any project: %s", async (_shape, block) => {
    const plan = parseLine(planOnPage(block)!);
    expect(plan.cilock.slice(0, 2)).toEqual(['cilock', 'plan']);
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cilock-plan-'));
    const out = execFileSync(process.execPath, [cliMain, ...plan.cilock.slice(1), ...plan.argv], { cwd, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
    expect(out.split('\n')).toContain(`  to run: ${block.value}`);
  });

  it.each(onePerShape(runBlocks))('run (tool replaced by a named stand-in): %s', async (_shape, block) => {
    const ws = makeWorkspace('run', undefined);
    const { cilock, argv } = parseLine(block.value);
    const attestors = cilock[cilock.indexOf('-a') + 1]?.split(',') ?? [];
    const ignoresExit = cilock.includes('--ignore-command-exit-code');
    // A tool that exits non-zero on findings does so here too, to show the flag keeps the attestation.
    const status = ignoresExit ? 1 : 0;
    const env = { ...ws.env, PATH: `${genericStandIn(argv[0]!, status)}${path.delimiter}${ws.env.PATH}` };
    const r = await sh(block.value, ws, env);
    expect(r.stderr).toContain(`cilock test stand-in for ${argv[0]}`);
    const outfile = path.join(ws.dir, DOCS_RUN.outfile);
    const wantsReport = cilock.includes('-a') && attestors.includes('sarif');
    if (wantsReport && status === 0) {
      // As the page says: a tool that succeeds without writing its report fails the run, and nothing is written.
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('attestor sarif failed: no SARIF report to attest');
      expect(existsSync(outfile)).toBe(false);
      return;
    }
    // A tool that failed and wrote nothing: the attestation records the failed run without a report,
    // and the run still exits 1 so the missing report is not first noticed at verify time.
    if (wantsReport) expect(r.stderr).toContain('attestor sarif was skipped: the command wrote no files (the command exited 1)');
    expect(r.status, r.stderr).toBe(wantsReport ? 1 : 0);
    const envelope = JSON.parse(readFileSync(outfile, 'utf8')) as { payload: string };
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    expect(statement.predicate.name).toBe(cilock[3]);
    const commandRun = statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('/command-run/v0.1'));
    expect(commandRun.attestation.cmd).toEqual(argv);
    expect(commandRun.attestation.exitcode).toBe(status);
    expect((await sh(`cilock verify --attestations ${DOCS_RUN.outfile} --publickey ${ws.publicKey}`, ws, env)).status).toBe(0);
  });
});

describe('hand-written pages: shell blocks run in order after the Kubescape static example', () => {
  const staticExample = catalogExamples('kubescape')[0]?.examples.find((e) => e.id === 'static-manifests');
  const withCommands = handWritten.filter((p) => blocks(p).some((b) => isShell(b) && runsCilock(b)));

  it.each(withCommands)('%s', async (page) => {
    expect(staticExample, 'the kubescape static example is the starting point of every guide').toBeDefined();
    const ws = makeWorkspace('kubescape', staticExample!.fixtures);
    const first = await sh(staticExample!.command, ws);
    expect(first.status, first.stderr).toBe(0);
    for (const b of blocks(page)) {
      if (b.meta.title && !isShell(b)) {
        writeFileSync(path.join(ws.dir, b.meta.title), `${b.value}\n`);
        continue;
      }
      if (!isShell(b) || b.meta['skip-test']) continue;
      const r = await sh(b.value, ws);
      const want = Number(b.meta.exit ?? 0);
      expect(r.status, `${page}:${b.line} exited ${r.status}, expected ${want}\n$ ${b.value}\n${r.stdout}\n${r.stderr}`).toBe(want);
    }
    expect(existsSync(path.join(ws.dir, 'attestation.json'))).toBe(true);
  }, 300_000);
});
