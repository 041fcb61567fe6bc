// The real kubectl against the recorded cluster: the documented snapshot command, paging,
// both discovery formats, and kubectl's own errors.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SNAPSHOT_ARGS, SNAPSHOT_COMMAND, snapshotCluster } from '../../cluster/kubectl.js';
import { startRecordedCluster, type RecordedCluster, type RecordedClusterOptions } from '../../cluster/server.js';
import { loadState } from '../../cluster/state.js';
import { optedOut, requireTool } from '../../lib/system.js';

/** The real kubectl ($KUBECTL or PATH); a missing one fails the test, saying how to get it. */
const needKubectl = () => requireTool('kubectl');

/** The resources `get all,networkpolicies,roles,rolebindings,serviceaccounts` covers, by state file. */
const SNAPSHOT_STATE = [
  'pods', 'replicationcontrollers', 'services', 'daemonsets.apps', 'deployments.apps', 'replicasets.apps',
  'statefulsets.apps', 'horizontalpodautoscalers.autoscaling', 'cronjobs.batch', 'jobs.batch',
  'networkpolicies.networking.k8s.io', 'roles.rbac.authorization.k8s.io', 'rolebindings.rbac.authorization.k8s.io',
  'serviceaccounts',
];

function expectedIdentities(): string[] {
  const state = loadState();
  const ids: string[] = [];
  for (const key of SNAPSHOT_STATE) {
    const list = state.objects.get(key);
    if (!list) continue;
    const kind = list.kind.replace(/List$/, '');
    for (const item of list.items) ids.push(`${kind} ${item.metadata.namespace}/${item.metadata.name}`);
  }
  return ids.sort();
}

interface Snapshot {
  apiVersion: string;
  kind: string;
  items: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }[];
}

function identities(snapshot: Snapshot): string[] {
  return snapshot.items.map((i) => `${i.kind} ${i.metadata.namespace}/${i.metadata.name}`).sort();
}

