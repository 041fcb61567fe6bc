/**
 * material/v0.3: every regular file in the working tree before the command runs, as an RFC 6962
 * Merkle tree with inline leaves (`leaves` is always present, `[]` for an empty tree).
 */
import { describeSkipped } from './file-walk.js';
import { buildTreeBody } from '../merkle/merkle.js';
import { snapshotTree, wallClockNs } from './snapshot.js';
import type { AttestorImplementation, AttestorOutput, RunContext, SnapshotFile } from './types.js';

export async function collectMaterials(context: RunContext): Promise<AttestorOutput> {
  const walkStartNs = wallClockNs();
  const { entries, skipped } = await snapshotTree(context.workingDir, context.hashes);
  const materials = new Map<string, SnapshotFile>();
  for (const { file, digest } of entries) materials.set(file.path, { digest, stat: file.stat });
  const body = buildTreeBody(
    entries.map(({ file, digest }) => ({ path: file.path, sha256: digest.sha256 ?? '' })),
    { omitEmptyLeaves: false },
  );
  const root = { sha256: body.merkleRoot };
  return {
    body,
    subjects: { 'tree:materials': root },
    backrefs: { 'tree:materials': root },
    detail: `${entries.length} file(s), ${body.treeSize} unique`,
    ...(skipped.length > 0 ? { warnings: describeSkipped(skipped) } : {}),
    produces: { materials: { files: materials, walkStartNs } },
  };
}

export const materialAttestor: AttestorImplementation = {
  name: 'material',
  run: collectMaterials,
};
