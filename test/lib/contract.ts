/** The built binary's output contract (the JSON Schemas it prints), for tests that check its JSON. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Contract, contractOf, parseJson } from '../../generator/contract.js';

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');
let cached: Contract | undefined;

export function builtContract(): Contract {
  if (!existsSync(main)) throw new Error(`no built cilock at ${main}: run npm run build:cli`);
  cached ??= contractOf(parseJson(execFileSync(process.execPath, [main, 'tools', 'export', '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 << 20 }), 'cilock tools export'), 'cilock tools export');
  return cached;
}
