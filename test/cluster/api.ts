// Answers one Kubernetes API request from the recorded state. Read-only: GET only.
import {
  acceptsAggregated,
  aggregatedApi,
  aggregatedApis,
  aggregatedContentType,
  apiGroup,
  findResource,
} from './discovery.js';
import { paginate, sortByStorageKey } from './paging.js';
import { parseApiPath } from './paths.js';
import { matchSelectors } from './selectors.js';
import { resourceKey, type KubeList, type RecordedState } from './state.js';
import { StatusError, badRequest, methodNotAllowed, objectNotFound, pathNotFound } from './status.js';

export interface ApiRequest {
  method: string;
  /** Path and query, as in the request line. */
  url: string;
  accept?: string;
}

export interface ApiResponse {
  code: number;
  contentType: string;
  body: unknown;
}

export interface ApiOptions {
  /** Largest page the server returns, whatever `limit` the client sent. */
  maxPageSize?: number;
  /** Answer `Accept: …;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList` in that format (default true). */
  aggregatedDiscovery?: boolean;
}

const JSON_TYPE = 'application/json';

const ok = (body: unknown, contentType = JSON_TYPE): ApiResponse => ({ code: 200, contentType, body });

export function handleApiRequest(state: RecordedState, req: ApiRequest, opts: ApiOptions = {}): ApiResponse {
  try {
    return route(state, req, opts);
  } catch (err) {
    if (err instanceof StatusError) return { code: err.code, contentType: JSON_TYPE, body: err.toStatus() };
    throw err;
  }
}

function route(state: RecordedState, req: ApiRequest, opts: ApiOptions): ApiResponse {
  const url = new URL(req.url, 'http://recorded.invalid');
  const path = parseApiPath(url.pathname);
  if (!path) throw pathNotFound();
  if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method);
  const aggregated = opts.aggregatedDiscovery === false ? undefined : acceptsAggregated(req.accept);

  switch (path.type) {
    case 'version':
      return ok(state.version);
    case 'api':
      return aggregated ? ok(aggregatedApi(state, aggregated), aggregatedContentType(aggregated)) : ok(state.api);
    case 'apis':
      return aggregated ? ok(aggregatedApis(state, aggregated), aggregatedContentType(aggregated)) : ok(state.apis);
    case 'group': {
      const group = apiGroup(state, path.group);
      if (!group) throw pathNotFound();
      return ok(group);
    }
    case 'resourceList': {
      const list = state.resourceLists.get(path.groupVersion);
      if (!list) throw pathNotFound();
      return ok(list);
    }
    case 'resource':
      return resourceRequest(state, path, url.searchParams, opts);
  }
}

type ResourcePath = Extract<NonNullable<ReturnType<typeof parseApiPath>>, { type: 'resource' }>;

function resourceRequest(state: RecordedState, path: ResourcePath, query: URLSearchParams, opts: ApiOptions): ApiResponse {
  const { group, version, namespace, resource, name, subresource } = path;
  const groupVersion = group === '' ? version : `${group}/${version}`;
  const entry = findResource(state, groupVersion, resource);
  if (!entry || (namespace !== undefined && !entry.namespaced)) throw pathNotFound();
  if (subresource !== undefined) {
    if (!findResource(state, groupVersion, `${resource}/${subresource}`)) throw pathNotFound();
    throw new StatusError(404, 'NotFound', `the recorded cluster does not serve ${resource}/${subresource}`);
  }
  const verb = name === undefined ? 'list' : 'get';
  if (!entry.verbs.includes(verb)) throw methodNotAllowed(`${verb} on ${resource}`);
  if (query.get('watch') === 'true' || query.get('watch') === '1') {
    throw badRequest('the recorded cluster does not serve watch requests');
  }

  const recorded = recordedList(state, resourceKey(resource, group), groupVersion, entry.kind);
  const inScope = recorded.items.filter((item) => namespace === undefined || item.metadata.namespace === namespace);

  if (name !== undefined) {
    const obj = inScope.find((item) => item.metadata.name === name);
    if (!obj) throw objectNotFound(resource, group, name);
    // A single object carries kind and apiVersion first; list items do not carry them.
    return ok({ kind: entry.kind, apiVersion: groupVersion, ...obj });
  }

  const selected = inScope.filter(matchSelectors(query.get('labelSelector'), query.get('fieldSelector')));
  const limitParam = query.get('limit');
  const limit = limitParam === null ? undefined : Number(limitParam);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw badRequest(`invalid limit: ${limitParam}`);
  const resourceVersion = recorded.metadata.resourceVersion ?? clusterResourceVersion(state);
  const page = paginate(sortByStorageKey(selected), {
    limit,
    continue: query.get('continue') ?? undefined,
    maxPageSize: opts.maxPageSize,
    resourceVersion,
  });
  return ok({
    kind: recorded.kind,
    apiVersion: recorded.apiVersion,
    metadata: {
      resourceVersion,
      ...(page.continue ? { continue: page.continue, remainingItemCount: page.remainingItemCount } : {}),
    },
    items: page.items,
  });
}

/** The recorded List for a resource; an empty one when nothing of that resource was recorded. */
function recordedList(state: RecordedState, key: string, groupVersion: string, kind: string): KubeList {
  const recorded = state.objects.get(key);
  if (!recorded) {
    return { kind: `${kind}List`, apiVersion: groupVersion, metadata: { resourceVersion: clusterResourceVersion(state) }, items: [] };
  }
  if (recorded.apiVersion !== groupVersion) {
    throw new StatusError(
      404,
      'NotFound',
      `the recorded cluster holds ${key} as ${recorded.apiVersion} only, not ${groupVersion}`,
    );
  }
  return recorded;
}

/** The newest resourceVersion among the recorded lists. */
export function clusterResourceVersion(state: RecordedState): string {
  let newest = 0;
  for (const list of state.objects.values()) newest = Math.max(newest, Number(list.metadata.resourceVersion ?? 0));
  return String(newest);
}
