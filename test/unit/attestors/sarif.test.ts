import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectSarif, type SarifBody } from '../../../src/attestors/sarif.js';
import { sarifSchemaErrors } from '../../../src/attestors/sarif/schema.js';
import { pathsNamedInArgv, selectSarif } from '../../../src/attestors/sarif/select.js';
import { digestFile } from '../../../src/files/digest.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../../src/attestors/sensitive-env.js';
import type { ProductFile, RunContext } from '../../../src/attestors/types.js';
import { cleanupTempDirs, tempDir, VALID_SARIF } from '../run/support.js';

afterAll(cleanupTempDirs);

const INVALID_SARIF = { version: '2.1.0', runs: [{ results: [{ message: 'not an object' }] }] };

async function productsIn(dir: string, files: Record<string, unknown>): Promise<Map<string, ProductFile>> {
  const products = new Map<string, ProductFile>();
  for (const [path, content] of Object.entries(files)) {
    const absolutePath = join(dir, path);
    writeFileSync(absolutePath, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    products.set(path, { path, absolutePath, digest: await digestFile(absolutePath) });
  }
  return products;
}

function contextFor(dir: string, argv: string[], extra: Partial<RunContext> = {}): RunContext {
  const sink = { write: () => undefined };
  return { workingDir: dir, hashes: ['sha256'], env: {}, argv, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS, commandStdout: sink, commandStderr: sink, ...extra };
}

describe('SARIF schema validation (vendored 2.1.0 schema, ajv draft-07)', () => {
  it('accepts a valid log and explains an invalid one', () => {
    expect(sarifSchemaErrors(VALID_SARIF)).toEqual([]);
    const errors = sarifSchemaErrors(INVALID_SARIF);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(/\/runs\/0/);
  });
});

describe('sarif selection', () => {
  it('finds paths named in argv, including --flag=value and a tool-appended .sarif', () => {
    const named = pathsNamedInArgv(['kubescape', 'scan', '--output', 'kubescape.sarif', '--out=reports/r', 'manifests/'], '/w');
    expect(named.has('kubescape.sarif')).toBe(true);
    expect(named.has('reports/r.sarif')).toBe(true);
    expect(named.has('manifests')).toBe(true);
  });

  it('prefers the argv-named product, then the single valid one, and errors on ambiguity', () => {
    const a = { path: 'a.sarif', problems: [] };
    const b = { path: 'b.sarif', problems: [] };
    const bad = { path: 'bad.sarif', problems: ['/runs/0: must have required property tool'] };
    expect(selectSarif([a, b], new Set(['b.sarif']))).toMatchObject({ kind: 'chosen', candidate: b });
    expect(selectSarif([a, bad], new Set())).toMatchObject({ kind: 'chosen', candidate: a, reason: 'the only valid SARIF product' });
    const ambiguous = selectSarif([a, b], new Set());
    expect(ambiguous.kind).toBe('error');
    expect(ambiguous.kind === 'error' && ambiguous.message).toMatch(/found 2 SARIF products \("a\.sarif", "b\.sarif"\) and none is named on the command line.*pass --attestor-sarif-report <file>/);
    const namedInvalid = selectSarif([a, bad], new Set(['bad.sarif']));
    expect(namedInvalid.kind === 'error' && namedInvalid.message).toMatch(/the SARIF file named on the command line "bad\.sarif" is not valid SARIF 2\.1\.0/);
    expect(selectSarif([], new Set())).toEqual({ kind: 'none' });
  });
});

describe('sarif attestor', () => {
  it('embeds the report named by --output even when the tool appended .sarif', async () => {
    const dir = tempDir();
    const products = await productsIn(dir, { 'results.sarif': VALID_SARIF, 'other.sarif': VALID_SARIF, 'notes.json': { a: 1 } });
    const output = await collectSarif(contextFor(dir, ['scanner', '--format', 'sarif', '--output', 'results']), { products: products });
    const body = output.body as SarifBody;
    expect(body.reportFileName).toBe('results.sarif');
    expect(body.report).toEqual(VALID_SARIF);
    expect(body.reportDigestSet).toEqual(products.get('results.sarif')?.digest);
  });

  it('sniffs a .json SARIF product', async () => {
    const dir = tempDir();
    const products = await productsIn(dir, { 'scan.json': VALID_SARIF, 'package.json': { name: 'x' } });
    const body = (await collectSarif(contextFor(dir, ['scanner']), { products: products })).body as SarifBody;
    expect(body.reportFileName).toBe('scan.json');
  });

  it('fails with the file names when several candidates have no winner', async () => {
    const dir = tempDir();
    const products = await productsIn(dir, { 'one.sarif': VALID_SARIF, 'two.sarif': VALID_SARIF });
    await expect(collectSarif(contextFor(dir, ['scanner']), { products: products })).rejects.toThrow(/"one\.sarif", "two\.sarif".*--attestor-sarif-report/);
  });

  it('fails on an invalid SARIF file and says how to fix it', async () => {
    const dir = tempDir();
    const products = await productsIn(dir, { 'k.sarif': INVALID_SARIF });
    await expect(collectSarif(contextFor(dir, ['scanner', '-o', 'k.sarif']), { products: products })).rejects.toThrow(/"k\.sarif" is not valid SARIF 2\.1\.0: .*Fix the tool's output/);
    const broken = await productsIn(dir, { 'broken.sarif': '{ not json' });
    await expect(collectSarif(contextFor(dir, ['scanner']), { products: broken })).rejects.toThrow(/"broken\.sarif" is not valid SARIF 2\.1\.0: it is not JSON/);
  });

  it('uses --attestor-sarif-report and refuses a file the run did not write', async () => {
    const dir = tempDir();
    const products = await productsIn(dir, { 'one.sarif': VALID_SARIF, 'two.sarif': VALID_SARIF });
    const body = (await collectSarif(contextFor(dir, ['scanner'], { sarifReport: 'two.sarif' }), { products: products })).body as SarifBody;
    expect(body.reportFileName).toBe('two.sarif');
    writeFileSync(join(dir, 'old.sarif'), JSON.stringify(VALID_SARIF));
    await expect(collectSarif(contextFor(dir, ['scanner'], { sarifReport: 'old.sarif' }), { products: products })).rejects.toThrow(/--attestor-sarif-report "old\.sarif" was not written or changed by this run/);
    await expect(collectSarif(contextFor(dir, ['scanner'], { sarifReport: 'missing.sarif' }), { products: products })).rejects.toThrow(/does not exist after the command ran/);
  });

  const NOTHING = { bytes: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', truncated: false };
  it('is skipped, not failed, when a failed command wrote no SARIF', async () => {
    const dir = tempDir();
    const command = { result: { argv: ['scanner'], exitCode: 2, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), totals: { stdout: NOTHING, stderr: NOTHING } }, startNs: 0n };
    await expect(collectSarif(contextFor(dir, ['scanner']), { products: new Map(), command })).rejects.toMatchObject({ name: 'AttestorSkipped' });
    await expect(collectSarif(contextFor(dir, ['scanner']), { products: new Map() })).rejects.toThrow(/no SARIF report to attest: the command wrote no files/);
  });
});
