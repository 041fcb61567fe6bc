import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sarifSchemaErrors } from '../../../src/attestors/sarif/schema.js';
import { snapshotCluster } from '../../cluster/kubectl.js';
import { optedOut, requireTool } from '../../lib/system.js';
import { buildRecording, REPO_ROOT } from '../../stand-ins/kubescape/recorder.js';

const RECORDING = path.join(REPO_ROOT, 'test/stand-ins/kubescape/recordings/recorded-cluster-snapshot.json');

// The documented cluster flow: the real kubectl dumps the recorded cluster (test/cluster), the stand-in scans the dump.
describe.skipIf(optedOut('cluster'))('the recorded cluster’s snapshot (needs kubectl)', () => {
  let dir: string;
  let snapshot: string;

  beforeAll(async () => {
    requireTool('kubectl');
    dir = mkdtempSync(path.join(tmpdir(), 'kubescape-stand-in-cluster-'));
    snapshot = await snapshotCluster(dir);
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has an up-to-date recording (when this fails: npx tsx test/stand-ins/kubescape/record.ts --recorded-cluster --force)', () => {
    const { recording } = buildRecording([snapshot], { name: 'recorded-cluster-snapshot', frameworks: ['NSA'], cwd: dir });
    const { header, ...committed } = JSON.parse(readFileSync(RECORDING, 'utf8'));
    expect(header.recordedWith).toBe('npx tsx test/stand-ins/kubescape/record.ts --recorded-cluster');
    const fresh = JSON.parse(JSON.stringify(recording));
    delete fresh.header;
    expect(committed).toEqual(fresh);
  });

  it('is replayed for the documented scan of the dump', () => {
    const r = spawnSync(
      'sh',
      ['-c', 'kubescape scan framework nsa --format sarif --output kubescape-cluster.sarif cluster-snapshot.yaml'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${path.join(REPO_ROOT, 'test/stand-ins/bin')}${path.delimiter}${process.env.PATH ?? ''}` },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(dir, 'kubescape-cluster.sarif'), 'utf8'));
    expect(sarifSchemaErrors(doc)).toEqual([]);
    const results = doc.runs[0].results as { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    const recorded = JSON.parse(readFileSync(RECORDING, 'utf8')).inputs[0].results.length;
    expect(results).toHaveLength(recorded);
    expect(new Set(results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(new Set(['cluster-snapshot.yaml']));
  });
});
