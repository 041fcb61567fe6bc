/**
 * The attestors cilock knows, and the fixed order their entries appear in the collection:
 *
 *   environment, git, material, command-run, product, sarif
 *
 * That is lifecycle phase order (prematerial → material → execute → product → postproduct) with
 * names in alphabetical order inside a phase. Upstream writes completion order, which varies from
 * run to run; a fixed order keeps envelopes of the same step comparable.
 */
import { commandRunAttestor } from './command-run.js';
import { environmentAttestor } from './environment.js';
import { gitAttestor } from './git.js';
import { materialAttestor } from './material.js';
import { productAttestor } from './product.js';
import { sarifAttestor } from './sarif.js';
import { ATTESTOR_DECLARATIONS } from '../catalog/attestor-declarations.js';
import { CilockError } from '../util/errors.js';
import { PHASES, type Attestor, type AttestorImplementation, type Phase } from './types.js';

/** An implementation with the type and phase its declaration gives it. */
function declared(implementation: AttestorImplementation): Attestor {
  const { predicate_type, run_type, runnable } = ATTESTOR_DECLARATIONS[implementation.name];
  if (!runnable || !(PHASES as readonly string[]).includes(run_type)) {
    throw new Error(`attestor ${implementation.name} is implemented but declared ${runnable ? `with run_type ${run_type}, not a run phase` : 'not runnable'}`);
  }
  return { ...implementation, type: predicate_type, phase: run_type as Phase };
}

export const ATTESTORS: readonly Attestor[] = [environmentAttestor, gitAttestor, materialAttestor, commandRunAttestor, productAttestor, sarifAttestor].map(declared);
export const ATTESTOR_ORDER: readonly string[] = ATTESTORS.map((attestor) => attestor.name);
/** Always attached to `cilock run`; naming them in -a is allowed and changes nothing. */
export const ALWAYS_ON_ATTESTORS: readonly string[] = ['command-run', 'material', 'product'];
export const SELECTABLE_ATTESTORS: readonly string[] = ATTESTOR_ORDER.filter((name) => !ALWAYS_ON_ATTESTORS.includes(name));

/** The attestors to run for the requested names (plus the always-on ones), in collection order. */
export function resolveAttestors(requested: readonly string[]): Attestor[] {
  const wanted = new Set(ALWAYS_ON_ATTESTORS);
  for (const name of requested) {
    if (!ATTESTOR_ORDER.includes(name)) {
      throw new CilockError(`unknown attestor "${name}" in -a/--attestations; available: ${SELECTABLE_ATTESTORS.join(', ')} (${ALWAYS_ON_ATTESTORS.join(', ')} always run)`, 2);
    }
    wanted.add(name);
  }
  return ATTESTORS.filter((attestor) => wanted.has(attestor.name));
}
