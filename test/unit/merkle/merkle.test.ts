import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { buildLeaves, buildTreeBody, checkTreeBody, leafHashOf, rfc6962Root } from '../../../src/merkle/merkle.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('rfc6962Root', () => {
  // Test vectors from the Certificate Transparency reference implementation (RFC 6962 trees over
  // these leaf inputs, roots for the first 1..8 leaves).
  const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((hex) => Buffer.from(hex, 'hex'));
  const roots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];
  it.each(roots.map((root, index) => [index + 1, root] as const))('matches the CT test vector for %i leaves', (count, root) => {
    expect(rfc6962Root(leaves.slice(0, count)).toString('hex')).toBe(root);
  });

  it('gives SHA-256("") for the empty tree', () => {
    expect(rfc6962Root([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('agrees with an independent bottom-up computation for many sizes', () => {
    // Independent formulation: reduce level by level, promoting an odd last node unchanged.
    const independent = (items: Buffer[]): string => {
      let level: Buffer[] = items.map((item) => createHash('sha256').update(Buffer.concat([Buffer.from([0]), item])).digest());
      while (level.length > 1) {
        const next: Buffer[] = [];
        for (let i = 0; i < level.length; i += 2) {
          const left = level[i] as Buffer;
          const right = level[i + 1];
          next.push(right ? createHash('sha256').update(Buffer.concat([Buffer.from([1]), left, right])).digest() : left);
        }
        level = next;
      }
      return (level[0] as Buffer).toString('hex');
    };
    for (let n = 1; n <= 40; n++) {
      const items = Array.from({ length: n }, (_, i) => Buffer.from(`leaf-${i}`));
      expect(rfc6962Root(items).toString('hex')).toBe(independent(items));
    }
  });
});

describe('v0.3 tree bodies', () => {
  it('reproduces the worked example of the spec (README.md and app)', () => {
    const body = buildTreeBody(
      [
        { path: 'app', sha256: sha256('hello\n') },
        { path: 'README.md', sha256: sha256('readme\n') },
      ],
      { omitEmptyLeaves: false },
    );
    expect(body.merkleRoot).toBe('aa9bf07d51ee76f6a6aee234da88502862ae0fe52aced1a4a86bbc7482a5ab87');
    expect(body.treeSize).toBe(2);
    expect(body.leaves?.map((leaf) => leaf.path)).toEqual(['README.md', 'app']);
    expect(body.leaves?.[0]?.leafHash).toMatch(/^0c003d56/);
    expect(body.leaves?.[1]?.leafHash).toMatch(/^ecb65bb9/);
    expect(checkTreeBody(body)).toEqual([]);
  });

  it('keeps one leaf per digest (smallest path) ordered by digest then path', () => {
    const same = sha256('x');
    const leaves = buildLeaves([
      { path: 'b/copy', sha256: same },
      { path: 'a/orig', sha256: same },
      { path: 'z', sha256: sha256('y') },
    ]);
    expect(leaves.filter((leaf) => leaf.fileDigest === same).map((leaf) => leaf.path)).toEqual(['a/orig']);
    expect(leaves.map((leaf) => leaf.fileDigest)).toEqual([...leaves.map((leaf) => leaf.fileDigest)].sort());
    expect(leaves[0]?.leafHash).toBe(leafHashOf(leaves[0]?.fileDigest ?? ''));
  });

  it('writes [] for an empty material tree and omits leaves for an empty product tree', () => {
    expect(buildTreeBody([], { omitEmptyLeaves: false }).leaves).toEqual([]);
    expect(buildTreeBody([], { omitEmptyLeaves: true })).not.toHaveProperty('leaves');
  });

  it('reports a tampered leaf by name', () => {
    const body = buildTreeBody([{ path: 'app', sha256: sha256('hello\n') }, { path: 'lib', sha256: sha256('lib\n') }], { omitEmptyLeaves: false });
    const leaf = body.leaves?.find((l) => l.path === 'app');
    if (!leaf) throw new Error('no leaf');
    leaf.fileDigest = sha256('evil\n');
    expect(checkTreeBody(body).join('\n')).toMatch(/leaf \d \("app"\) has leafHash .* but its fileDigest hashes to/);
    leaf.leafHash = leafHashOf(leaf.fileDigest);
    expect(checkTreeBody(body).join('\n')).toMatch(/rebuild to root .*, not the signed merkleRoot/);
  });

  it('rejects duplicate paths and a wrong treeSize', () => {
    const body = buildTreeBody([{ path: 'a', sha256: sha256('1') }, { path: 'b', sha256: sha256('2') }], { omitEmptyLeaves: false });
    if (body.leaves?.[1]) body.leaves[1].path = body.leaves[0]?.path ?? '';
    body.treeSize = 5;
    const problems = checkTreeBody(body).join('\n');
    expect(problems).toMatch(/treeSize is 5 but 2 leaves are present/);
    expect(problems).toMatch(/repeats a path/);
  });
});
