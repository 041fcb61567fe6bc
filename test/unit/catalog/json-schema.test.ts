import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { jsonSchemas } from '../../../src/catalog/json-schema.js';
import { repoRoot } from './invalid-fixture.js';

describe('editor JSON Schemas', () => {
  it.each(Object.entries(jsonSchemas()))('catalog/schema/%s matches the zod schema (run npm run gen:schema)', (file, schema) => {
    const committed = JSON.parse(readFileSync(path.join(repoRoot, 'catalog/schema', file), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
  });

  it('accepts the Kubescape entry and rejects an unknown key', () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(jsonSchemas()['tool.schema.json'] as object);
    const entry = parse(readFileSync(path.join(repoRoot, 'catalog/tools/kubescape/tool.yaml'), 'utf8'));
    expect(validate(entry)).toBe(true);
    expect(validate({ ...entry, colour: 'red' })).toBe(false);
  });
});
