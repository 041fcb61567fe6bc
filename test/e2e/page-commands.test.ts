/**
 * Every `cilock …` command on the site is executed: the detection checks and run lines of the
 * generated pages, and the shell blocks of the hand-written guides (in order, in a workspace where
 * the Kubescape static example has just run). Catalog examples themselves run in examples.test.ts.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogExamples } from './lib/catalog.js';
import { blocks, isGenerated, isShell, pages, runsCilock } from './lib/page-blocks.js';
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

/** A named stand-in for a tool the basic pages wrap: it says what it is and exits 0. */
function genericStandIn(program: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-generic-standin-'));
  const file = path.join(dir, program);
  writeFileSync(file, `#!/bin/sh\necho "cilock test stand-in for ${program}: not the real tool, records the call and exits 0" >&2\nexit 0\n`);
  chmodSync(file, 0o755);
  return dir;
}

const generated = pages().filter(isGenerated);
const handWritten = pages().filter((p) => !isGenerated(p));
const detectionBlocks = generated.flatMap(blocks).filter((b) => isShell(b) && b.meta.detection);
const runBlocks = generated.flatMap(blocks).filter((b) => isShell(b) && b.meta.run);

describe('generated pages: every cilock block is tied to the catalog', () => {
  it('no untagged cilock shell block on a generated page', () => {
    const untagged = generated.flatMap(blocks).filter((b) => isShell(b) && runsCilock(b) && !b.meta.example && !b.meta.check && !b.meta.detection && !b.meta.run);
    expect(untagged.map((b) => `${b.page}:${b.line}`)).toEqual([]);
  });

  it('every example block names an example the examples runner executes', () => {
    const known = new Set(catalogExamples().flatMap((t) => t.examples.map((e) => `${t.tool}/${e.id}`)));
    const examples = generated.flatMap(blocks).filter((b) => b.meta.example).map((b) => b.meta.example!);
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.filter((e) => !known.has(e))).toEqual([]);
  });
});

describe('generated pages: "Confirm cilock detects it" checks run verbatim and fire', () => {
  it.each(detectionBlocks.map((b) => [b.meta.detection!, b] as const))('%s', async (name, block) => {
    const ws = makeWorkspace('detection', undefined);
    const r = await sh(block.value, ws);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.fired).toContain(name);
  });
});

describe('generated pages: run lines of tools without validated invocations (tool replaced by a named stand-in)', () => {
  it.each(runBlocks.map((b) => [b.meta.run!, b] as const))('%s', async (_name, block) => {
    const ws = makeWorkspace('run', undefined);
    const argv = block.value.split('-- ').at(-1)!.trim().split(/\s+/);
    const env = { ...ws.env, PATH: `${genericStandIn(argv[0]!)}${path.delimiter}${ws.env.PATH}` };
    const r = await sh(block.value, ws, env);
    expect(r.status, r.stderr).toBe(0);
    const envelope = JSON.parse(readFileSync(path.join(ws.dir, 'attestation.json'), 'utf8')) as { payload: string };
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    const commandRun = statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('/command-run/v0.1'));
    expect(commandRun.attestation.cmd).toEqual(argv);
    expect((await sh(`cilock verify --attestations attestation.json --publickey ${ws.publicKey}`, ws, env)).status).toBe(0);
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
