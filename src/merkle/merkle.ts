/**
 * The v0.3 material/product Merkle construction:
 * - one leaf per unique sha256 file digest, keeping the lexicographically smallest path, ordered
 *   by (fileDigest, path);
 * - leafHash = SHA-256(raw 32-byte file digest) — content only, the path is not hashed;
 * - the root is the RFC 6962 §2.1 Merkle Tree Hash over the leafHash bytes
 *   (leaf node SHA-256(0x00 ‖ data), interior node SHA-256(0x01 ‖ left ‖ right), split at the
 *   largest power of two smaller than n; the empty tree is SHA-256("")).
 */
import { createHash } from 'node:crypto';
import { compareStrings } from '../util/strings.js';

export const MERKLE_HASH_ALGORITHM = 'sha256';
export const MERKLE_CONSTRUCTION = 'RFC6962';
/** Verification refuses trees larger than this (as upstream does), so a hostile file cannot make us spin. */
export const MAX_VERIFY_LEAVES = 1 << 20;

export interface MerkleLeaf {
  path: string;
  fileDigest: string;
  leafHash: string;
  kind?: string;
}

export interface MerkleTreeBody {
  merkleRoot: string;
  treeSize: number;
  hashAlgorithm: string;
  construction: string;
  leaves?: MerkleLeaf[];
}

export interface FileEntry {
  readonly path: string;
  /** Lowercase hex SHA-256 of the file's content. */
  readonly sha256: string;
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** RFC 6962 Merkle Tree Hash of `items` (each item is leaf data, hashed with the 0x00 prefix). */
export function rfc6962Root(items: readonly Uint8Array[]): Buffer {
  if (items.length === 0) return createHash('sha256').digest();
  const hashRange = (start: number, end: number): Buffer => {
    if (end - start === 1) return createHash('sha256').update(LEAF_PREFIX).update(items[start] as Uint8Array).digest();
    let split = 1;
    while (split * 2 < end - start) split *= 2;
    const left = hashRange(start, start + split);
    const right = hashRange(start + split, end);
    return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
  };
  return hashRange(0, items.length);
}

export function leafHashOf(fileDigestHex: string): string {
  return createHash('sha256').update(Buffer.from(fileDigestHex, 'hex')).digest('hex');
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Sorted, deduplicated leaves for a set of files. `kindOf` adds the optional leaf `kind`. */
export function buildLeaves(entries: readonly FileEntry[], kindOf?: (path: string) => string | undefined): MerkleLeaf[] {
  const sorted = entries
    .map((entry) => {
      if (!HEX64.test(entry.sha256)) throw new Error(`file "${entry.path}" has no valid sha256 digest; v0.3 trees need one for every file`);
      // Paths are kept as given: on POSIX a backslash is an ordinary name byte, not a separator.
      return { path: entry.path, fileDigest: entry.sha256 };
    })
    .sort((a, b) => compareStrings(a.fileDigest, b.fileDigest) || compareStrings(a.path, b.path));
  const leaves: MerkleLeaf[] = [];
  for (const entry of sorted) {
    if (leaves.length > 0 && leaves[leaves.length - 1]?.fileDigest === entry.fileDigest) continue;
    const leaf: MerkleLeaf = { path: entry.path, fileDigest: entry.fileDigest, leafHash: leafHashOf(entry.fileDigest) };
    const kind = kindOf?.(entry.path);
    if (kind !== undefined) leaf.kind = kind;
    leaves.push(leaf);
  }
  return leaves;
}

/** The predicate body for a set of files. Material always writes `leaves`; product omits an empty list. */
export function buildTreeBody(entries: readonly FileEntry[], options: { omitEmptyLeaves: boolean; kindOf?: (path: string) => string | undefined }): MerkleTreeBody {
  const leaves = buildLeaves(entries, options.kindOf);
  const root = rfc6962Root(leaves.map((leaf) => Buffer.from(leaf.leafHash, 'hex')));
  const body: MerkleTreeBody = {
    merkleRoot: root.toString('hex'),
    treeSize: leaves.length,
    hashAlgorithm: MERKLE_HASH_ALGORITHM,
    construction: MERKLE_CONSTRUCTION,
  };
  if (leaves.length > 0 || !options.omitEmptyLeaves) body.leaves = leaves;
  return body;
}

/**
 * Rebuilds a tree body from its inline leaves and returns every problem found (empty when the
 * leaves rebuild exactly to `merkleRoot`). Messages name the offending leaf.
 */
export function checkTreeBody(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return ['the attestation body is not an object'];
  const tree = body as Partial<Record<keyof MerkleTreeBody, unknown>>;
  const problems: string[] = [];
  if (typeof tree.merkleRoot !== 'string' || !HEX64.test(tree.merkleRoot)) problems.push('merkleRoot is not 64 lowercase hex characters');
  if (tree.hashAlgorithm !== MERKLE_HASH_ALGORITHM) problems.push(`hashAlgorithm is ${JSON.stringify(tree.hashAlgorithm)}, expected "sha256"`);
  if (tree.construction !== MERKLE_CONSTRUCTION) problems.push(`construction is ${JSON.stringify(tree.construction)}, expected "RFC6962"`);
  const leaves = tree.leaves === undefined ? [] : tree.leaves;
  if (!Array.isArray(leaves)) return [...problems, 'leaves is not an array'];
  if (leaves.length > MAX_VERIFY_LEAVES) return [...problems, `the tree has ${leaves.length} leaves, more than the ${MAX_VERIFY_LEAVES} allowed`];
  if (tree.treeSize !== leaves.length) problems.push(`treeSize is ${String(tree.treeSize)} but ${leaves.length} leaves are present`);
  const seenPaths = new Set<string>();
  const hashes: Buffer[] = [];
  leaves.forEach((raw: unknown, index: number) => {
    const leaf = raw as Partial<MerkleLeaf> | null;
    const label = `leaf ${index}${typeof leaf?.path === 'string' ? ` ("${leaf.path}")` : ''}`;
    if (typeof leaf !== 'object' || leaf === null || typeof leaf.path !== 'string') {
      problems.push(`${label} has no path`);
      return;
    }
    if (seenPaths.has(leaf.path)) problems.push(`${label} repeats a path`);
    seenPaths.add(leaf.path);
    if (typeof leaf.fileDigest !== 'string' || !HEX64.test(leaf.fileDigest)) {
      problems.push(`${label} has an invalid fileDigest`);
      return;
    }
    const expected = leafHashOf(leaf.fileDigest);
    if (leaf.leafHash !== expected) problems.push(`${label} has leafHash ${String(leaf.leafHash)} but its fileDigest hashes to ${expected}`);
    hashes.push(Buffer.from(expected, 'hex'));
  });
  if (problems.length === 0) {
    const rebuilt = rfc6962Root(hashes).toString('hex');
    if (rebuilt !== tree.merkleRoot) problems.push(`the leaves rebuild to root ${rebuilt}, not the signed merkleRoot ${String(tree.merkleRoot)}`);
  }
  return problems;
}
