/**
 * Every attestor cilock knows, declared once: its predicate type, lifecycle phase, whether this
 * binary can run it, whether it is on by default, and what it hands on to later phases. The
 * catalog's attestor.yaml holds only prose (title, description, captures, detection rules); the
 * catalog schema fills these facts in from here, the registry and the attestor implementations
 * take their type and phase from here. Plain data, no imports: the catalog schema reads it.
 */

export const RUN_TYPES = ['prematerial', 'material', 'execute', 'product', 'postproduct', 'verify'] as const;
export type RunType = (typeof RUN_TYPES)[number];

/** What an attestor hands on to later phases (see `Produced` in ./types.ts). */
export type ProducedKind = 'materials' | 'command' | 'products';

export interface AttestorDeclaration {
  /** Predicate type URI written into the collection. */
  readonly predicate_type: string;
  readonly run_type: RunType;
  /** Whether `cilock run -a <name>` is built into this binary (format attestors may be catalogued before they are). */
  readonly runnable: boolean;
  readonly default_on: boolean;
  readonly produces: readonly ProducedKind[];
}

/** Where cilock's predicate types live, and where witness (upstream) put the same ones before. */
export const ATTESTATION_TYPE_PREFIX = 'https://aflock.ai/attestations/';
export const LEGACY_ATTESTATION_TYPE_PREFIX = 'https://witness.dev/attestations/';
const AFLOCK = ATTESTATION_TYPE_PREFIX.slice(0, -1);

export const ATTESTOR_DECLARATIONS = {
  environment: { predicate_type: `${AFLOCK}/environment/v0.1`, run_type: 'prematerial', runnable: true, default_on: true, produces: [] },
  git: { predicate_type: `${AFLOCK}/git/v0.1`, run_type: 'prematerial', runnable: true, default_on: true, produces: [] },
  material: { predicate_type: `${AFLOCK}/material/v0.3`, run_type: 'material', runnable: true, default_on: true, produces: ['materials'] },
  'command-run': { predicate_type: `${AFLOCK}/command-run/v0.1`, run_type: 'execute', runnable: true, default_on: true, produces: ['command'] },
  product: { predicate_type: `${AFLOCK}/product/v0.3`, run_type: 'product', runnable: true, default_on: true, produces: ['products'] },
  sarif: { predicate_type: `${AFLOCK}/sarif/v0.1`, run_type: 'postproduct', runnable: true, default_on: false, produces: [] },
  sbom: { predicate_type: `${AFLOCK}/sbom/v0.1`, run_type: 'postproduct', runnable: false, default_on: false, produces: [] },
  'test-results': { predicate_type: `${AFLOCK}/test-results/v0.1`, run_type: 'postproduct', runnable: false, default_on: false, produces: [] },
  vex: { predicate_type: 'https://openvex.dev/ns', run_type: 'postproduct', runnable: false, default_on: false, produces: [] },
} as const satisfies Record<string, AttestorDeclaration>;

export type AttestorName = keyof typeof ATTESTOR_DECLARATIONS;

export function declarationOf(name: string): AttestorDeclaration | undefined {
  return Object.hasOwn(ATTESTOR_DECLARATIONS, name) ? ATTESTOR_DECLARATIONS[name as AttestorName] : undefined;
}

/** The predicate type of a declared attestor. */
export const typeOf = (name: AttestorName): string => ATTESTOR_DECLARATIONS[name].predicate_type;
