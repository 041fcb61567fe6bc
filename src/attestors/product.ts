/**
 * product/v0.3: files the command created or changed, as an RFC 6962 Merkle tree (`leaves`
 * omitted when empty; the `tree:products` subject is always present). A file is a product when
 * it is new, its digest changed, or it was rewritten (mtime at or after the command start) with
 * identical bytes.
 *
 * Unchanged files are not re-hashed: when a file's device, inode, size, mtime and ctime all equal
 * the material snapshot's, and its ctime was already well before the snapshot began, its content
 * cannot have changed (user space cannot set ctime), so the material digest is reused. This is
 * the "racily clean" rule git uses for its index.
 */
import { basename } from 'node:path';
import { digestSetsEqual } from '../files/digest.js';
import { buildTreeBody } from '../merkle/merkle.js';
import { snapshotTree } from './snapshot.js';
import { describeSkipped, type WalkedFile } from './file-walk.js';
import type { AttestorImplementation, AttestorOutput, Produced, ProductFile, RunContext, SnapshotFile } from './types.js';

/** A file changed this close to the snapshot start is re-hashed even if its stat looks unchanged. */
const RACY_MARGIN_NS = 100_000_000n;
/** Kernel file timestamps come from a coarse clock that can trail the precise one by a tick. */
const COARSE_CLOCK_NS = 20_000_000n;

const KIND_SUFFIXES: readonly [string, readonly string[]][] = [
  ['slsa-provenance', ['.slsa-provenance.json']],
  ['intoto', ['.intoto.json', '.intoto.jsonl']],
  ['intoto-dsse', ['.intoto.dsse', '.dsse']],
  ['spdx', ['.spdx.json', '.spdx.yaml', '.spdx.yml']],
  ['cyclonedx', ['.cdx.json', '.cdx.xml']],
  ['sarif', ['.sarif', '.sarif.json']],
  ['vex', ['.vex.json', '.csaf.json']],
];

/** Leaf `kind` from the case-insensitive file name suffix, or undefined. */
export function productKind(path: string): string | undefined {
  const lower = path.toLowerCase();
  for (const [kind, suffixes] of KIND_SUFFIXES) if (suffixes.some((suffix) => lower.endsWith(suffix))) return kind;
  if (basename(lower) === 'bom.json') return 'cyclonedx';
  return undefined;
}

function sameStat(a: WalkedFile['stat'], b: WalkedFile['stat']): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

export async function collectProducts(context: RunContext, produced: Produced): Promise<AttestorOutput> {
  const materials = produced.materials?.files ?? new Map<string, SnapshotFile>();
  const walkStart = produced.materials?.walkStartNs;
  const { entries, skipped } = await snapshotTree(context.workingDir, context.hashes, (file) => {
    const prior = materials.get(file.path);
    if (!prior || walkStart === undefined) return undefined;
    const settled = prior.stat.ctimeNs < walkStart - RACY_MARGIN_NS;
    return settled && sameStat(prior.stat, file.stat) ? prior.digest : undefined;
  });
  const commandStartNs = produced.command?.startNs;
  const rewrittenSince = commandStartNs === undefined ? undefined : commandStartNs - COARSE_CLOCK_NS;
  const products = new Map<string, ProductFile>();
  for (const { file, digest } of entries) {
    const prior = materials.get(file.path);
    const changed = !prior || !digestSetsEqual(prior.digest, digest);
    const rewritten = rewrittenSince !== undefined && file.stat.mtimeNs >= rewrittenSince;
    if (changed || rewritten) products.set(file.path, { path: file.path, absolutePath: file.absolutePath, digest });
  }
  const body = buildTreeBody(
    [...products.values()].map((product) => ({ path: product.path, sha256: product.digest.sha256 ?? '' })),
    { omitEmptyLeaves: true, kindOf: productKind },
  );
  const root = { sha256: body.merkleRoot };
  return {
    body,
    subjects: { 'tree:products': root },
    backrefs: { 'tree:products': root },
    detail: `${products.size} file(s) new or changed`,
    ...(skipped.length > 0 ? { warnings: describeSkipped(skipped) } : {}),
    produces: { products },
  };
}

export const productAttestor: AttestorImplementation = {
  name: 'product',
  run: collectProducts,
};
