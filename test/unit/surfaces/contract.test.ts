/**
 * The output contract: every JSON surface the built binary prints validates against the JSON
 * Schema the same binary prints for it (`tools export` → `surface_schemas`), with ajv, an
 * implementation independent of zod. The schemas are strict, so a field added to a surface
 * without being declared in src/surfaces/contract.ts fails here.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlanResult } from '../../../src/detection/plan.js';
import type { RunSummary } from '../../../src/cli/run-summary.js';
import type { PlanResultJson, RunSummaryJson, SurfaceName } from '../../../src/surfaces/contract.js';
import { cilock } from '../cli/cli-helpers.js';
import { cleanupTempDirs, generateKey, tempDir } from '../run/support.js';

// The printers' own types must fit the contract (checked by tsc; a drift is a compile error).
export const planFits = (p: PlanResult): PlanResultJson => p;
export const runFits = (r: RunSummary): RunSummaryJson => r;

let schemas: Record<SurfaceName, Record<string, unknown>>;
let exportText: string;
beforeAll(() => {
  const r = cilock(['tools', 'export', '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  exportText = r.stdout;
  schemas = (JSON.parse(r.stdout) as { surface_schemas: typeof schemas }).surface_schemas;
});

function check(surface: SurfaceName, stdout: string): void {
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schemas[surface]);
  const ok = validate(JSON.parse(stdout));
  expect(ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`), surface).toEqual([]);
}

describe('every JSON surface validates against the schema the binary prints', () => {
  it('names every surface', () => {
    expect(Object.keys(schemas).sort()).toEqual(['help', 'plan', 'run', 'tools-export', 'tools-list', 'tools-show', 'tools-test-plan', 'verify']);
  });

  it('tools export, list, test-plan and show of every entry', () => {
    check('tools-export', exportText);
    const exported = JSON.parse(exportText) as { help: unknown; show: Record<string, unknown> };
    check('help', JSON.stringify(exported.help));
    check('tools-list', cilock(['tools', 'list', '--format', 'json']).stdout);
    check('tools-test-plan', cilock(['tools', 'test-plan', '--format', 'json']).stdout);
    for (const name of Object.keys(exported.show)) check('tools-show', JSON.stringify(exported.show[name]));
    check('tools-show', cilock(['tools', 'show', 'kubescape', '--format', 'json']).stdout);
  });

  it('plan --format json, with a fire and a warning', () => {
    check('plan', cilock(['plan', '--format', 'json', '--', 'kubescape', 'scan', 'framework', 'nsa', 'manifests/']).stdout);
    check('plan', cilock(['plan', '--format', 'json', '--', 'echo', 'unrelated']).stdout);
  });

  it('run --json (with and without an outfile) and verify -o json (pass and fail)', () => {
    const dir = tempDir();
    const { privatePath, publicPath } = generateKey(dir, 'ed25519');
    const withFile = cilock(['run', '-s', 'build', '-k', privatePath, '-o', 'att.json', '--json', '--', 'echo', 'hi'], { cwd: dir });
    expect(withFile.status, withFile.stderr).toBe(0);
    check('run', withFile.stdout);
    const inline = cilock(['run', '-s', 'build', '-k', privatePath, '--json', '--', 'echo', 'hi'], { cwd: dir });
    check('run', inline.stdout);
    const pass = cilock(['verify', '-a', 'att.json', '-k', publicPath, '-o', 'json'], { cwd: dir });
    expect(pass.status, pass.stderr).toBe(0);
    check('verify', pass.stdout);
    writeFileSync(path.join(dir, 'other'), 'not a subject');
    const fail = cilock(['verify', '-a', 'att.json', '-k', publicPath, '-f', 'other', '-o', 'json'], { cwd: dir });
    expect(fail.status).not.toBe(0);
    check('verify', fail.stdout);
    cleanupTempDirs();
  });

  it('a field the contract does not declare is rejected (the schemas are strict)', () => {
    const validate = new Ajv2020({ strict: false }).compile(schemas['tools-show']);
    const entry = (JSON.parse(exportText) as { show: Record<string, Record<string, unknown>> }).show.kubescape!;
    expect(validate(entry)).toBe(true);
    expect(validate({ ...entry, undeclared: 1 })).toBe(false);
  });
});
