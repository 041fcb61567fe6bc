import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sarifSchemaErrors } from '../../../src/attestors/sarif/schema.js';
import { snapshotCluster } from '../../cluster/kubectl.js';
import { optedOut, requireTool } from '../../lib/system.js';
import { captureRecording, PINNED_KUBESCAPE, PINNED_KUBESCAPE_BIN } from '../../stand-ins/kubescape/capture.js';
import { inputKeyOfFile } from '../../stand-ins/kubescape/keying.mjs';
import { REPO_ROOT } from '../../stand-ins/kubescape/recorder.js';

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

  it('has a recording of the cluster as it is (when this fails: npx tsx test/stand-ins/kubescape/record.ts --real --recorded-cluster --force)', () => {
    const { header, inputs } = JSON.parse(readFileSync(RECORDING, 'utf8'));
    expect(header.recordedWith).toBe('npx tsx test/stand-ins/kubescape/record.ts --real --recorded-cluster');
    expect(inputs.map((i: { key: unknown }) => i.key)).toEqual([inputKeyOfFile(snapshot)]);
  });

  // With the pinned real Kubescape (npm run tools:install) the recording must equal a fresh capture;
  // without it, the key above is what can be checked, and the title says so.
  const real = existsSync(PINNED_KUBESCAPE_BIN);
  it(`${real ? 'equals a fresh capture from the real' : 'cannot be compared with a fresh capture (no'} Kubescape ${PINNED_KUBESCAPE}${real ? '' : ' in .tools: npm run tools:install)'}`, () => {
    if (!real) return;
    const fresh = captureRecording([snapshot], { name: 'recorded-cluster-snapshot', framework: 'nsa', frameworks: ['NSA'], cwd: dir, bin: PINNED_KUBESCAPE_BIN });
    const { header, ...committed } = JSON.parse(readFileSync(RECORDING, 'utf8'));
    const { header: freshHeader, ...rest } = JSON.parse(JSON.stringify(fresh));
    expect(header.origin).toBe(freshHeader.origin);
    expect(committed).toEqual(rest);
  }, 120_000);

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
