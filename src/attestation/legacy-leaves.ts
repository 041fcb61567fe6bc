/**
 * The v0.3 leaf encoding cilock wrote before June 2026 (rookery changed it on 2026-06-08):
 * leafHash = SHA-256(path ‖ 0x00 ‖ raw 32-byte file digest), leaves ordered by path, the same
 * RFC 6962 tree above them. Envelopes signed then still verify, rebuilt under that encoding, and
 * the verdict says so. A tree is accepted only when every leaf and the root agree with it.
 */
import { createHash } from 'node:crypto';
import { MAX_VERIFY_LEAVES, MERKLE_CONSTRUCTION, MERKLE_HASH_ALGORITHM, rfc6962Root } from '../merkle/merkle.js';

export const LEGACY_ENCODING = 'sha256(path ‖ 0x00 ‖ digest), the leaf encoding before June 2026';

const HEX64 = /^[0-9a-f]{64}$/;

export function legacyLeafHash(path: string, fileDigestHex: string): string {
  return createHash('sha256').update(Buffer.from(path, 'utf8')).update(Buffer.from([0x00])).update(Buffer.from(fileDigestHex, 'hex')).digest('hex');
}

/** True when the tree body rebuilds to its merkleRoot under the legacy encoding, leaf by leaf. */
export function rebuildsUnderLegacyEncoding(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const tree = body as Record<string, unknown>;
  if (typeof tree.merkleRoot !== 'string' || !HEX64.test(tree.merkleRoot)) return false;
  if (tree.hashAlgorithm !== MERKLE_HASH_ALGORITHM || tree.construction !== MERKLE_CONSTRUCTION) return false;
  const leaves = tree.leaves ?? [];
  if (!Array.isArray(leaves) || leaves.length === 0 || leaves.length > MAX_VERIFY_LEAVES || tree.treeSize !== leaves.length) return false;
  const paths = new Set<string>();
  const hashes: Buffer[] = [];
  for (const raw of leaves as unknown[]) {
    const leaf = raw as Record<string, unknown> | null;
    if (typeof leaf !== 'object' || leaf === null || typeof leaf.path !== 'string' || typeof leaf.fileDigest !== 'string' || !HEX64.test(leaf.fileDigest)) return false;
    if (paths.has(leaf.path)) return false;
    paths.add(leaf.path);
    const expected = legacyLeafHash(leaf.path, leaf.fileDigest);
    if (leaf.leafHash !== expected) return false;
    hashes.push(Buffer.from(expected, 'hex'));
  }
  return rfc6962Root(hashes).toString('hex') === tree.merkleRoot;
}
