// Writes a kubeconfig that points kubectl at the recorded cluster.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const CONTEXT_NAME = 'recorded-dev-cluster';

export function kubeconfigYaml(server: string, namespace = 'default'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: CONTEXT_NAME, cluster: { server } }],
    users: [{ name: 'recorded-reader', user: { token: 'recorded-cluster-token' } }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: 'recorded-reader', namespace } }],
    'current-context': CONTEXT_NAME,
    preferences: {},
  });
}

/** Writes `<dir>/kubeconfig` and returns its path. */
export function writeKubeconfig(dir: string, server: string, namespace?: string): string {
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, kubeconfigYaml(server, namespace), { mode: 0o600 });
  return path;
}
