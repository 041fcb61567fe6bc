import { describe, expect, it } from 'vitest';
import { cilock } from './cli-helpers.js';

const STATIC = ['kubescape', 'scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'kubescape.sarif', 'manifests/'];
const SNAPSHOT = [
  'sh',
  '-c',
  'kubectl get all,networkpolicies,roles,rolebindings,serviceaccounts -A -o yaml > cluster-snapshot.yaml && kubescape scan framework nsa --format sarif --output kubescape-cluster.sarif cluster-snapshot.yaml',
];

describe('cilock tools show kubescape', () => {
  it('prints every fact of the page fact box (text)', async () => {
    const r = cilock(['tools', 'show', 'kubescape']);
    expect(r.status).toBe(0);
    for (const fact of [
      'Kubescape · CNCF / ARMO · Apache-2.0',
      'compliance-scan (primary)',
      'catalog-only (detected; output captured via a format attestor)',
      'emits format:      sarif',
      'off — no syscall tracing needed',
      '- [pre] argv_prefix: kubescape',
      'cilock plan --format=json -- kubescape [...]',
    ]) expect(r.stdout).toContain(fact);
    await expect(r.stdout).toMatchFileSnapshot('__snapshots__/tools-show-kubescape.txt');
  });

  it('JSON keeps the upstream field names and adds docs and examples', async () => {
    const r = cilock(['tools', 'show', 'kubescape', '--format', 'json']);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json).slice(0, 11)).toEqual(['name', 'default_on', 'description', 'categories', 'upstream', 'source', 'emits_formats', 'gates', 'recommended_trace', 'triggers', 'warnings']);
    expect(json.examples.map((e: { id: string }) => e.id)).toEqual(['static-manifests', 'cluster-snapshot']);
    expect(json.doc.sections.map((s: { slug: string }) => s.slug)).toContain('validate-it-locally');
    await expect(r.stdout).toMatchFileSnapshot('__snapshots__/tools-show-kubescape.json');
  });

  it('prints one doc section with --section', () => {
    const r = cilock(['tools', 'show', 'kubescape', '--section', 'why-this-shape']);
    expect(r.stdout.startsWith('## Why this shape\n')).toBe(true);
  });

  it('names the available sections for an unknown one (exit 1)', () => {
    const r = cilock(['tools', 'show', 'kubescape', '--section', 'nope']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no section "nope" for "kubescape"; available: overview, validated-invocations');
  });
});

describe('cilock tools list / test-plan', () => {
  it('list --format json is stable', async () => {
    const r = cilock(['tools', 'list', '--format', 'json']);
    expect(r.status).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('__snapshots__/tools-list.json');
  });

  it('filters by category and source', () => {
    const r = cilock(['tools', 'list', '--format', 'json', '--category', 'compliance-scan', '--source', 'catalog-only']);
    const names = JSON.parse(r.stdout).map((e: { name: string }) => e.name);
    expect(names).toContain('kubescape');
    expect(names).not.toContain('sarif');
  });

  it('the table counts sources', () => {
    const r = cilock(['tools', 'list']);
    expect(r.stdout.split('\n')[0]).toMatch(/^\d+ tools known \(\d+ attestor-backed, \d+ catalog-only\)\.$/);
    // The exact row upstream documents for this entry.
    expect(r.stdout).toContain('\n  kubescape               catalog-only     compliance-scan             Apache-2.0    Kubescape\n');
  });

  it('test-plan gives kubescape the detection command the page shows', () => {
    const r = cilock(['tools', 'test-plan', '--format', 'json', '--only', 'kubescape']);
    const plan = JSON.parse(r.stdout);
    expect(plan.schema_version).toBe('cilock.tools.test-plan/v0.1');
    expect(plan.cases[0].cilock_command).toBe('cilock plan --format=json -- kubescape [...]');
  });
});

describe('cilock plan', () => {
  it('fires kubescape for the static invocation (JSON snapshot)', async () => {
    const r = cilock(['plan', '--format=json', '--', ...STATIC]);
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.plan.fire).toEqual([expect.objectContaining({ attestor: 'kubescape', matched_rule: 'argv_prefix:kubescape' })]);
    expect(plan.suggested_run.attestations).toEqual(['sarif']);
    await expect(r.stdout).toMatchFileSnapshot('__snapshots__/plan-static.json');
  });

  it('fires kubescape through sh -c for the snapshot recipe (JSON snapshot)', async () => {
    const r = cilock(['plan', '--format=json', '--', ...SNAPSHOT]);
    const plan = JSON.parse(r.stdout);
    expect(plan.plan.fire).toEqual([expect.objectContaining({ attestor: 'kubescape', matched_rule: 'sh -c[2]:argv_prefix:kubescape' })]);
    await expect(r.stdout).toMatchFileSnapshot('__snapshots__/plan-snapshot.json');
  });

  it('the page detection check runs verbatim and fires', () => {
    const r = cilock(['plan', '--format=json', '--', 'kubescape', '[...]']);
    expect(JSON.parse(r.stdout).summary.fired).toEqual(['kubescape']);
  });

  it('JSON goes to stdout only', () => {
    const r = cilock(['plan', '--format=json', '--', ...STATIC]);
    expect(r.stderr).toBe('');
  });
});

describe('bad input', () => {
  it.each([
    [['tools', 'show', 'nope'], 1, 'cilock: unknown tool "nope" (try: cilock tools list)'],
    [['tools', 'list', '--format', 'yaml'], 2, 'cilock: unknown --format "yaml" (want table|json)'],
    [['tools', 'show', 'kubescape', '--format', 'xml'], 2, 'cilock: unknown --format "xml" (want text|json)'],
    [['tools', 'test-plan', '--format', 'html'], 2, 'cilock: unknown --format "html" (want markdown|json)'],
    [['plan', '--format', 'yaml', '--', 'true'], 2, 'cilock: unknown --format "yaml" (want text|json)'],
    [['plan'], 2, 'cilock: missing the command to plan'],
    [['tools', 'list', '--source', 'builtin'], 2, 'cilock: unknown --source "builtin" (want attestor-backed|catalog-only)'],
    [['tools', 'show'], 2, "missing required argument 'name'"],
    [['frobnicate'], 2, "unknown command 'frobnicate'"],
  ])('%j exits %i with a clear message', (args, code, message) => {
    const r = cilock(args as string[]);
    expect(r.status).toBe(code);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('--version and --help exit 0', () => {
    expect(cilock(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = cilock(['plan', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: cilock plan');
  });
});
