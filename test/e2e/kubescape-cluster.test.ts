/**
 * The Kubescape cluster flow beyond the documented examples: what `cilock plan` says about the
 * snapshot recipe, and the negative case — SARIF asked of the live cluster fails the way real
 * Kubescape does, and plan warns before you run it, suggesting the snapshot recipe.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordedCluster, type RecordedCluster } from '../cluster/server.js';
import { catalogExamples } from './lib/catalog.js';
import { makeWorkspace } from './lib/workspace.js';

function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

const LIVE = ['kubescape', 'scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'kubescape.sarif'];
const RECIPE = "sh -c 'kubectl get all,networkpolicies,roles,rolebindings,serviceaccounts -A -o yaml > cluster-snapshot.yaml && kubescape scan framework nsa --format sarif --output kubescape.sarif cluster-snapshot.yaml'";

describe('kubescape against a live cluster', () => {
  let cluster: RecordedCluster;
  beforeAll(async () => {
    cluster = await startRecordedCluster();
  });
  afterAll(() => cluster.close());

  it('plan sees kubescape inside the documented snapshot recipe', async () => {
    const example = catalogExamples('kubescape')[0]!.examples.find((e) => e.id === 'cluster-snapshot')!;
    const ws = makeWorkspace('kubescape', undefined);
    const r = await run(['cilock', 'plan', '--format=json', '--', ...example.expect.cmd], ws.dir, ws.env);
    const plan = JSON.parse(r.stdout);
    expect(plan.plan.fire.find((f: { attestor: string }) => f.attestor === 'kubescape').matched_rule).toBe('sh -c[2]:argv_prefix:kubescape');
    expect(plan.plan.warnings).toEqual([]);
  });

  it('plan warns KUBESCAPE_SARIF_NEEDS_LOCAL_INPUT and suggests the snapshot recipe', async () => {
    const ws = makeWorkspace('kubescape', undefined);
    const r = await run(['cilock', 'plan', '--format=json', '--', ...LIVE], ws.dir, ws.env);
    const warning = JSON.parse(r.stdout).plan.warnings[0];
    expect(warning.code).toBe('KUBESCAPE_SARIF_NEEDS_LOCAL_INPUT');
    expect(warning.suggested_command).toBe(RECIPE);
    const text = await run(['cilock', 'plan', '--', ...LIVE], ws.dir, ws.env);
    expect(text.stdout).toContain(`suggested: ${RECIPE}`);
  });

  it('cilock run fails the way Kubescape does, and still signs the exit code', async () => {
    const ws = makeWorkspace('kubescape', undefined, { KUBECONFIG: cluster.kubeconfigPath });
    const r = await run(['cilock', 'run', '--step', 'kubescape-live', '--signer-file-key-path', '_validation/key.pem', '--outfile', 'attestation.json', '--attestations', 'environment,git', '--', ...LIVE], ws.dir, ws.env);
    expect(r.status).toBe(1);
    // The real Kubescape logs JSON lines, where the message's quotes are escaped.
    expect(r.stderr.replace(/\\"/g, '"')).toContain('format "sarif" is only supported when scanning local files');
    const envelope = JSON.parse(readFileSync(path.join(ws.dir, 'attestation.json'), 'utf8'));
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    const commandRun = statement.predicate.attestations.find((a: { type: string }) => a.type.endsWith('/command-run/v0.1'));
    expect(commandRun.attestation.exitcode).toBe(1);
    expect(commandRun.attestation.cmd).toEqual(LIVE);
  });
});
