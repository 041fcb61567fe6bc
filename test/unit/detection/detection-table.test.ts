import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCatalog } from '../../../src/catalog/compile.js';
import type { CompiledCatalog, CompiledEntry } from '../../../src/catalog/compiled.js';
import { loadCatalog } from '../../../src/catalog/load.js';
import type { Predicate } from '../../../src/catalog/schema.js';
import { planInvocation } from '../../../src/detection/plan.js';
import { repoRoot } from '../catalog/invalid-fixture.js';

/** A minimal tool entry whose pre gate is `match`. */
function tool(name: string, match: Predicate): CompiledEntry {
  return {
    kind: 'tool', name, title: name, description: '', categories: ['lint'], upstream: { name, vendor: 'v', license: 'MIT', source: 'https://example.com' },
    emits_formats: [], recommended_trace: { mode: 'off', reason: 'r' }, exits_nonzero_on_findings: false,
    pre: { match, warnings: [] }, llm_hints: {}, captured: {}, validate: [], examples: [], source_file: `catalog/tools/${name}/tool.yaml`,
  };
}

const synthetic: CompiledCatalog = {
  schema_version: 'cilock.catalog-bundle/v1',
  entries: [
    tool('docker-build', { argv_prefix: ['docker', 'build'] }),
    tool('env-ci', { env_set: 'SOME_CI' }),
    tool('env-eq', { env_equals: { var: 'RUNNER', value: 'github' } }),
    tool('has-go-mod', { file_exists: 'go.mod' }),
    tool('tf-files', { file_glob: ['*.tf'] }),
    tool('deep-sarif', { file_glob: ['**/*.sarif'] }),
    tool('contains-provenance', { argv_contains: '--provenance=true' }),
    tool('regex-tool', { argv_regex: '^make (build|all)$' }),
    tool('either', { any_of: [{ argv_prefix: ['mal', 'scan'] }, { argv_prefix: ['mal', 'diff'] }] }),
    tool('both', { all_of: [{ argv_prefix: ['ship'] }, { env_set: 'SHIP_TOKEN' }] }),
    tool('not-echo', { all_of: [{ argv_prefix: ['say'] }, { not: { argv_contains: 'quiet' } }] }),
    tool('cloud', { imds_reachable: true }),
  ],
};

interface Case {
  name: string;
  argv: string[];
  env?: Record<string, string>;
  files?: string[];
  fires: Record<string, string>;
  absent?: string[];
}

const syntheticCases: Case[] = [
  { name: 'argv_prefix strict positions', argv: ['docker', 'build', '.'], fires: { 'docker-build': 'argv_prefix:docker.build' } },
  { name: 'argv_prefix does not skip flags', argv: ['docker', '--debug', 'build'], fires: {}, absent: ['docker-build'] },
  { name: 'argv_prefix matches argv0 by basename', argv: ['/usr/local/bin/docker', 'build'], fires: { 'docker-build': 'argv_prefix:docker.build' } },
  { name: 'argv_prefix basename only for argv0', argv: ['docker', '/x/build'], fires: {}, absent: ['docker-build'] },
  { name: 'argv_prefix too short', argv: ['docker'], fires: {}, absent: ['docker-build'] },
  { name: 'env_set fires on presence, even empty', argv: ['echo'], env: { SOME_CI: '' }, fires: { 'env-ci': 'env_set:SOME_CI' } },
  { name: 'env_equals exact value', argv: ['echo'], env: { RUNNER: 'github' }, fires: { 'env-eq': 'env_equals:RUNNER=github' } },
  { name: 'env_equals differing value', argv: ['echo'], env: { RUNNER: 'gitlab' }, fires: {}, absent: ['env-eq'] },
  { name: 'file_exists in cwd', argv: ['echo'], files: ['go.mod'], fires: { 'has-go-mod': 'file_exists:go.mod' } },
  { name: 'file_glob top level only without **', argv: ['echo'], files: ['infra/main.tf'], fires: {}, absent: ['tf-files'] },
  { name: 'file_glob top level hit', argv: ['echo'], files: ['main.tf'], fires: { 'tf-files': 'file_glob:*.tf' } },
  { name: 'file_glob ** walks subdirectories', argv: ['echo'], files: ['reports/a/out.sarif'], fires: { 'deep-sarif': 'file_glob:**/*.sarif' } },
  { name: 'file_glob ** skips node_modules', argv: ['echo'], files: ['node_modules/x/out.sarif'], fires: {}, absent: ['deep-sarif'] },
  { name: 'argv_contains substring of joined argv', argv: ['docker', 'buildx', 'build', '--provenance=true', '.'], fires: { 'contains-provenance': 'argv_contains:--provenance=true' } },
  { name: 'argv_regex against joined argv', argv: ['make', 'all'], fires: { 'regex-tool': 'argv_regex:^make (build|all)$' } },
  { name: 'any_of reports the child index', argv: ['mal', 'diff', 'a', 'b'], fires: { either: 'any_of[1]:argv_prefix:mal.diff' } },
  { name: 'all_of needs every child', argv: ['ship', 'it'], fires: {}, absent: ['both'] },
  { name: 'all_of matches with env', argv: ['ship', 'it'], env: { SHIP_TOKEN: 'x' }, fires: { both: 'all_of:match' } },
  { name: 'not inverts', argv: ['say', 'hello'], fires: { 'not-echo': 'all_of:match' } },
  { name: 'not blocks', argv: ['say', 'quiet'], fires: {}, absent: ['not-echo'] },
  { name: 'cloud probes are off by default', argv: ['echo'], fires: {}, absent: ['cloud'] },
  { name: 'env K=V wrapper adds env for predicates', argv: ['env', 'SHIP_TOKEN=1', 'ship'], fires: { both: 'env:all_of:match' } },
];

