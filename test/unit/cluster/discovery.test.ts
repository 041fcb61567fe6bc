import { describe, expect, it } from 'vitest';
import { acceptsAggregated, aggregatedApi, aggregatedApis } from '../../cluster/discovery.js';
import { parseApiPath } from '../../cluster/paths.js';
import { loadState } from '../../cluster/state.js';

const state = loadState();

const KUBECTL_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,'
  + 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('aggregated discovery negotiation', () => {
  it('picks v2 from the Accept header kubectl sends', () => {
    expect(acceptsAggregated(KUBECTL_ACCEPT)).toBe('v2');
  });

  it('falls back to v2beta1 when only that is offered', () => {
    expect(acceptsAggregated('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList')).toBe('v2beta1');
  });

  it('answers legacy discovery for plain JSON and protobuf clients', () => {
    expect(acceptsAggregated('application/json, */*')).toBeUndefined();
    expect(acceptsAggregated('application/vnd.kubernetes.protobuf, */*')).toBeUndefined();
    expect(acceptsAggregated(undefined)).toBeUndefined();
  });
});

describe('aggregated discovery documents', () => {
  it('lists the core group with pods in the "all" category and their subresources nested', () => {
    const doc = aggregatedApi(state, 'v2');
    expect(doc.kind).toBe('APIGroupDiscoveryList');
    expect(doc.apiVersion).toBe('apidiscovery.k8s.io/v2');
    const v1 = doc.items[0]!.versions[0]!;
    expect(v1.version).toBe('v1');
    const pods = v1.resources.find((r) => r.resource === 'pods')!;
    expect(pods).toMatchObject({
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      shortNames: ['po'],
      categories: ['all'],
    });
    expect(pods.subresources?.map((s) => s.subresource)).toContain('log');
    const eviction = pods.subresources?.find((s) => s.subresource === 'eviction');
    expect(eviction?.responseKind).toEqual({ group: 'policy', version: 'v1', kind: 'Eviction' });
    expect(v1.resources.some((r) => r.resource.includes('/'))).toBe(false);
  });

  it('puts each group\'s preferred version first', () => {
    const doc = aggregatedApis(state, 'v2');
    const autoscaling = doc.items.find((g) => g.metadata.name === 'autoscaling')!;
    expect(autoscaling.versions.map((v) => v.version)).toEqual(['v2', 'v1']);
    const apps = doc.items.find((g) => g.metadata.name === 'apps')!;
    const deployments = apps.versions[0]!.resources.find((r) => r.resource === 'deployments')!;
    expect(deployments.categories).toEqual(['all']);
    expect(deployments.subresources?.find((s) => s.subresource === 'scale')?.responseKind)
      .toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });

  it('covers every group listed by the legacy /apis document', () => {
    const names = aggregatedApis(state, 'v2').items.map((g) => g.metadata.name);
    expect(names).toEqual(state.apis.groups.map((g) => g.name));
  });
});

describe('API paths', () => {
  it('parses discovery, list, namespaced and named paths', () => {
    expect(parseApiPath('/version')).toEqual({ type: 'version' });
    expect(parseApiPath('/api')).toEqual({ type: 'api' });
    expect(parseApiPath('/apis')).toEqual({ type: 'apis' });
    expect(parseApiPath('/apis/apps')).toEqual({ type: 'group', group: 'apps' });
    expect(parseApiPath('/api/v1')).toEqual({ type: 'resourceList', groupVersion: 'v1' });
    expect(parseApiPath('/apis/apps/v1')).toEqual({ type: 'resourceList', groupVersion: 'apps/v1' });
    expect(parseApiPath('/api/v1/pods')).toMatchObject({ type: 'resource', group: '', version: 'v1', resource: 'pods' });
    expect(parseApiPath('/apis/apps/v1/namespaces/shop/deployments/frontend')).toMatchObject({
      group: 'apps', version: 'v1', namespace: 'shop', resource: 'deployments', name: 'frontend',
    });
    expect(parseApiPath('/api/v1/namespaces')).toMatchObject({ resource: 'namespaces', name: undefined });
    expect(parseApiPath('/api/v1/namespaces/shop')).toEqual({
      type: 'resource', group: '', version: 'v1', resource: 'namespaces', name: 'shop', subresource: undefined,
    });
    expect(parseApiPath('/api/v1/namespaces/shop/pods/redis-0/log')).toMatchObject({ subresource: 'log' });
    expect(parseApiPath('/healthz')).toBeUndefined();
    expect(parseApiPath('/api/v1/namespaces/shop/pods/redis-0/log/extra')).toBeUndefined();
  });
});
