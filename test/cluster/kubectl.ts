// Finding the real kubectl, and taking the documented snapshot of the recorded cluster with it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { installHint, locate } from '../../src/scripts/system-tools.js';
import { startRecordedCluster, type RecordedClusterOptions } from './server.js';

/** The documented snapshot command, minus the redirection. */
export const SNAPSHOT_COMMAND = 'kubectl get all,networkpolicies,roles,rolebindings,serviceaccounts -A -o yaml';
export const SNAPSHOT_ARGS = SNAPSHOT_COMMAND.split(' ').slice(1);

export const KUBECTL_INSTALL_HINT = installHint('kubectl');

/** `$KUBECTL` if set, else `kubectl` on PATH; undefined when neither is there. */
export const findKubectl = (): string | undefined => locate('kubectl');

export interface SnapshotOptions extends RecordedClusterOptions {
  /** kubectl binary (default: findKubectl()). */
  kubectl?: string;
  /** File name inside `dir` (default cluster-snapshot.yaml). */
  fileName?: string;
}

/**
 * Starts the recorded cluster, runs the documented snapshot command with the real kubectl
 * into `<dir>/cluster-snapshot.yaml`, stops the cluster and returns the file's path.
 */
export async function snapshotCluster(dir: string, opts: SnapshotOptions = {}): Promise<string> {
  const kubectl = opts.kubectl ?? findKubectl();
  if (!kubectl) throw new Error(`kubectl not found: ${KUBECTL_INSTALL_HINT}`);
  const out = join(dir, opts.fileName ?? 'cluster-snapshot.yaml');
  const cluster = await startRecordedCluster(opts);
  // kubectl caches discovery under $HOME/.kube/cache; keep that cache out of the real home.
  const home = mkdtempSync(join(tmpdir(), 'recorded-cluster-home-'));
  try {
    await execa(kubectl, SNAPSHOT_ARGS, {
      env: { KUBECONFIG: cluster.kubeconfigPath, HOME: home },
      stdout: { file: out },
    });
    return out;
  } finally {
    await cluster.close();
    rmSync(home, { recursive: true, force: true });
  }
}
