import { describe, expect, it } from 'vitest';
import { decodeContinue, encodeContinue, paginate, sortByStorageKey, storageKey } from '../../cluster/paging.js';
import type { KubeObject } from '../../cluster/state.js';
import { StatusError } from '../../cluster/status.js';

const obj = (namespace: string | undefined, name: string): KubeObject => ({ metadata: { name, namespace } });

const items = sortByStorageKey([
  obj('shop', 'redis-0'),
  obj('kube-system', 'coredns-a'),
  obj('default', 'web'),
  obj('kube-system', 'kube-proxy-b'),
  obj('kube-system', 'coredns-b'),
  obj('shop', 'frontend-a'),
  obj('kube-system-extra', 'x'),
]);

function collect(limit: number, maxPageSize?: number): { pages: string[][]; tokens: string[] } {
  const pages: string[][] = [];
  const tokens: string[] = [];
  let token: string | undefined;
  do {
    const page = paginate(items, { limit, continue: token, maxPageSize, resourceVersion: '4620' });
    pages.push(page.items.map(storageKey));
    token = page.continue;
    if (token) tokens.push(token);
    if (pages.length > 20) throw new Error('paging does not end');
  } while (token);
  return { pages, tokens };
}

describe('paging', () => {
  it('orders items by storage key (namespace/name)', () => {
    expect(items.map(storageKey)).toEqual([
      'default/web',
      'kube-system-extra/x',
      'kube-system/coredns-a',
      'kube-system/coredns-b',
      'kube-system/kube-proxy-b',
      'shop/frontend-a',
      'shop/redis-0',
    ]);
  });

  it('returns everything in one page without a continue token when the limit is large', () => {
    const page = paginate(items, { limit: 500, resourceVersion: '4620' });
    expect(page.items).toHaveLength(items.length);
    expect(page.continue).toBeUndefined();
    expect(page.remainingItemCount).toBeUndefined();
  });

  it('walks all items in pages of the requested size, each exactly once', () => {
    const { pages } = collect(3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(items.map(storageKey));
  });

  it('reports how many items remain after each page', () => {
    const first = paginate(items, { limit: 2, resourceVersion: '4620' });
    expect(first.remainingItemCount).toBe(5);
    const second = paginate(items, { limit: 2, continue: first.continue, resourceVersion: '4620' });
    expect(second.remainingItemCount).toBe(3);
  });

  it('caps pages at the server maximum whatever limit the client sends', () => {
    const { pages } = collect(500, 2);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    expect(pages.flat()).toEqual(items.map(storageKey));
  });

  it('uses an opaque base64 token carrying the resourceVersion and the key to start after', () => {
    const token = encodeContinue('4620', 'kube-system/coredns-b');
    expect(token).not.toContain('coredns');
    expect(decodeContinue(token)).toEqual({ v: 'meta.k8s.io/v1', rv: 4620, start: 'kube-system/coredns-b\u0000' });
  });

  it('rejects a token that is not one of ours with 400 BadRequest', () => {
    expect(() => paginate(items, { limit: 2, continue: 'not-a-token', resourceVersion: '4620' }))
      .toThrowError(StatusError);
    try {
      paginate(items, { limit: 2, continue: Buffer.from('{"v":"x"}').toString('base64url'), resourceVersion: '4620' });
    } catch (err) {
      expect((err as StatusError).code).toBe(400);
      expect((err as StatusError).message).toMatch(/continue key is not valid/);
    }
  });

  it('answers a token from another resourceVersion with 410 Expired', () => {
    const token = encodeContinue('17', 'default/web');
    try {
      paginate(items, { limit: 2, continue: token, resourceVersion: '4620' });
      expect.unreachable();
    } catch (err) {
      expect((err as StatusError).code).toBe(410);
      expect((err as StatusError).reason).toBe('Expired');
    }
  });
});
