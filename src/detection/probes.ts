/**
 * Cloud-metadata and socket probes. They touch the network, so `cilock plan` runs them only when
 * asked (`--probe-cloud`); each has a 500 ms budget and any error counts as "not reachable".
 */
import net from 'node:net';
import type { CompiledEntry } from '../catalog/compiled.js';
import type { Predicate } from '../catalog/schema.js';
import { findKeys } from '../catalog/predicate-walk.js';

const TIMEOUT_MS = 500;

const METADATA_PROBES = {
  imds_reachable: { url: 'http://169.254.169.254/latest/api/token', headers: {} },
  gcp_metadata_reachable: { url: 'http://metadata.google.internal/computeMetadata/v1/', headers: { 'Metadata-Flavor': 'Google' } },
  azure_metadata_reachable: { url: 'http://169.254.169.254/metadata/instance?api-version=2021-02-01', headers: { Metadata: 'true' } },
} as const;

async function httpReachable(url: string, headers: Record<string, string>): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    return true; // any HTTP answer means something is there
  } catch {
    return false;
  }
}

function socketListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Runs every probe some entry's pre gate asks for, in parallel. */
export async function runProbes(entries: CompiledEntry[]): Promise<Map<string, boolean>> {
  const wanted = new Map<string, () => Promise<boolean>>();
  for (const entry of entries) {
    if (!entry.pre) continue;
    const predicates: Predicate[] = [entry.pre.match];
    for (const p of predicates) {
      for (const [, key] of findKeys(p, [])) {
        if (key in METADATA_PROBES) {
          const { url, headers } = METADATA_PROBES[key as keyof typeof METADATA_PROBES];
          wanted.set(key, () => httpReachable(url, headers));
        }
      }
      collectSockets(p, wanted);
    }
  }
  const results = new Map<string, boolean>();
  await Promise.all([...wanted].map(async ([name, probe]) => results.set(name, await probe())));
  return results;
}

function collectSockets(p: Predicate, wanted: Map<string, () => Promise<boolean>>): void {
  if (p.socket_listening !== undefined) {
    const port = p.socket_listening;
    wanted.set(`socket_listening:${port}`, () => socketListening(port));
  }
  for (const child of [...(p.any_of ?? []), ...(p.all_of ?? []), ...(p.not ? [p.not] : [])]) collectSockets(child, wanted);
}
