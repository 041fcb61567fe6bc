// Loads the recorded cluster from test/cluster/state/: discovery documents and one
// Kubernetes List document per resource (see README.md in this folder).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_STATE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'state');

/** One entry of an APIResourceList (`kubectl get --raw /apis/apps/v1`). */
export interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface ApiResourceList {
  kind: 'APIResourceList';
  apiVersion?: string;
  groupVersion: string;
  resources: ApiResource[];
}

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface ApiGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface ApiGroupList {
  kind: 'APIGroupList';
  apiVersion: string;
  groups: ApiGroup[];
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface KubeList {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

export interface RecordedState {
  /** `/version` */
  version: Record<string, unknown>;
  /** `/api` (APIVersions) */
  api: Record<string, unknown>;
  /** `/apis` */
  apis: ApiGroupList;
  /** Resource lists by group version: "v1", "apps/v1", … */
  resourceLists: Map<string, ApiResourceList>;
  /** Recorded objects by resource and group: "pods", "deployments.apps", … */
  objects: Map<string, KubeList>;
}

/** "pods" for the core group, "deployments.apps" otherwise: the state file's base name. */
export function resourceKey(resource: string, group: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

/** Splits "apps/v1" into its group and version; "v1" is the core group. */
export function splitGroupVersion(groupVersion: string): { group: string; version: string } {
  const slash = groupVersion.indexOf('/');
  return slash === -1
    ? { group: '', version: groupVersion }
    : { group: groupVersion.slice(0, slash), version: groupVersion.slice(slash + 1) };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`recorded cluster: cannot read ${path}: ${(err as Error).message}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectKind(path: string, doc: unknown, kind: string): Record<string, unknown> {
  if (!isRecord(doc) || doc.kind !== kind) {
    throw new Error(`recorded cluster: ${path} is not a ${kind} document`);
  }
  return doc;
}

function loadResourceList(path: string): ApiResourceList {
  const doc = expectKind(path, readJson(path), 'APIResourceList');
  if (typeof doc.groupVersion !== 'string' || !Array.isArray(doc.resources)) {
    throw new Error(`recorded cluster: ${path} lacks groupVersion or resources`);
  }
  return doc as unknown as ApiResourceList;
}

function loadList(path: string): KubeList {
  const doc = readJson(path);
  if (!isRecord(doc) || typeof doc.kind !== 'string' || !doc.kind.endsWith('List')
    || typeof doc.apiVersion !== 'string' || !Array.isArray(doc.items)) {
    throw new Error(`recorded cluster: ${path} is not a Kubernetes List (kind …List, apiVersion, items)`);
  }
  for (const [i, item] of doc.items.entries()) {
    if (!isRecord(item) || !isRecord(item.metadata) || typeof item.metadata.name !== 'string') {
      throw new Error(`recorded cluster: ${path} item ${i} has no metadata.name`);
    }
  }
  if (!isRecord(doc.metadata)) doc.metadata = {};
  return doc as unknown as KubeList;
}

export function loadState(stateDir: string = DEFAULT_STATE_DIR): RecordedState {
  const discoveryDir = join(stateDir, 'discovery');
  const version = readJson(join(discoveryDir, 'version.json'));
  if (!isRecord(version)) throw new Error(`recorded cluster: ${discoveryDir}/version.json is not an object`);
  const api = expectKind(join(discoveryDir, 'api.json'), readJson(join(discoveryDir, 'api.json')), 'APIVersions');
  const apisPath = join(discoveryDir, 'apis.json');
  const apis = expectKind(apisPath, readJson(apisPath), 'APIGroupList') as unknown as ApiGroupList;

  const resourceLists = new Map<string, ApiResourceList>();
  for (const v of (api.versions as string[] | undefined) ?? []) {
    resourceLists.set(v, loadResourceList(join(discoveryDir, 'api', `${v}.json`)));
  }
  for (const group of apis.groups) {
    for (const { groupVersion } of group.versions) {
      const path = join(discoveryDir, 'apis', `${groupVersion}.json`);
      if (!existsSync(path)) {
        throw new Error(`recorded cluster: /apis lists ${groupVersion} but ${path} is missing`);
      }
      resourceLists.set(groupVersion, loadResourceList(path));
    }
  }

  const objects = new Map<string, KubeList>();
  for (const file of readdirSync(stateDir).sort()) {
    if (!file.endsWith('.json')) continue;
    objects.set(file.slice(0, -'.json'.length), loadList(join(stateDir, file)));
  }
  return { version, api, apis, resourceLists, objects };
}
