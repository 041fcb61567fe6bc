/**
 * Post-gate detection after a traced run: `exec_observed` against the observed execs, every
 * entry detected by its command line looked for among them, post rules on products and exit
 * code; entries that fired before the run are not fired again.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../catalog/invalid-fixture.js';
import type { CompiledCatalog, CompiledEntry } from '../../../src/catalog/compiled.js';
import { ToolSchema, type Predicate } from '../../../src/catalog/schema.js';
import { postGate, type PostGateInput } from '../../../src/detection/post-gate.js';
import { evaluate } from '../../../src/detection/predicates.js';

function entry(name: string, gates: { pre?: Predicate; post?: Predicate }, emits: string[] = []): CompiledEntry {
  return {
    kind: 'tool', name, title: name, description: '', categories: ['lint'], upstream: { name, vendor: 'v', license: 'MIT', source: 'https://example.com' },
    emits_formats: emits, recommended_trace: { mode: 'off', reason: 'r' }, exits_nonzero_on_findings: false,
    ...(gates.pre ? { pre: { match: gates.pre, warnings: [] } } : {}),
    ...(gates.post ? { post: { match: gates.post, warnings: [] } } : {}),
    llm_hints: {}, captured: {}, validate: [], examples: [], source_file: `catalog/tools/${name}/tool.yaml`,
  } as CompiledEntry;
}

const sarif = { kind: 'attestor', name: 'sarif', runnable: true } as unknown as CompiledEntry;
const catalog: CompiledCatalog = {
  schema_version: 'cilock.catalog-bundle/v1',
  entries: [
    entry('scanner', { pre: { argv_prefix: ['scanner'] } }, ['sarif']),
    entry('only-post', { post: { exec_observed: { argv_contains: '--deep' } } }),
    entry('in-checkout', { pre: { file_exists: '.' } }),
    entry('failed-build', { post: { exit_code: { ne: 0 } } }),
    sarif,
  ],
};

const base: PostGateInput = { argv: ['./scan.sh'], env: {}, cwd: '/', execs: [['./scan.sh'], ['/usr/bin/scanner', 'run', '--deep']], products: [], exitCode: 0, preFired: new Set() };

describe('exec_observed', () => {
  const ctx = { argv: ['x'], env: {}, cwd: '/', envKeysObserved: new Set<string>(), probes: new Map<string, boolean>() };
  it('is trace-unavailable without a trace, and without execs', () => {
    expect(evaluate({ exec_observed: { argv_prefix: ['x'] } }, ctx)).toEqual({ match: false, rule: 'exec_observed:trace-unavailable:off' });
    expect(evaluate({ exec_observed: { argv_prefix: ['x'] } }, { ...ctx, execs: [] })).toEqual({ match: false, rule: 'exec_observed:trace-unavailable:no-execs' });
  });
  it('matches the first exec whose argv satisfies the inner predicate', () => {
    expect(evaluate({ exec_observed: { argv_prefix: ['b'] } }, { ...ctx, execs: [['a'], ['/bin/b', '1'], ['b']] })).toEqual({ match: true, rule: 'exec_observed[1]:argv_prefix:b' });
    expect(evaluate({ exec_observed: { argv_prefix: ['c'] } }, { ...ctx, execs: [['a']] })).toEqual({ match: false, rule: 'exec_observed:no-exec-matched' });
  });
  it('is a post-gate key: allowed in post, refused in pre', () => {
    // A real entry, its gates changed.
    const real = parse(readFileSync(path.join(repoRoot, 'catalog/tools/flawfinder/tool.yaml'), 'utf8')) as Record<string, unknown>;
    const inner = { exec_observed: { argv_prefix: ['flawfinder'] } };
    const post = ToolSchema.safeParse({ ...real, post: { match: inner } });
    expect(post.error?.issues ?? []).toEqual([]);
    const pre = ToolSchema.safeParse({ ...real, pre: { match: inner } });
    expect(JSON.stringify(pre.error?.issues)).toContain('exec_observed is only allowed in the post gate');
  });
});

describe('postGate', () => {
  it('finds a scanner started by a script, with the format attestor it feeds, and explicit exec_observed rules', () => {
    const result = postGate(base, catalog);
    expect(result.fire.map((f) => [f.attestor, f.matched_rule])).toEqual([
      ['scanner', 'exec_observed[1]:argv_prefix:scanner'],
      ['only-post', 'exec_observed[1]:argv_contains:--deep'],
    ]);
    expect(result.fire[0]?.evidence).toEqual({ trace_mode: 'strace', exec_count: 2, product_count: 0, exit_code: 0 });
    expect(result.attestations).toEqual(['sarif']);
  });
  it('does not fire again what fired before the run, nor entries detected by files or env', () => {
    const result = postGate({ ...base, preFired: new Set(['scanner']) }, catalog);
    expect(result.fire.map((f) => f.attestor)).toEqual(['only-post']);
  });
  it('evaluates post rules on the exit code', () => {
    expect(postGate({ ...base, execs: [['true']], exitCode: 2 }, catalog).fire.map((f) => f.attestor)).toEqual(['failed-build']);
  });
});
