// Keeps the recorded cluster coherent: every state file matches discovery, owners exist,
// and the security posture the scans rely on (hardened and unhardened workloads) stays there.
import { describe, expect, it } from 'vitest';
import { findResource } from '../../cluster/discovery.js';
import { loadState, splitGroupVersion, type KubeObject } from '../../cluster/state.js';

const state = loadState();

function list(key: string): KubeObject[] {
  const found = state.objects.get(key);
  if (!found) throw new Error(`no state file ${key}.json`);
  return found.items;
}

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function podSpecOf(key: string, namespace: string, name: string): Spec {
  const obj = list(key).find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
  if (!obj) throw new Error(`${key} ${namespace}/${name} not recorded`);
  const spec = obj.spec as Spec;
  return key === 'pods' ? spec : spec.template.spec;
}

describe('recorded state', () => {
  it('holds one List per resource, each matching a resource served by discovery', () => {
    expect(state.objects.size).toBeGreaterThanOrEqual(14);
    for (const [key, doc] of state.objects) {
      const dot = key.indexOf('.');
      const resource = dot === -1 ? key : key.slice(0, dot);
      const group = dot === -1 ? '' : key.slice(dot + 1);
      expect(splitGroupVersion(doc.apiVersion).group, key).toBe(group);
      const entry = findResource(state, doc.apiVersion, resource);
      expect(entry, `${key} is not in discovery for ${doc.apiVersion}`).toBeDefined();
      expect(doc.kind).toBe(`${entry!.kind}List`);
      expect(doc.metadata.resourceVersion).toMatch(/^\d+$/);
      for (const item of doc.items) {
        expect(item.metadata.namespace !== undefined, `${key} ${item.metadata.name} namespace`).toBe(entry!.namespaced);
        expect(item.kind, 'list items carry no kind, as kube-apiserver sends them').toBeUndefined();
        expect(item.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(item.metadata.resourceVersion).toMatch(/^\d+$/);
        expect(Number(item.metadata.resourceVersion)).toBeLessThanOrEqual(Number(doc.metadata.resourceVersion));
        expect(String(item.metadata.creationTimestamp)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      }
    }
  });

  it('gives every object a unique uid and places namespaced objects in recorded namespaces', () => {
    const namespaces = new Set(list('namespaces').map((n) => n.metadata.name));
    expect([...namespaces].sort()).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system', 'shop']);
    const uids = new Set<string>();
    for (const doc of state.objects.values()) {
      for (const item of doc.items) {
        const uid = String(item.metadata.uid);
        expect(uids.has(uid), `duplicate uid ${uid}`).toBe(false);
        uids.add(uid);
        if (item.metadata.namespace) expect(namespaces.has(item.metadata.namespace)).toBe(true);
      }
    }
  });

  it('points every ownerReference at a recorded object of that kind, name and uid', () => {
    const byUid = new Map<string, { kind: string; name: string; namespace?: string }>();
    for (const doc of state.objects.values()) {
      for (const item of doc.items) {
        byUid.set(String(item.metadata.uid), { kind: doc.kind.replace(/List$/, ''), name: item.metadata.name, namespace: item.metadata.namespace });
      }
    }
    let owned = 0;
    for (const doc of state.objects.values()) {
      for (const item of doc.items) {
        const refs = (item.metadata.ownerReferences ?? []) as { kind: string; name: string; uid: string }[];
        for (const ref of refs) {
          owned += 1;
          const owner = byUid.get(ref.uid);
          expect(owner, `${item.metadata.name} owner ${ref.kind}/${ref.name}`).toEqual({ kind: ref.kind, name: ref.name, namespace: item.metadata.namespace });
        }
      }
    }
    expect(owned).toBeGreaterThan(10);
  });

  it('runs every pod as a ServiceAccount that exists in its namespace', () => {
    const accounts = new Set(list('serviceaccounts').map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'shop']) {
      expect(accounts.has(`${ns}/default`), `default ServiceAccount in ${ns}`).toBe(true);
    }
    for (const pod of list('pods')) {
      const spec = pod.spec as Spec;
      expect(accounts.has(`${pod.metadata.namespace}/${spec.serviceAccountName}`), pod.metadata.name).toBe(true);
    }
  });

  it('binds Roles that exist in the same namespace', () => {
    const roles = new Set(list('roles.rbac.authorization.k8s.io').map((r) => `${r.metadata.namespace}/${r.metadata.name}`));
    for (const binding of list('rolebindings.rbac.authorization.k8s.io')) {
      const ref = binding.roleRef as { kind: string; name: string };
      expect(ref.kind).toBe('Role');
      expect(roles.has(`${binding.metadata.namespace}/${ref.name}`), binding.metadata.name).toBe(true);
    }
  });

  it('resembles a small EKS cluster: system add-ons, the kubernetes and kube-dns Services, an app namespace', () => {
    const names = (key: string) => list(key).map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(names('daemonsets.apps')).toEqual(['kube-system/aws-node', 'kube-system/kube-proxy']);
    expect(names('deployments.apps')).toEqual(['kube-system/coredns', 'kube-system/metrics-server', 'shop/frontend']);
    expect(names('statefulsets.apps')).toEqual(['shop/redis']);
    expect(names('services')).toEqual(expect.arrayContaining(['default/kubernetes', 'kube-system/kube-dns', 'shop/frontend']));
    expect(names('networkpolicies.networking.k8s.io')).toContain('shop/redis-allow-frontend');
    expect(list('pods').filter((p) => (p.status as Spec).phase === 'Running')).toHaveLength(10);
  });

  it('keeps a variety of security postures for the scanner to find', () => {
    const kubeProxy = podSpecOf('daemonsets.apps', 'kube-system', 'kube-proxy');
    expect(kubeProxy.hostNetwork).toBe(true);
    expect(kubeProxy.containers[0].securityContext.privileged).toBe(true);

    const coredns = podSpecOf('deployments.apps', 'kube-system', 'coredns');
    expect(coredns.containers[0].securityContext).toMatchObject({
      capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
    });
    expect(coredns.containers[0].resources.limits.memory).toBe('170Mi');

    const frontend = podSpecOf('deployments.apps', 'shop', 'frontend');
    expect(frontend.containers[0].resources).toEqual({});
    expect(frontend.containers[0].securityContext).toBeUndefined();

    const metricsServer = podSpecOf('deployments.apps', 'kube-system', 'metrics-server');
    expect(metricsServer.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });

    const awsNodeInit = podSpecOf('daemonsets.apps', 'kube-system', 'aws-node').initContainers[0];
    expect(awsNodeInit.securityContext.privileged).toBe(true);

    const ciDeployer = list('roles.rbac.authorization.k8s.io').find((r) => r.metadata.name === 'ci-deployer')!;
    expect(ciDeployer.rules).toEqual([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
  });

  it('marks in discovery the resources that real Kubernetes puts in the "all" category', () => {
    const all: string[] = [];
    for (const [gv, doc] of state.resourceLists) {
      for (const r of doc.resources) if (r.categories?.includes('all')) all.push(`${r.name} ${gv}`);
    }
    expect(all.sort()).toEqual([
      'cronjobs batch/v1',
      'daemonsets apps/v1',
      'deployments apps/v1',
      'horizontalpodautoscalers autoscaling/v1',
      'horizontalpodautoscalers autoscaling/v2',
      'jobs batch/v1',
      'pods v1',
      'replicasets apps/v1',
      'replicationcontrollers v1',
      'services v1',
      'statefulsets apps/v1',
    ]);
  });
});
