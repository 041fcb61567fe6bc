/**
 * Validation against the vendored SARIF 2.1.0 JSON Schema (draft-07, so ajv's default `Ajv` class).
 * Compiling the schema takes a moment, so it happens once, on first use.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import sarifSchema from './sarif-schema-2.1.0.json' with { type: 'json' };

// ajv-formats is CommonJS with a `default` export; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(sarifSchema as object);
  }
  return validator;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(top level)' : error.instancePath;
  const extra = error.keyword === 'additionalProperties' ? ` "${String((error.params as { additionalProperty?: string }).additionalProperty)}"` : '';
  return `${where}: ${error.message ?? error.keyword}${extra}`;
}

/** Schema problems of a parsed SARIF document (empty when valid), at most `limit` of them. */
export function sarifSchemaErrors(document: unknown, limit = 5): string[] {
  const validate = compiled();
  if (validate(document)) return [];
  return (validate.errors ?? []).slice(0, limit).map(describe);
}
