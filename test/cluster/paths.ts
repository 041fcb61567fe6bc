// Parses Kubernetes API paths into what they address.

export type ApiPath =
  | { type: 'version' }
  | { type: 'api' }
  | { type: 'apis' }
  | { type: 'group'; group: string }
  | { type: 'resourceList'; groupVersion: string }
  | {
      type: 'resource';
      group: string;
      version: string;
      namespace?: string;
      resource: string;
      name?: string;
      subresource?: string;
    };

/**
 * `/api/v1/pods`, `/api/v1/namespaces/shop/pods/redis-0`, `/apis/apps/v1/deployments`,
 * `/api/v1/namespaces` (the namespaces resource itself), `/api/v1/namespaces/shop` (one namespace).
 */
export function parseApiPath(pathname: string): ApiPath | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 1 && parts[0] === 'version') return { type: 'version' };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'api' };
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'apis' };
    if (parts.length === 2) return { type: 'group', group: parts[1]! };
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  const groupVersion = group === '' ? version : `${group}/${version}`;
  if (rest.length === 0) return { type: 'resourceList', groupVersion };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const [, namespace, resource, name, subresource, ...extra] = rest as [string, string, string, ...string[]];
    if (extra.length > 0) return undefined;
    return { type: 'resource', group, version, namespace, resource, name, subresource };
  }
  const [resource, name, subresource, ...extra] = rest as [string, ...string[]];
  if (extra.length > 0) return undefined;
  return { type: 'resource', group, version, resource, name, subresource };
}
