/** Services an example may need; today a recorded Kubernetes API behind KUBECONFIG. */
import { startRecordedCluster } from '../../cluster/server.js';
import type { ServiceHandle } from './run-example.js';

export async function startService(name: string): Promise<ServiceHandle> {
  if (name === 'kubernetes') {
    const cluster = await startRecordedCluster();
    return { env: { KUBECONFIG: cluster.kubeconfigPath }, close: () => cluster.close() };
  }
  throw new Error(`unknown service "${name}" in an example (known: kubernetes)`);
}
