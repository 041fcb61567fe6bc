/**
 * The examples runner itself: a seeded mismatch fails with a readable diff, and a "real" tool
 * that also has a stand-in is compared with the recording by control id. The "real" Kubescape
 * here is a wrapper around the stand-in, passed the way a maintainer passes a real binary
 * (KUBESCAPE_BIN), so these tests do not depend on the pinned one being installed.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogExamples } from './lib/catalog.js';
import { standInBin } from './lib/paths.js';
import { runExample } from './lib/run-example.js';
import { describeTier, installFailure } from './lib/tiers.js';
import { startService } from './lib/services.js';

const kubescape = catalogExamples('kubescape')[0]!;
const staticExample = kubescape.examples.find((e) => e.id === 'static-manifests')!;

afterEach(() => {
  delete process.env.KUBESCAPE_BIN;
});

function wrapper(body: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-fake-real-'));
  const file = path.join(dir, 'kubescape');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('examples runner', () => {
  it('fails a seeded mismatch with the example id, the command and a diff', async () => {
    const seeded = { ...staticExample, expect: { ...staticExample.expect, checks: { ...staticExample.expect.checks, 'sarif-results': '6' } } };
    const result = await runExample(seeded, kubescape.validate, startService);
    expect(result.ok).toBe(false);
    const report = result.failures.join('\n');
    expect(report).toContain('[kubescape/static-manifests] check sarif-results printed something else');
    expect(report).toContain("jq -r '.payload' attestation.json");
    expect(report).toMatch(/^-6$/m);
    expect(report).toMatch(/^\+4$/m);
  }, 120_000);

  it('compares a real Kubescape with the recording by control id (passes when they agree)', async () => {
    process.env.KUBESCAPE_BIN = wrapper(`exec "${path.join(standInBin, 'kubescape')}" "$@"`);
    const result = await runExample(staticExample, kubescape.validate, startService);
    expect(result.tiers.find((t) => t.program === 'kubescape')?.kind).toBe('real');
    expect(result.failures).toEqual([]);
  }, 120_000);

  it('reports the controls a real Kubescape found differently from the recording', async () => {
    // Drops the C-0030 finding from the replayed SARIF, as a Kubescape with other exceptions might.
    const drop = `node -e 'const f=require("fs"),p=process.argv[1],s=JSON.parse(f.readFileSync(p));s.runs[0].results=s.runs[0].results.filter(r=>r.ruleId!=="C-0030");f.writeFileSync(p,JSON.stringify(s,null,2))' kubescape.sarif`;
    process.env.KUBESCAPE_BIN = wrapper(`"${path.join(standInBin, 'kubescape')}" "$@" || exit $?\n${drop}`);
    const result = await runExample(staticExample, kubescape.validate, startService);
    const report = result.failures.join('\n');
    expect(report).toContain("found other controls than the stand-in's recording");
    expect(report).toContain('the SARIF report has 3 results, expected 4');
    expect(report).toMatch(/^-C-0030: 1$/m);
  }, 120_000);
});

describe('tiers', () => {
  it('names the reason a pinned tool is missing when tools:install failed to build it', () => {
    const tools = mkdtempSync(path.join(os.tmpdir(), 'cilock-tools-'));
    mkdirSync(path.join(tools, 'logs'));
    mkdirSync(path.join(tools, 'stamps'));
    writeFileSync(path.join(tools, 'logs', 'trivy.log'), 'go: building\nimports encoding/json/v2: build constraints exclude all Go files\n');
    const why = installFailure('trivy', tools);
    expect(why).toMatch(/^npm run tools:install could not build trivy v\d+\.\d+\.\d+ \(.*trivy\.log: imports encoding\/json\/v2: build constraints exclude all Go files\)$/);
    expect(describeTier({ program: 'trivy', kind: 'missing', notInstalled: why })).toBe(`trivy: missing; ${why}`);
    // a stamp means it was installed; a program no pin builds has no install to report
    writeFileSync(path.join(tools, 'stamps', 'trivy.json'), '{}');
    expect(installFailure('trivy', tools)).toBeUndefined();
    expect(installFailure('no-such-program', tools)).toBeUndefined();
  });
});
