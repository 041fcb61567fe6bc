// The recorded cluster over HTTP, without kubectl.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startRecordedCluster, type RecordedCluster } from '../../cluster/server.js';

let cluster: RecordedCluster;
const lines: string[] = [];

beforeAll(async () => {
  cluster = await startRecordedCluster({ log: (line) => lines.push(line) });
});
afterAll(async () => {
  await cluster?.close();
});

async function get(path: string, accept = 'application/json'): Promise<{ code: number; type: string; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(cluster.url + path, { headers: { accept } });
  return { code: res.status, type: res.headers.get('content-type') ?? '', body: await res.json() };
}

describe('recorded cluster server', () => {
  it('listens on 127.0.0.1 and writes a kubeconfig whose current context points at it', () => {
    expect(cluster.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const config = parse(readFileSync(cluster.kubeconfigPath, 'utf8'));
    const context = config.contexts.find((c: { name: string }) => c.name === config['current-context']).context;
    const server = config.clusters.find((c: { name: string }) => c.name === context.cluster).cluster.server;
    expect(server).toBe(cluster.url);
    expect(context.namespace).toBe('default');
    expect(config.users[0].user.token).toBeTruthy();
  });

  it('serves /version like an EKS control plane', async () => {
    const { code, body } = await get('/version');
    expect(code).toBe(200);
    expect(body).toMatchObject({ major: '1', minor: '30+', gitVersion: expect.stringMatching(/^v1\.30\.\d+-eks-/) });
  });

  it('serves legacy discovery to plain JSON clients', async () => {
    const api = await get('/api');
    expect(api.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const apis = await get('/apis');
    expect(apis.type).toBe('application/json');
    expect(apis.body.kind).toBe('APIGroupList');
    expect(apis.body.groups.map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(['apps', 'batch', 'rbac.authorization.k8s.io']));
    const apps = await get('/apis/apps/v1');
    expect(apps.body.groupVersion).toBe('apps/v1');
    const group = await get('/apis/apps');
    expect(group.body).toMatchObject({ kind: 'APIGroup', name: 'apps', preferredVersion: { version: 'v1' } });
  });

  it('serves aggregated discovery when the Accept header asks for it', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const { code, type, body } = await get('/apis', accept);
    expect(code).toBe(200);
    expect(type).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(body.kind).toBe('APIGroupDiscoveryList');
  });

  it('can turn aggregated discovery off so clients fall back to the legacy documents', async () => {
    const legacy = await startRecordedCluster({ aggregatedDiscovery: false });
    try {
      const res = await fetch(`${legacy.url}/api`, { headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } });
      expect(res.headers.get('content-type')).toBe('application/json');
      expect((await res.json()).kind).toBe('APIVersions');
    } finally {
      await legacy.close();
    }
  });

  it('lists a resource across all namespaces, items without kind as kube-apiserver sends them', async () => {
    const { code, body } = await get('/apis/apps/v1/deployments?limit=500');
    expect(code).toBe(200);
    expect(body.kind).toBe('DeploymentList');
    expect(body.apiVersion).toBe('apps/v1');
    expect(body.metadata.continue).toBeUndefined();
    expect(body.items.map((d: any) => `${d.metadata.namespace}/${d.metadata.name}`)) // eslint-disable-line @typescript-eslint/no-explicit-any
      .toEqual(['kube-system/coredns', 'kube-system/metrics-server', 'shop/frontend']);
    expect(body.items[0].kind).toBeUndefined();
  });

  it('pages with limit and an opaque continue token until every item is seen once', async () => {
    const all = (await get('/api/v1/pods')).body.items.map((p: any) => p.metadata.name); // eslint-disable-line @typescript-eslint/no-explicit-any
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const query = `limit=4${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
      const { code, body } = await get(`/api/v1/pods?${query}`);
      expect(code).toBe(200);
      seen.push(...body.items.map((p: any) => p.metadata.name)); // eslint-disable-line @typescript-eslint/no-explicit-any
      token = body.metadata.continue;
      if (token) expect(body.metadata.remainingItemCount).toBe(all.length - seen.length);
      pages += 1;
    } while (token && pages < 10);
    expect(pages).toBe(Math.ceil(all.length / 4));
    expect(seen).toEqual(all);
  });

  it('answers a bad continue token with a 400 Status', async () => {
    const { code, body } = await get('/api/v1/pods?limit=2&continue=garbage');
    expect(code).toBe(400);
    expect(body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest' });
  });

  it('lists one namespace, filters by label and field selectors, and gets one object with kind and apiVersion', async () => {
    const shop = await get('/api/v1/namespaces/shop/pods');
    expect(shop.body.items.every((p: any) => p.metadata.namespace === 'shop')).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any
    const frontend = await get('/api/v1/pods?labelSelector=app.kubernetes.io%2Fname%3Dfrontend');
    expect(frontend.body.items).toHaveLength(2);
    const notShop = await get('/api/v1/pods?fieldSelector=metadata.namespace!%3Dshop');
    expect(notShop.body.items.every((p: any) => p.metadata.namespace === 'kube-system')).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any
    const redis = await get('/apis/apps/v1/namespaces/shop/statefulsets/redis');
    expect(redis.code).toBe(200);
    expect(redis.body).toMatchObject({ kind: 'StatefulSet', apiVersion: 'apps/v1', metadata: { name: 'redis', namespace: 'shop' } });
  });

  it('answers protobuf Accept headers with JSON', async () => {
    const { code, type, body } = await get('/api/v1/services', 'application/vnd.kubernetes.protobuf,application/json');
    expect(code).toBe(200);
    expect(type).toBe('application/json');
    expect(body.kind).toBe('ServiceList');
  });

  it('answers an unknown resource type with 404 and a Kubernetes Status body', async () => {
    const { code, body } = await get('/api/v1/foobars');
    expect(code).toBe(404);
    expect(body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404,
    });
    expect((await get('/apis/example.com/v1')).code).toBe(404);
    expect((await get('/healthz')).code).toBe(404);
  });

  it('answers a missing object the way kube-apiserver words it', async () => {
    const { code, body } = await get('/apis/apps/v1/namespaces/shop/deployments/nope');
    expect(code).toBe(404);
    expect(body.message).toBe('deployments.apps "nope" not found');
    expect(body.details).toEqual({ name: 'nope', group: 'apps', kind: 'deployments' });
  });

  it('answers resources with nothing recorded with an empty list of the right kind', async () => {
    const { code, body } = await get('/api/v1/configmaps');
    expect(code).toBe(200);
    expect(body).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1', items: [] });
  });

  it('is read-only', async () => {
    const res = await fetch(`${cluster.url}/api/v1/namespaces/shop/pods`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
    expect((await res.json()).reason).toBe('MethodNotAllowed');
    expect((await get('/api/v1/pods?watch=true')).code).toBe(400);
  });

  it('records every request and logs it with its status code', async () => {
    await get('/api/v1/serviceaccounts?limit=500');
    expect(cluster.requests).toContain('GET /api/v1/serviceaccounts?limit=500');
    expect(lines.some((l) => l.startsWith('GET /api/v1/serviceaccounts?limit=500 200'))).toBe(true);
  });

  it('removes its kubeconfig when closed', async () => {
    const other = await startRecordedCluster();
    expect(existsSync(other.kubeconfigPath)).toBe(true);
    await other.close();
    expect(existsSync(other.kubeconfigPath)).toBe(false);
    await expect(fetch(`${other.url}/version`)).rejects.toThrow();
  });
});
