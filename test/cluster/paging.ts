// limit/continue paging as kube-apiserver does it: items in storage-key order
// (namespace/name), and an opaque continue token naming the list's resourceVersion and
// the key to start after.
import { badRequest, expired } from './status.js';
import type { KubeObject } from './state.js';

export interface Page {
  items: KubeObject[];
  /** Token for the next page; absent on the last page. */
  continue?: string;
  /** How many items follow this page; absent on the last page. */
  remainingItemCount?: number;
}

export interface PageRequest {
  /** Client's `limit`; 0 or absent means everything. */
  limit?: number;
  /** Client's `continue` token. */
  continue?: string;
  /** Server-side cap on a page, whatever the client asked (a real server may return fewer items). */
  maxPageSize?: number;
  /** The list's resourceVersion, carried in the token. */
  resourceVersion: string;
}

interface Token {
  v: string;
  rv: number;
  start: string;
}

const TOKEN_VERSION = 'meta.k8s.io/v1';

/** The storage key an object is listed by. */
export function storageKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : obj.metadata.name;
}

export function sortByStorageKey(items: KubeObject[]): KubeObject[] {
  return [...items].sort((a, b) => {
    const ka = storageKey(a);
    const kb = storageKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

export function encodeContinue(resourceVersion: string, afterKey: string): string {
  const token: Token = { v: TOKEN_VERSION, rv: Number(resourceVersion), start: `${afterKey}\u0000` };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function decodeContinue(value: string): Token {
  let token: unknown;
  try {
    token = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(`continue key is not valid: ${value}`);
  }
  const t = token as Partial<Token> | null;
  if (!t || t.v !== TOKEN_VERSION || typeof t.rv !== 'number' || typeof t.start !== 'string' || t.start === '') {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  return t as Token;
}

/** One page of `items` (already in storage-key order). */
export function paginate(items: KubeObject[], req: PageRequest): Page {
  let start = 0;
  if (req.continue) {
    const token = decodeContinue(req.continue);
    if (String(token.rv) !== req.resourceVersion) {
      throw expired(
        'The provided continue parameter is too old to display a consistent list result. '
        + 'You can start a new list without the continue parameter.',
      );
    }
    const startKey = token.start;
    start = items.findIndex((item) => storageKey(item) >= startKey);
    if (start === -1) start = items.length;
  }
  const limits = [req.limit, req.maxPageSize].filter((n): n is number => n !== undefined && n > 0);
  const size = limits.length ? Math.min(...limits) : Infinity;
  const end = Math.min(items.length, start + size);
  const page = items.slice(start, end);
  if (end >= items.length || page.length === 0) return { items: page };
  return {
    items: page,
    continue: encodeContinue(req.resourceVersion, storageKey(page[page.length - 1]!)),
    remainingItemCount: items.length - end,
  };
}