let work: string;
let home: string;
let binDir: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'recorded-cluster-kubectl-'));
  // kubectl caches discovery under $HOME/.kube/cache: one fresh home for the whole file.
  home = join(work, 'home');
  binDir = join(work, 'bin');
  mkdirSync(home);
  mkdirSync(binDir);
  if (!optedOut('cluster')) symlinkSync(needKubectl(), join(binDir, 'kubectl'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function withCluster<T>(opts: RecordedClusterOptions, fn: (cluster: RecordedCluster) => Promise<T>): Promise<T> {
  const cluster = await startRecordedCluster(opts);
  try {
    return await fn(cluster);
  } finally {
    await cluster.close();
  }
}

async function runKubectl(binary: string, cluster: RecordedCluster, args: string[]) {
  return execa(binary, ['--kubeconfig', cluster.kubeconfigPath, ...args], {
    env: { HOME: home },
    reject: false,
    timeout: 60_000,
  });
}

describe.skipIf(optedOut('cluster'))('real kubectl against the recorded cluster', () => {
  it('runs the documented snapshot command verbatim with KUBECONFIG set', async () => {
    needKubectl();
    await withCluster({}, async (cluster) => {
      const cwd = mkdtempSync(join(work, 'verbatim-'));
      const result = await execa('sh', ['-c', `${SNAPSHOT_COMMAND} > cluster-snapshot.yaml`], {
        cwd,
        env: { KUBECONFIG: cluster.kubeconfigPath, HOME: home, PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}` },
        reject: false,
        timeout: 60_000,
      });
      expect(result.exitCode, result.stderr).toBe(0);
      const snapshot = parse(readFileSync(join(cwd, 'cluster-snapshot.yaml'), 'utf8')) as Snapshot;
      expect(snapshot.kind).toBe('List');
      expect(snapshot.apiVersion).toBe('v1');
      expect(identities(snapshot)).toEqual(expectedIdentities());
      expect(identities(snapshot)).toEqual(expect.arrayContaining([
        'Pod shop/redis-0',
        'DaemonSet kube-system/kube-proxy',
        'DaemonSet kube-system/aws-node',
        'Deployment kube-system/coredns',
        'Deployment kube-system/metrics-server',
        'Deployment shop/frontend',
        'StatefulSet shop/redis',
        'CronJob shop/cart-cleanup',
        'HorizontalPodAutoscaler shop/frontend',
        'Service default/kubernetes',
        'Service kube-system/kube-dns',
        'NetworkPolicy shop/redis-allow-frontend',
        'Role shop/ci-deployer',
        'RoleBinding kube-system/metrics-server-auth-reader',
        'ServiceAccount default/default',
        'ServiceAccount shop/default',
      ]));
      // kubectl fills in kind and apiVersion of each item from the list it read.
      const kubeProxy = snapshot.items.find((i) => i.kind === 'DaemonSet' && i.metadata.name === 'kube-proxy');
      expect(kubeProxy?.apiVersion).toBe('apps/v1');
      expect(cluster.requests).toEqual(expect.arrayContaining([
        'GET /api/v1/pods?limit=500',
        'GET /apis/apps/v1/deployments?limit=500',
        'GET /apis/networking.k8s.io/v1/networkpolicies?limit=500',
        'GET /apis/rbac.authorization.k8s.io/v1/rolebindings?limit=500',
        'GET /api/v1/serviceaccounts?limit=500',
      ]));
    });
  });

  it('gives the same snapshot with --kubeconfig', async () => {
    const binary = needKubectl();
    await withCluster({}, async (cluster) => {
      const result = await runKubectl(binary, cluster, SNAPSHOT_ARGS);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(identities(parse(result.stdout) as Snapshot)).toEqual(expectedIdentities());
    });
  });

  it('follows continue tokens when the server returns small pages', async () => {
    const binary = needKubectl();
    await withCluster({ maxPageSize: 2 }, async (cluster) => {
      const result = await runKubectl(binary, cluster, SNAPSHOT_ARGS);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(identities(parse(result.stdout) as Snapshot)).toEqual(expectedIdentities());
      const podPages = cluster.requests.filter((r) => r.startsWith('GET /api/v1/pods?'));
      const pods = loadState().objects.get('pods')!.items.length;
      expect(podPages).toHaveLength(Math.ceil(pods / 2));
      expect(podPages.slice(1).every((r) => r.includes('continue='))).toBe(true);
    });
  });

  it('pages with the limit kubectl sends (--chunk-size)', async () => {
    const binary = needKubectl();
    await withCluster({}, async (cluster) => {
      const result = await runKubectl(binary, cluster, [...SNAPSHOT_ARGS, '--chunk-size=3']);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(identities(parse(result.stdout) as Snapshot)).toEqual(expectedIdentities());
      expect(cluster.requests).toContain('GET /api/v1/pods?limit=3');
      expect(cluster.requests.filter((r) => r.startsWith('GET /api/v1/pods?continue=')).length).toBeGreaterThanOrEqual(3);
    });
  });

  it('works from the legacy discovery documents when aggregated discovery is off', async () => {
    const binary = needKubectl();
    await withCluster({ aggregatedDiscovery: false }, async (cluster) => {
      const result = await runKubectl(binary, cluster, SNAPSHOT_ARGS);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(identities(parse(result.stdout) as Snapshot)).toEqual(expectedIdentities());
      expect(cluster.requests.some((r) => r.startsWith('GET /apis/apps/v1?'))).toBe(true);
    });
  });

  it('lets kubectl report an unknown resource type itself, with a non-zero exit', async () => {
    const binary = needKubectl();
    await withCluster({}, async (cluster) => {
      const result = await runKubectl(binary, cluster, ['get', 'foobars', '-A', '-o', 'yaml']);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain('the server doesn\'t have a resource type "foobars"');
    });
  });

  it('passes the server\'s NotFound Status through to kubectl\'s error', async () => {
    const binary = needKubectl();
    await withCluster({}, async (cluster) => {
      const result = await runKubectl(binary, cluster, ['get', 'deployment', 'nope', '-n', 'shop', '-o', 'yaml']);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain('Error from server (NotFound): deployments.apps "nope" not found');
    });
  });

  it('snapshotCluster writes the snapshot file with the real kubectl', async () => {
    const binary = needKubectl();
    const dir = mkdtempSync(join(work, 'snapshot-'));
    const path = await snapshotCluster(dir, { kubectl: binary });
    expect(path).toBe(join(dir, 'cluster-snapshot.yaml'));
    expect(identities(parse(readFileSync(path, 'utf8')) as Snapshot)).toEqual(expectedIdentities());
  });
});