function workdir(files: string[] = []): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-detect-'));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), '');
  }
  return dir;
}

async function check(catalog: CompiledCatalog, c: Case): Promise<void> {
  const result = await planInvocation({ argv: c.argv, env: c.env ?? {}, cwd: workdir(c.files) }, catalog);
  const fired = Object.fromEntries(result.plan.fire.map((f) => [f.attestor, f.matched_rule]));
  for (const [name, rule] of Object.entries(c.fires)) expect(fired[name], `${name} should fire`).toBe(rule);
  for (const name of c.absent ?? []) expect(fired[name], `${name} should not fire`).toBeUndefined();
}

describe('predicate semantics (synthetic catalog)', () => {
  it.each(syntheticCases)('$name', (c) => check(synthetic, c));

  it('records env keys it read, never values', async () => {
    const result = await planInvocation({ argv: ['echo'], env: { SOME_CI: 'secret-value', RUNNER: 'x' }, cwd: workdir() }, synthetic);
    expect(result.plan.inputs.env_keys_observed).toEqual(['RUNNER', 'SOME_CI']) // all_of stops at its first miss, so SHIP_TOKEN is never read;
    expect(JSON.stringify(result)).not.toContain('secret-value');
  });

  it('never returns null arrays', async () => {
    const result = await planInvocation({ argv: ['nothing-matches'], env: {}, cwd: workdir() }, synthetic);
    expect(result.plan.fire).toEqual([]);
    expect(result.plan.warnings).toEqual([]);
    expect(Array.isArray(result.plan.skip)).toBe(true);
  });
});

const SNAPSHOT = "kubectl get all,networkpolicies,roles,rolebindings,serviceaccounts -A -o yaml > cluster-snapshot.yaml && kubescape scan framework nsa --format sarif --output kubescape-cluster.sarif cluster-snapshot.yaml";

