// Writes <dir>/cluster-snapshot.yaml: the documented snapshot command run with the real
// kubectl against the recorded cluster.
//   npx tsx test/cluster/snapshot.ts <dir> [--max-page-size N] [--legacy-discovery]
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { snapshotCluster } from './kubectl.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'max-page-size': { type: 'string' },
    'legacy-discovery': { type: 'boolean', default: false },
  },
});

const dir = positionals[0];
if (!dir || positionals.length > 1) {
  process.stderr.write('usage: npx tsx test/cluster/snapshot.ts <dir> [--max-page-size N] [--legacy-discovery]\n');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const path = await snapshotCluster(resolve(dir), {
  maxPageSize: values['max-page-size'] ? Number(values['max-page-size']) : undefined,
  aggregatedDiscovery: !values['legacy-discovery'],
});
process.stdout.write(`${path}\n`);
