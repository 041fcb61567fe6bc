/**
 * What the generator expects the binary's JSON surfaces to hold: the types come from the binary's
 * own contract (src/surfaces/contract.ts, `import type` only, so nothing of src/ loads here), and
 * the check is the JSON Schemas the binary prints (`tools export` → `surface_schemas`), run with
 * ajv. A binary whose JSON has drifted stops the generator with the field that is wrong, instead of
 * a broken page.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { CatalogExport, CommandHelp, ListEntry, ShowEntry, SurfaceName, TestPlan } from '../src/surfaces/contract.js';

export type { CatalogExport, ListEntry, ShowEntry, SurfaceName, TestPlan };
export type Example = NonNullable<ShowEntry['examples']>[number];
export type ValidateCheck = NonNullable<ShowEntry['validate']>[number];
export type HelpTexts = CommandHelp[];
export type CatalogSchemas = CatalogExport['catalog_schemas'];
export type SurfaceSchemas = CatalogExport['surface_schemas'];

/** The surfaces' types by the name their schema is filed under. */
export interface SurfaceTypes {
  'tools-list': ListEntry[];
  'tools-show': ShowEntry;
  'tools-test-plan': TestPlan;
  'tools-export': CatalogExport;
  help: HelpTexts;
}

/** `field a.0.b: …`, naming the missing or undeclared property itself rather than its parent. */
function describe(error: ErrorObject): string {
  const at = error.instancePath.slice(1).split('/').filter(Boolean);
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const named = params.missingProperty ?? params.additionalProperty;
  const field = [...at, ...(named ? [named] : [])].join('.') || '(top level)';
  const what = params.missingProperty ? 'is missing' : params.additionalProperty ? 'is not part of the contract' : (error.message ?? 'is invalid');
  return `field ${field}: ${what}`;
}

/** Validators for the surfaces, compiled once each from the JSON Schemas a binary printed. */
export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    private readonly schemas: Record<string, unknown>,
    /** Where the schemas came from, for messages. */
    readonly origin: string,
  ) {}

  get surfaceSchemas(): SurfaceSchemas {
    return this.schemas as SurfaceSchemas;
  }

  /** Checks one surface's value, naming what printed it and the first failing field on error. */
  check<S extends keyof SurfaceTypes>(surface: S, value: unknown, what: string): SurfaceTypes[S] {
    let validate = this.compiled.get(surface);
    if (!validate) {
      const schema = this.schemas[surface];
      if (typeof schema !== 'object' || schema === null) throw new Error(`the JSON Schemas from ${this.origin} have none for the "${surface}" surface (is it a compatible cilock?)`);
      validate = this.ajv.compile(schema);
      this.compiled.set(surface, validate);
    }
    if (!validate(value)) {
      const errors = validate.errors ?? [];
      throw new Error(`${what} printed an unexpected shape: ${errors[0] ? describe(errors[0]) : 'invalid'} (${errors.length} problem(s) in all; is CILOCK_BIN a compatible cilock?)`);
    }
    return value as SurfaceTypes[S];
  }

  /** Parses and checks one surface's printed text. */
  parse<S extends keyof SurfaceTypes>(surface: S, text: string, what: string): SurfaceTypes[S] {
    return this.check(surface, parseJson(text, what), what);
  }
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${what} did not print JSON: ${(err as Error).message}`);
  }
}

/** The `surface_schemas` of a `tools export` document, before anything else in it is trusted. */
export function contractOf(exported: unknown, what: string): Contract {
  const schemas = (exported as { surface_schemas?: unknown } | null)?.surface_schemas;
  if (typeof schemas !== 'object' || schemas === null || Array.isArray(schemas)) {
    throw new Error(`${what} printed no surface_schemas (the JSON Schemas of its output): build a newer cilock (npm run build:cli) or point CILOCK_BIN at one`);
  }
  return new Contract(schemas as Record<string, unknown>, what);
}
