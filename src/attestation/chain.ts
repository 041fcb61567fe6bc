/**
 * `artifactsFrom`: a step consumed what an earlier step had or made. This step's materials and the
 * earlier step's materials ∪ products (products win for a path both list) are compared by path, as
 * upstream does: at least one path must be in both, and every shared path must have equal digests.
 * Trees come from passing collections only, so their inline leaves already rebuilt to signed roots.
 */
import { ATTESTATION_TYPE_PREFIX, LEGACY_ATTESTATION_TYPE_PREFIX } from '../catalog/attestor-declarations.js';
import { digestSetsEqual, type DigestSet } from './statement.js';
import { typeAliases } from './policy.js';
import { listBounded, MATERIAL_V03_TYPE, PRODUCT_V03_TYPE, type VerifiedAttestation } from './verify.js';

const MATERIAL_V01 = `${ATTESTATION_TYPE_PREFIX}material/v0.1`;
const PRODUCT_V01 = `${ATTESTATION_TYPE_PREFIX}product/v0.1`;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Path → digest set of one tree body: v0.3 inline leaves, or the v0.1 per-file maps witness writes. */
function filesOf(type: string, body: unknown, into: Map<string, DigestSet>): void {
  if (!isRecord(body)) return;
  if (type === MATERIAL_V03_TYPE || type === PRODUCT_V03_TYPE) {
    for (const leaf of Array.isArray(body.leaves) ? body.leaves : []) {
      if (isRecord(leaf) && typeof leaf.path === 'string' && typeof leaf.fileDigest === 'string') into.set(leaf.path, { sha256: leaf.fileDigest });
    }
    return;
  }
  for (const [path, value] of Object.entries(body)) {
    // material v0.1: {path: digestSet}; product v0.1: {path: {digest: digestSet, mime_type}}.
    const digest = isRecord(value) && isRecord(value.digest) ? value.digest : value;
    if (isRecord(digest)) into.set(path, Object.fromEntries(Object.entries(digest).filter((e): e is [string, string] => typeof e[1] === 'string')));
  }
}

function treeFiles(attestation: VerifiedAttestation, kinds: readonly ('material' | 'product')[]): Map<string, DigestSet> {
  const files = new Map<string, DigestSet>();
  const types = { material: [MATERIAL_V03_TYPE, ...typeAliases(MATERIAL_V01)], product: [PRODUCT_V03_TYPE, ...typeAliases(PRODUCT_V01)] };
  for (const kind of kinds) {
    for (const entry of attestation.collection?.attestations ?? []) {
      if (!types[kind].includes(entry.type)) continue;
      const canonical = entry.type.replace(LEGACY_ATTESTATION_TYPE_PREFIX, ATTESTATION_TYPE_PREFIX);
      filesOf(canonical, entry.attestation, files);
    }
  }
  return files;
}

export function artifactsFromProblems(step: VerifiedAttestation, upstream: VerifiedAttestation, stepName: string, fromName: string): { ok: boolean; detail: string } {
  const materials = treeFiles(step, ['material']);
  if (materials.size === 0) return { ok: false, detail: `step "${stepName}" records no materials, so it cannot show that it consumed what step "${fromName}" had or made` };
  // Materials first, products over them: a file the earlier step rewrote counts as written.
  const earlier = treeFiles(upstream, ['material', 'product']);
  const shared: string[] = [];
  const differing: string[] = [];
  for (const [path, digest] of materials) {
    const theirs = earlier.get(path);
    if (theirs === undefined) continue;
    shared.push(path);
    if (!digestSetsEqual(digest, theirs)) differing.push(`"${path}" (sha256 ${digest.sha256 ?? '?'} here, ${theirs.sha256 ?? '?'} in step "${fromName}")`);
  }
  if (shared.length === 0) return { ok: false, detail: `none of the ${materials.size} material path(s) of step "${stepName}" is among the ${earlier.size} material or product path(s) of step "${fromName}" (${upstream.source})` };
  if (differing.length > 0) return { ok: false, detail: `${differing.length} of ${shared.length} shared path(s) differ from step "${fromName}": ${listBounded(differing)}` };
  return { ok: true, detail: `${shared.length} material path(s) match step "${fromName}"'s materials and products (${upstream.source})` };
}