const wrapperCases: Case[] = [
  { name: 'kubescape direct', argv: ['kubescape', 'scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'kubescape.sarif', 'manifests/'], fires: { kubescape: 'argv_prefix:kubescape' } },
  { name: 'kubescape by path', argv: ['./bin/kubescape', 'scan'], fires: { kubescape: 'argv_prefix:kubescape' } },
  { name: 'sh -c snapshot recipe (second command)', argv: ['sh', '-c', SNAPSHOT], fires: { kubescape: 'sh -c[2]:argv_prefix:kubescape' } },
  { name: 'bash -ec with pipes', argv: ['bash', '-ec', 'cat x | kubescape scan framework nsa -'], fires: { kubescape: 'bash -c[2]:argv_prefix:kubescape' } },
  { name: 'bash -o pipefail -c with ||', argv: ['bash', '-o', 'pipefail', '-c', 'false || kubescape scan x'], fires: { kubescape: 'bash -c[2]:argv_prefix:kubescape' } },
  { name: 'sh -c with ; and redirections', argv: ['sh', '-c', 'echo start; kubescape scan . 2>&1 > log.txt'], fires: { kubescape: 'sh -c[2]:argv_prefix:kubescape' } },
  { name: 'sh -c with a prefix assignment', argv: ['sh', '-c', 'KS_SKIP_UPDATE_CHECK=true kubescape scan .'], fires: { kubescape: 'sh -c[1]:argv_prefix:kubescape' } },
  { name: 'env K=V', argv: ['env', 'KS_SKIP_UPDATE_CHECK=true', 'kubescape', 'scan'], fires: { kubescape: 'env:argv_prefix:kubescape' } },
  { name: 'env -i', argv: ['env', '-i', 'kubescape', 'scan'], fires: { kubescape: 'env:argv_prefix:kubescape' } },
  { name: 'sudo -u', argv: ['sudo', '-u', 'ci', 'kubescape', 'scan'], fires: { kubescape: 'sudo:argv_prefix:kubescape' } },
  { name: 'time -p', argv: ['time', '-p', 'kubescape', 'scan'], fires: { kubescape: 'time:argv_prefix:kubescape' } },
  { name: 'nice -n', argv: ['nice', '-n', '10', 'kubescape', 'scan'], fires: { kubescape: 'nice:argv_prefix:kubescape' } },
  { name: 'timeout with duration', argv: ['timeout', '-s', 'KILL', '5m', 'kubescape', 'scan'], fires: { kubescape: 'timeout:argv_prefix:kubescape' } },
  { name: 'xargs', argv: ['xargs', '-n', '1', 'kubescape', 'scan', 'framework', 'nsa'], fires: { kubescape: 'xargs:argv_prefix:kubescape' } },
  { name: 'npx with version', argv: ['npx', '-y', 'kubescape@4', 'scan'], fires: { kubescape: 'npx:argv_prefix:kubescape' } },
  { name: 'npm exec --', argv: ['npm', 'exec', '--', 'kubescape', 'scan'], fires: { kubescape: 'npm exec:argv_prefix:kubescape' } },
  { name: 'nested: sudo sh -c', argv: ['sudo', 'sh', '-c', 'cd x && kubescape scan .'], fires: { kubescape: 'sudo:sh -c[2]:argv_prefix:kubescape' } },
  { name: 'nested: timeout env', argv: ['timeout', '60', 'env', 'A=1', 'kubescape'], fires: { kubescape: 'timeout:env:argv_prefix:kubescape' } },
  { name: 'negative: kubescape only as an argument', argv: ['echo', 'kubescape'], fires: {}, absent: ['kubescape'] },
  { name: 'negative: quoted word inside sh -c', argv: ['sh', '-c', 'echo "kubescape scan"'], fires: {}, absent: ['kubescape'] },
  { name: 'negative: sh running a script file', argv: ['sh', 'kubescape.sh'], fires: {}, absent: ['kubescape'] },
  { name: 'negative: kubectl alone', argv: ['kubectl', 'get', 'pods'], fires: {}, absent: ['kubescape'] },
];

describe('wrapper unwrapping and the real catalog', () => {
  let catalog: CompiledCatalog;
  beforeAll(() => {
    catalog = compileCatalog(loadCatalog(repoRoot));
  });

  it.each(wrapperCases)('$name', (c) => check(catalog, c));

  it('git fires in a checkout through file_exists', async () => {
    await check(catalog, { name: 'git', argv: ['true'], files: ['.git/HEAD'], fires: { git: 'file_exists:.git/HEAD' } });
  });

  it('keeps every match and evaluates in name order', async () => {
    const result = await planInvocation({ argv: ['kubescape', 'scan', '.'], env: {}, cwd: workdir(['.git/HEAD']) }, catalog);
    expect(result.summary.fired).toEqual(['git', 'kubescape']);
    expect(result.plan.fire.map((f) => f.attestor)).toEqual(['git', 'kubescape']);
  });

  it('suggests a run line whose -a names only attestors run accepts (kubescape → sarif)', async () => {
    const result = await planInvocation({ argv: ['kubescape', 'scan', 'framework', 'nsa', 'm/'], env: {}, cwd: workdir() }, catalog);
    expect(result.suggested_run.attestations).toEqual(['sarif']);
    expect(result.suggested_run.command).toBe('cilock run -s compliance-scan --signer-file-key-path <key.pem> -a sarif -- kubescape scan framework nsa m/');
  });

  it('warns when SARIF is asked of a live cluster, suggesting the snapshot recipe', async () => {
    const result = await planInvocation({ argv: ['kubescape', 'scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'k.sarif'], env: {}, cwd: workdir() }, catalog);
    expect(result.plan.warnings.map((w) => w.code)).toEqual(['KUBESCAPE_SARIF_NEEDS_LOCAL_INPUT']);
    expect(result.plan.warnings[0]!.suggested_command).toBe(
      "sh -c 'kubectl get all,networkpolicies,roles,rolebindings,serviceaccounts -A -o yaml > cluster-snapshot.yaml && kubescape scan framework nsa --format sarif --output k.sarif cluster-snapshot.yaml'",
    );
  });

  it('warns when --output lacks .sarif, suggesting the renamed output', async () => {
    const result = await planInvocation({ argv: ['kubescape', 'scan', 'framework', 'nsa', 'm/', '--format', 'sarif', '-o', 'report'], env: {}, cwd: workdir() }, catalog);
    expect(result.plan.warnings.map((w) => w.code)).toEqual(['KUBESCAPE_SARIF_OUTPUT_RENAMED']);
    expect(result.plan.warnings[0]!.suggested_command).toBe('kubescape scan framework nsa m/ --format sarif -o report.sarif');
  });

  it('raises no warning for the documented invocations', async () => {
    for (const argv of [
      ['kubescape', 'scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'kubescape.sarif', 'manifests/'],
      ['sh', '-c', SNAPSHOT],
    ]) {
      const result = await planInvocation({ argv, env: {}, cwd: workdir() }, catalog);
      expect(result.plan.warnings).toEqual([]);
    }
  });
});
