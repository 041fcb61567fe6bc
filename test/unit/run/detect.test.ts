import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chooseAttestors, detect, type DetectionDeps } from '../../../src/cli/run-detect.js';
import type { PlanResult } from '../../../src/detection/plan.js';
import { planInvocation } from '../../../src/detection/plan.js';
import { inferStep, suggestedAttestors } from '../../../src/detection/run-line.js';
import { loadCatalog } from '../../../src/catalog/load.js';
import { compileCatalog } from '../../../src/catalog/compile.js';
import { checkOutfile, writeFileAtomically } from '../../../src/cli/run-output.js';
import { cleanupTempDirs, listDir, tempDir } from './support.js';

afterAll(cleanupTempDirs);

function fakePlan(fire: { attestor: string; matched_rule: string }[]): PlanResult {
  return {
    plan: { gate: 'pre', fire: fire.map((f) => ({ ...f, gate: 'pre' as const })), skip: [], warnings: [], inputs: { argv: [], env_keys_observed: [], named_probes: {}, trace_mode: 'off', exit_code: 0 } },
    trace_recommendation: { mode: 'off', reasons: {} },
    ignore_exit_code_recommended: false,
    suggested_run: { step: '<step>', attestations: [], command: '' },
    summary: { fired: fire.map((f) => f.attestor), skipped: 0, warnings: 0 },
  };
}

describe('run detection with an injected plan', () => {
  const deps = (suggested: string[], step?: string): DetectionDeps => ({
    loadCatalog: () => ({}) as never,
    planInvocation: async () => fakePlan([{ attestor: 'kubescape', matched_rule: 'argv_prefix:kubescape' }, { attestor: 'git', matched_rule: 'file_exists:.git/HEAD' }]),
    suggestedAttestors: () => suggested,
    inferStep: () => step,
  });

  it('maps fired tools to the attestors this cilock runs and reports what fired', async () => {
    const detection = await detect({ argv: ['kubescape', 'scan'], env: {}, cwd: '/w' }, deps(['git', 'sarif', 'sbom'], 'compliance-scan'));
    expect(detection.attestors).toEqual(['git', 'sarif']);
    expect(detection.step).toBe('compliance-scan');
    expect(detection.notes[0]).toBe('detection fired: kubescape (argv_prefix:kubescape), git (file_exists:.git/HEAD)');
    expect(detection.notes[1]).toMatch(/suggested sbom, which this cilock cannot run; ignored/);
  });

  it('falls back to the defaults when the catalog cannot be loaded', async () => {
    const broken: DetectionDeps = { ...deps([]), loadCatalog: () => { throw new Error('no bundle'); } };
    const detection = await detect({ argv: ['x'], env: {}, cwd: '/w' }, broken);
    expect(detection.attestors).toEqual([]);
    expect(detection.notes[0]).toMatch(/detection unavailable \(no bundle\); using the defaults/);
  });

  it('uses -a exactly when given, otherwise the defaults plus detection', () => {
    expect(chooseAttestors(['git'], { attestors: ['sarif'], notes: [] })).toEqual({ names: ['git'] });
    expect(chooseAttestors(undefined, { attestors: ['sarif', 'git'], notes: [] })).toEqual({ names: ['environment', 'sarif', 'git'], note: 'no -a given: attaching environment (default) + sarif, git (detected)' });
  });
});

describe('run detection with the real catalog', () => {
  it('attaches sarif for kubescape (a catalog-only tool that emits SARIF)', async () => {
    const root = resolve(import.meta.dirname, '../../..');
    const catalog = compileCatalog(loadCatalog(root));
    const dir = tempDir();
    mkdirSync(join(dir, 'manifests'));
    const detection = await detect(
      { argv: ['kubescape', 'scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'kubescape.sarif', 'manifests/'], env: {}, cwd: dir },
      { loadCatalog: () => catalog, planInvocation, suggestedAttestors, inferStep },
    );
    expect(detection.attestors).toContain('sarif');
    expect(detection.notes[0]).toMatch(/detection fired: .*kubescape/);
  });
});

describe('outfile writing', () => {
  it('replaces the file atomically and refuses a directory, leaving no temporary file', async () => {
    const dir = tempDir();
    const target = { path: join(dir, 'att.json'), shown: 'att.json' };
    await writeFileAtomically(target, 'first');
    await writeFileAtomically(target, 'second');
    expect(readFileSync(target.path, 'utf8')).toBe('second');
    expect(listDir(dir)).toEqual(['att.json']);
    const blocked = { path: join(dir, 'blocked'), shown: 'blocked' };
    mkdirSync(blocked.path);
    writeFileSync(join(blocked.path, 'keep'), 'x');
    await expect(writeFileAtomically(blocked, 'data')).rejects.toThrow(/--outfile blocked is a directory/);
    expect(listDir(dir)).toEqual(['att.json', 'blocked']);
    await expect(checkOutfile(blocked, { workingDir: tempDir(), overwriteMaterial: false })).rejects.toThrow(/--outfile blocked is a directory/);
  });
});
