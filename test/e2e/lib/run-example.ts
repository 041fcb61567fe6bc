/**
 * Runs one documented example exactly as its page shows it, then the page's "Validate it locally"
 * checks, then `cilock verify`. Every failure says which example, which command, its exit code,
 * the tails of its output and a diff of expected against actual.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { installHint } from '../../../src/scripts/system-tools.js';
import type { CheckSpec, ExampleSpec } from './catalog.js';
import { cliMain, standInBin } from './paths.js';
import { resolveTier, describeTier, type Tier } from './tiers.js';
import { makeWorkspace, type Workspace } from './workspace.js';
import type { Observed } from './record.js';

export interface ExampleResult {
  tool: string;
  id: string;
  tiers: Tier[];
  ok: boolean;
  failures: string[];
  workspace?: string;
  /** What the run showed, whatever was expected (for --record); absent when it wrote no attestation. */
  observed?: Observed;
}

interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

/** Asynchronous on purpose: a recorded service may be served from this very process. */
function sh(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => (stderr += String(err)));
    child.on('close', (code, signal) => resolve({ status: code ?? (signal ? 128 : -1), stdout, stderr }));
  });
}

const tail = (text: string, lines = 15) => text.trimEnd().split('\n').slice(-lines).join('\n');

function diff(label: string, expected: string, actual: string): string {
  return createTwoFilesPatch(`expected ${label}`, `actual ${label}`, `${expected}\n`, `${actual}\n`, '', '', { context: 3 });
}

function outfileOf(command: string): string {
  return /(?:--outfile|-o)[ =](\S+)/.exec(command)?.[1] ?? 'attestation.json';
}

interface Statement {
  predicate: { name: string; attestations: { type: string; attestation: Record<string, unknown> }[] };
}

function decode(file: string): Statement {
  const envelope = JSON.parse(readFileSync(file, 'utf8')) as { payload: string };
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Statement;
}

export interface ServiceHandle {
  env: Record<string, string>;
  close(): Promise<void>;
}

export type ServiceStarter = (name: string) => Promise<ServiceHandle>;

/**
 * A real tool that also has a recorded stand-in (Kubescape) must give the counts the page shows
 * (they come from the pinned version) and, run again with the stand-in, the same findings per
 * control id: that keeps the recordings the stand-in replays true to the real tool.
 */
function comparedWithRecording(tiers: Tier[]): Tier[] {
  return tiers.filter((t) => t.kind === 'real' && existsSync(path.join(standInBin, t.program)));
}

/** A PATH that runs `programs` from the chosen files, ahead of everything else. */
function pinPrograms(env: NodeJS.ProcessEnv, programs: { program: string; file: string }[]): NodeJS.ProcessEnv {
  if (!programs.length) return env;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-pinned-'));
  for (const p of programs) symlinkSync(p.file, path.join(dir, p.program));
  return { ...env, PATH: `${dir}${path.delimiter}${env.PATH ?? ''}` };
}

interface Attempt {
  ws: Workspace;
  statement?: Statement;
}

async function attempt(example: ExampleSpec, env: Record<string, string>, pinned: { program: string; file: string }[], fail: (m: string) => void, tiers: Tier[], observe = false): Promise<Attempt> {
  const ws = makeWorkspace(example.tool, example.fixtures, env);
  ws.env = pinPrograms(ws.env, pinned);
  const ran = await sh(example.command, ws.dir, ws.env);
  ws.exitCode = ran.status;
  if (ran.status !== example.expect.exit_code) {
    fail(`command exited ${ran.status}, expected ${example.expect.exit_code}\n$ ${example.command}\n--- stdout (tail)\n${tail(ran.stdout)}\n--- stderr (tail)\n${tail(ran.stderr)}\n(tools: ${tiers.map(describeTier).join(', ')}; workspace ${ws.dir})`);
    // Recording wants what the run gave, an exit code other than the expected one included.
    if (!observe) return { ws };
  }
  const outfile = path.join(ws.dir, outfileOf(example.command));
  if (!existsSync(outfile)) {
    fail(`no attestation at ${outfile}\n--- stderr (tail)\n${tail(ran.stderr)}`);
    return { ws };
  }
  return { ws, statement: decode(outfile) };
}

