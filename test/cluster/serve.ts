// Runs the recorded cluster until interrupted, for trying kubectl against it by hand:
//   npx tsx test/cluster/serve.ts [--max-page-size N] [--legacy-discovery] [--state DIR]
// It prints an `export KUBECONFIG=…` line and logs each request on stderr.
import { parseArgs } from 'node:util';
import { startRecordedCluster } from './server.js';

const { values } = parseArgs({
  options: {
    'max-page-size': { type: 'string' },
    'legacy-discovery': { type: 'boolean', default: false },
    state: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});

const cluster = await startRecordedCluster({
  stateDir: values.state,
  maxPageSize: values['max-page-size'] ? Number(values['max-page-size']) : undefined,
  aggregatedDiscovery: !values['legacy-discovery'],
  log: values.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`export KUBECONFIG=${cluster.kubeconfigPath}\n`);

const stop = () => {
  void cluster.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
