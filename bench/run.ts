/**
 * `npm run bench`: every benchmark, one after another, each printed as side-by-side figures and
 * ratios against a baseline measured in the same run. Build first (`npm run build`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'dist/cli/main.js'))) {
  process.stderr.write('bench: no built CLI; run `npm run build` first\n');
  process.exit(1);
}

const only = process.argv.slice(2);
const suites: [string, () => Promise<unknown>][] = [
  ['plan-startup', async () => (await import('./plan-startup.js')).main()],
  ['catalog-check', async () => (await import('./catalog-check.js')).main()],
  ['plan-scaling', async () => (await import('./plan-scaling.js')).main()],
  ['gen-catalog', async () => (await import('./gen-catalog.js')).main()],
  ['maintainer-loop', async () => (await import('./maintainer-loop.js')).main()],
  ['run-overhead', async () => (await import('./run-overhead.js')).main()],
  ['trace-overhead', async () => (await import('./trace-overhead.js')).main()],
  ['hash-memory', async () => (await import('./hash-memory.js')).main()],
  ['verify-large', async () => (await import('./verify-large.js')).main()],
  ['verify-policy', async () => (await import('./verify-policy.js')).main()],
  ['output-memory', async () => (await import('./output-memory.js')).main()],
  ['redaction', async () => (await import('./redaction.js')).main()],
  ['site-build', async () => (await import('./site-build.js')).main()],
];
for (const [name, run] of suites) {
  if (only.length && !only.includes(name)) continue;
  await run();
}