export async function runExample(example: ExampleSpec, checks: CheckSpec[], startService: ServiceStarter, opts: { observe?: boolean } = {}): Promise<ExampleResult> {
  const tiers = example.requires.map(resolveTier);
  const result: ExampleResult = { tool: example.tool, id: example.id, tiers, ok: false, failures: [] };
  const fail = (message: string) => result.failures.push(`[${example.tool}/${example.id}] ${message}`);
  const missing = tiers.filter((t) => t.kind === 'missing');
  if (missing.length) {
    fail(`required program(s) not found, real or stand-in: ${missing.map((t) => `${t.program} (${installHint(t.program)})`).join(', ')}`);
    return result;
  }
  const recorded = comparedWithRecording(tiers);
  const services = await Promise.all(example.services.map(startService));
  try {
    const serviceEnv: Record<string, string> = Object.assign({}, ...services.map((s) => s.env));
    const pinned = tiers.filter((t) => t.kind !== 'missing').map((t) => ({ program: t.program, file: t.file! }));
    const { ws, statement } = await attempt(example, serviceEnv, pinned, fail, tiers, opts.observe);
    result.workspace = ws.dir;
    if (!statement) return result;
    checkEnvelope(statement, example, fail);
    if (opts.observe) result.observed = observedIn(statement, ws.exitCode ?? -1);
    for (const check of checks) {
      const expected = example.expect.checks[check.id];
      if (expected === undefined && !opts.observe) continue;
      const out = await sh(check.command, ws.dir, ws.env);
      if (result.observed && out.status === 0) result.observed.checks[check.id] = out.stdout.trimEnd();
      if (expected === undefined) continue;
      const norm = (s: string) => (check.order_may_vary ? s.trimEnd().split('\n').sort().join('\n') : s.trimEnd());
      if (out.status !== 0) fail(`check ${check.id} exited ${out.status}\n$ ${check.command}\n${tail(out.stderr)}`);
      else if (norm(out.stdout) !== norm(expected)) fail(`check ${check.id} printed something else\n$ ${check.command}\n${diff(check.id, norm(expected), norm(out.stdout))}`);
    }
    const outfile = path.join(ws.dir, outfileOf(example.command));
    const verify = await sh(`"${process.execPath}" "${cliMain}" verify --attestations "${outfile}" --publickey "${ws.publicKey}"`, ws.dir, ws.env);
    if (verify.status !== 0) fail(`cilock verify failed (exit ${verify.status})\n${tail(verify.stdout)}\n${tail(verify.stderr)}`);
    if (recorded.length) {
      // Same example again with the stand-ins replaying their recordings; compare findings per control id.
      const replayPins = pinned.map((p) => (recorded.some((r) => r.program === p.program) ? { program: p.program, file: path.join(standInBin, p.program) } : p));
      const replay = await attempt(example, serviceEnv, replayPins, fail, tiers);
      if (replay.statement) {
        const real = countsByRule(statement);
        const want = countsByRule(replay.statement);
        if (real !== want) fail(`real ${recorded.map(describeTier).join(', ')} found other controls than the stand-in's recording (re-capture it: npx tsx test/stand-ins/kubescape/record.ts --real …)\n${diff('findings per control id', want, real)}`);
      }
    }
    result.ok = result.failures.length === 0;
    return result;
  } finally {
    await Promise.all(services.map((s) => s.close()));
  }
}

function sarifResults(statement: Statement): { ruleId?: string }[] {
  const sarif = statement.predicate.attestations.find((a) => a.type.includes('/attestations/sarif/'))?.attestation;
  return (sarif?.report as { runs?: { results?: { ruleId?: string }[] }[] } | undefined)?.runs?.[0]?.results ?? [];
}

/** `C-0016: 1` lines, sorted: SARIF result order is not stable across Kubescape versions. */
function countsByRule(statement: Statement): string {
  const counts = new Map<string, number>();
  for (const r of sarifResults(statement)) counts.set(r.ruleId ?? '(none)', (counts.get(r.ruleId ?? '(none)') ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([rule, n]) => `${rule}: ${n}`).join('\n');
}

/** The expectations this statement bears out, read from it directly. */
function observedIn(statement: Statement, exitCode: number): Observed {
  const atts = statement.predicate.attestations;
  const body = (suffix: string) => atts.find((a) => a.type.includes(`/attestations/${suffix}/`))?.attestation;
  const cmd = body('command-run')?.cmd as string[] | undefined;
  const sarif = body('sarif');
  return {
    exit_code: exitCode,
    predicate_types: atts.map((a) => a.type),
    ...(cmd ? { cmd } : {}),
    products: ((body('product')?.leaves as { path: string }[] | undefined) ?? []).map((l) => l.path),
    ...(sarif ? { sarif_report: String(sarif.reportFileName), sarif_results: sarifResults(statement).length } : {}),
    checks: {},
  };
}

/** What the envelope must hold, read straight from the decoded statement (not only through jq). */
function checkEnvelope(statement: Statement, example: ExampleSpec, fail: (m: string) => void): void {
  const atts = statement.predicate.attestations;
  const types = atts.map((a) => a.type).sort();
  const want = [...example.expect.predicate_types].sort();
  if (types.join('\n') !== want.join('\n')) fail(`predicate types differ\n${diff('predicate types', want.join('\n'), types.join('\n'))}`);
  if (statement.predicate.name !== example.step) fail(`collection name is "${statement.predicate.name}", expected step "${example.step}"`);
  const body = (suffix: string) => atts.find((a) => a.type.includes(`/attestations/${suffix}/`))?.attestation;
  const cmd = body('command-run')?.cmd as string[] | undefined;
  if (JSON.stringify(cmd) !== JSON.stringify(example.expect.cmd)) fail(`command-run recorded ${JSON.stringify(cmd)}, expected ${JSON.stringify(example.expect.cmd)}`);
  const leaves = ((body('product')?.leaves as { path: string }[] | undefined) ?? []).map((l) => l.path);
  for (const p of example.expect.products) if (!leaves.includes(p)) fail(`product ${p} missing from the product attestation (products: ${leaves.join(', ') || 'none'})`);
  const sarif = body('sarif');
  if (example.expect.sarif_report !== undefined && sarif?.reportFileName !== example.expect.sarif_report) {
    fail(`sarif attestation built from ${String(sarif?.reportFileName)}, expected ${example.expect.sarif_report}`);
  }
  const results = sarifResults(statement).length;
  if (example.expect.sarif_results !== undefined && results !== example.expect.sarif_results) {
    fail(`the SARIF report has ${results} results, expected ${example.expect.sarif_results}`);
  }
}
