/**
 * bin/prebuilt.mjs: a script runs from a cached bundle that is rebuilt exactly when one of its
 * inputs changed, and each module keeps its own import.meta.url inside the bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleIfStale } from '../../../bin/prebuilt.mjs';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'prebuilt-test-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  // the cached bundle of the entry below (named after its path, as bin/prebuilt.mjs names it)
  const name = path.relative(repoRoot, path.join(scratch, 'entry')).replace(/[^A-Za-z0-9]+/g, '-');
  rmSync(path.join(repoRoot, 'node_modules/.cache/cilock-prebuilt', name), { recursive: true, force: true });
});

describe('bundleIfStale', () => {
  it('builds once, then only again when an input changes', async () => {
    const src = path.join(scratch, 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'a.ts'), "import { b } from './b.js';\nexport const a: string = `a${b}`;\n");
    writeFileSync(path.join(src, 'b.ts'), "export const b = 'b';\n");
    const options = { outdir: path.join(scratch, 'out'), absWorkingDir: repoRoot, entryPoints: { main: path.join(src, 'a.ts') }, bundle: true, format: 'esm' as const, platform: 'node' as const };
    expect(await bundleIfStale(options)).toBe(true);
    expect(await bundleIfStale(options)).toBe(false);
    writeFileSync(path.join(src, 'b.ts'), "export const b = 'B';\n");
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(src, 'b.ts'), later, later);
    expect(await bundleIfStale(options)).toBe(true);
    expect(readFileSync(path.join(scratch, 'out/main.js'), 'utf8')).toContain('"B"');
    expect(await bundleIfStale({ ...options, minifyWhitespace: true })).toBe(true); // other options, other bundle
    writeFileSync(path.join(scratch, 'out/.inputs.json'), '{ damaged');
    expect(await bundleIfStale({ ...options, minifyWhitespace: true })).toBe(true); // a damaged stamp is a stale one
    expect(await bundleIfStale({ ...options, minifyWhitespace: true })).toBe(false);
  });
});

describe('node bin/prebuilt.mjs', () => {
  it('runs the entry with its arguments and its own import.meta.url', () => {
    const entry = path.join(scratch, 'entry.ts');
    writeFileSync(entry, "const n: number = process.argv.length;\nconsole.log(JSON.stringify({ url: import.meta.url, args: process.argv.slice(2), n }));\n");
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/prebuilt.mjs'), entry, 'x', '--y'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { url: string; args: string[] };
    expect(out.url).toBe(`file://${entry}`);
    expect(out.args).toEqual(['x', '--y']);
  });

  it('says what is wrong with a missing entry (exit 2)', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/prebuilt.mjs'), 'no/such.ts'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('prebuilt: no such file no/such.ts');
  });
});
