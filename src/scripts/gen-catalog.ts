/**
 * `npm run gen:catalog [-- --check …]`: the CLI build (catalog, bundles) and then the generator
 * (generator/cli.ts, which asks only the built binary), in one process: one Node start-up and one
 * bundle check instead of two, for the maintainer's loop.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main as generate } from '../../generator/cli.js';
import { buildCli } from './build-cli.js';

export async function genCatalog(argv: string[]): Promise<number> {
  const built = await buildCli();
  return built === 0 ? generate(argv) : built;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  genCatalog(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: Error) => {
      process.stderr.write(`gen:catalog: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
