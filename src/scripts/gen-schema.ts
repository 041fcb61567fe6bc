/**
 * Writes the JSON Schemas editors use to complete and check catalog YAML
 * (`catalog/schema/{tool,attestor}.schema.json`), generated from the zod schema so they cannot
 * disagree with the build. `--check` exits 1 instead of writing when a committed file is stale.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemas } from '../catalog/json-schema.js';
import { writeFileAtomic } from '../util/atomic-write.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, schema] of Object.entries(jsonSchemas())) {
  const target = path.join(root, 'catalog/schema', file);
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (current === text) continue;
  if (check) {
    process.stderr.write(`catalog/schema/${file} is stale: run npm run gen:schema\n`);
    stale++;
  } else {
    writeFileAtomic(target, text);
    process.stderr.write(`wrote catalog/schema/${file}\n`);
  }
}
process.exitCode = stale ? 1 : 0;
