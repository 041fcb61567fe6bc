// A recorded Kubernetes API server for tests: serves test/cluster/state/ over plain http
// on 127.0.0.1 so the real kubectl can read it, and writes a kubeconfig pointing at it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleApiRequest } from './api.js';
import { writeKubeconfig } from './kubeconfig.js';
import { DEFAULT_STATE_DIR, loadState } from './state.js';

export interface RecordedClusterOptions {
  /** Folder with the recorded state (default: test/cluster/state). */
  stateDir?: string;
  /** Largest page served whatever `limit` kubectl sends (kubectl sends 500); forces paging when small. */
  maxPageSize?: number;
  /** Serve aggregated discovery (apidiscovery.k8s.io/v2) when asked for it (default true). */
  aggregatedDiscovery?: boolean;
  /** Namespace of the kubeconfig's context (default "default"). */
  namespace?: string;
  /** Called with one line per request: `GET /api/v1/pods?limit=500 200 (accept: …; client: …)`. */
  log?: (line: string) => void;
}

export interface RecordedCluster {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** A kubeconfig in a temporary folder whose current context points at `url`. */
  kubeconfigPath: string;
  /** Every request so far as `METHOD path?query`, in arrival order. */
  requests: string[];
  /** Stops the server and removes the kubeconfig's folder. */
  close(): Promise<void>;
}

/** Set RECORDED_CLUSTER_LOG=1 to print every request on stderr. */
function defaultLog(): ((line: string) => void) | undefined {
  return process.env.RECORDED_CLUSTER_LOG ? (line) => process.stderr.write(`[recorded-cluster] ${line}\n`) : undefined;
}

export async function startRecordedCluster(opts: RecordedClusterOptions = {}): Promise<RecordedCluster> {
  const state = loadState(opts.stateDir ?? DEFAULT_STATE_DIR);
  const log = opts.log ?? defaultLog();
  const requests: string[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    requests.push(`${method} ${url}`);
    let code = 500;
    try {
      const answer = handleApiRequest(state, { method, url, accept: req.headers.accept }, opts);
      code = answer.code;
      const body = JSON.stringify(answer.body);
      res.writeHead(answer.code, {
        'Content-Type': answer.contentType,
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-cache, private',
      });
      res.end(method === 'HEAD' ? undefined : body);
    } catch (err) {
      const message = `recorded cluster failed on ${method} ${url}: ${(err as Error).message}`;
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500,
      }));
    }
    log?.(`${method} ${url} ${code} (accept: ${req.headers.accept ?? '-'}; client: ${req.headers['user-agent'] ?? '-'})`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'recorded-cluster-'));
  const kubeconfigPath = writeKubeconfig(dir, url, opts.namespace);
  log?.(`serving ${opts.stateDir ?? DEFAULT_STATE_DIR} at ${url}, kubeconfig ${kubeconfigPath}`);

  let closed: Promise<void> | undefined;
  return {
    url,
    kubeconfigPath,
    requests,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => {
          rmSync(dir, { recursive: true, force: true });
          if (err) reject(err);
          else resolve();
        });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
