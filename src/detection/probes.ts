/**
 * Cloud-metadata and socket probes. They touch the network, so `cilock plan` runs them only when
 * asked (`--probe-cloud`); each has a 500 ms budget and any error counts as "not reachable".
 */
import net from 'node:net';
import type { CompiledEntry } from '../catalog/compiled.js';
import { walk } from '../catalog/predicate-walk.js';
import { definitionOf, nodeOf, type ProbeCheck } from './predicate-table.js';

const TIMEOUT_MS = 500;

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

function check(probe: ProbeCheck): Promise<boolean> {
  return 'http' in probe ? httpReachable(probe.http.url, probe.http.headers) : socketListening(probe.socket);
}

/** Runs every probe some entry's pre gate asks for (each predicate's entry names it), in parallel. */
export async function runProbes(entries: CompiledEntry[]): Promise<Map<string, boolean>> {
  const wanted = new Map<string, ProbeCheck>();
  for (const entry of entries) {
    if (!entry.pre) continue;
    for (const [node] of walk(entry.pre.match, [])) {
      const found = nodeOf(node);
      const probe = found && definitionOf(found.key).probe?.(found.value);
      if (probe) wanted.set(probe.id, probe.check);
    }
  }
  const results = new Map<string, boolean>();
  await Promise.all([...wanted].map(async ([id, probe]) => results.set(id, await check(probe))));
  return results;
}
