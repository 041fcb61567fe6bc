// API discovery: the recorded legacy documents (/api, /apis, /api/v1, /apis/<group>/<version>)
// and the aggregated form (apidiscovery.k8s.io v2, kubectl 1.26+) derived from them.
import type { ApiGroup, ApiResource, ApiResourceList, RecordedState } from './state.js';
import { splitGroupVersion } from './state.js';

export type AggregatedVersion = 'v2' | 'v2beta1';

export const AGGREGATED_AS = 'APIGroupDiscoveryList';

export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=${AGGREGATED_AS}`;
}

/**
 * Which aggregated discovery version the Accept header asks for first, if any.
 * kubectl sends
 * `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,…;v=v2beta1;…,application/json`.
 */
export function acceptsAggregated(accept: string | undefined): AggregatedVersion | undefined {
  for (const mediaRange of (accept ?? '').split(',')) {
    const [type, ...paramList] = mediaRange.split(';').map((s) => s.trim());
    if (type !== 'application/json') continue;
    const params = new Map(paramList.map((p) => {
      const eq = p.indexOf('=');
      return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()] as const;
    }));
    if (params.get('g') !== 'apidiscovery.k8s.io' || params.get('as') !== AGGREGATED_AS) continue;
    const v = params.get('v');
    if (v === 'v2' || v === 'v2beta1') return v;
  }
  return undefined;
}

/** `/apis/<group>`: the APIGroup document for one group. */
export function apiGroup(state: RecordedState, name: string): (ApiGroup & { kind: 'APIGroup'; apiVersion: 'v1' }) | undefined {
  const group = state.apis.groups.find((g) => g.name === name);
  return group && { kind: 'APIGroup', apiVersion: 'v1', ...group };
}

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

interface DiscoverySubresource {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

interface DiscoveryResource {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: DiscoverySubresource[];
}

interface DiscoveryVersion {
  version: string;
  resources: DiscoveryResource[];
  freshness: 'Current';
}

interface GroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: DiscoveryVersion[];
}

export interface GroupDiscoveryList {
  kind: typeof AGGREGATED_AS;
  apiVersion: string;
  metadata: Record<string, never>;
  items: GroupDiscovery[];
}

function discoveryVersion(list: ApiResourceList): DiscoveryVersion {
  const { group, version } = splitGroupVersion(list.groupVersion);
  const kindOf = (r: ApiResource): GroupVersionKind => ({
    group: r.group ?? group,
    version: r.version ?? version,
    kind: r.kind,
  });
  const resources: DiscoveryResource[] = [];
  for (const r of list.resources) {
    if (r.name.includes('/')) continue;
    resources.push({
      resource: r.name,
      responseKind: kindOf(r),
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.singularName,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    });
  }
  for (const r of list.resources) {
    const [parent, subresource] = r.name.split('/');
    if (subresource === undefined) continue;
    const owner = resources.find((x) => x.resource === parent);
    if (!owner) continue;
    (owner.subresources ??= []).push({ subresource, responseKind: kindOf(r), verbs: r.verbs });
  }
  return { version, resources, freshness: 'Current' };
}

function groupDiscovery(state: RecordedState, name: string, groupVersions: string[]): GroupDiscovery {
  const versions: DiscoveryVersion[] = [];
  for (const gv of groupVersions) {
    const list = state.resourceLists.get(gv);
    if (list) versions.push(discoveryVersion(list));
  }
  return { metadata: { ...(name ? { name } : {}), creationTimestamp: null }, versions };
}

/** Aggregated `/api`: the core group. */
export function aggregatedApi(state: RecordedState, v: AggregatedVersion): GroupDiscoveryList {
  const versions = (state.api.versions as string[] | undefined) ?? [];
  return {
    kind: AGGREGATED_AS,
    apiVersion: `apidiscovery.k8s.io/${v}`,
    metadata: {},
    items: [groupDiscovery(state, '', versions)],
  };
}

/** Aggregated `/apis`: every named group, versions in preference order (preferred first). */
export function aggregatedApis(state: RecordedState, v: AggregatedVersion): GroupDiscoveryList {
  return {
    kind: AGGREGATED_AS,
    apiVersion: `apidiscovery.k8s.io/${v}`,
    metadata: {},
    items: state.apis.groups.map((g) => {
      const preferred = g.preferredVersion.groupVersion;
      const ordered = [preferred, ...g.versions.map((x) => x.groupVersion).filter((gv) => gv !== preferred)];
      return groupDiscovery(state, g.name, ordered);
    }),
  };
}

/** The resource entry (not a subresource) for `resource` in a group version, if served. */
export function findResource(state: RecordedState, groupVersion: string, resource: string): ApiResource | undefined {
  return state.resourceLists.get(groupVersion)?.resources.find((r) => r.name === resource);
}
