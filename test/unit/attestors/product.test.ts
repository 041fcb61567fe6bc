import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectMaterials } from '../../../src/attestors/material.js';
import { collectProducts, productKind } from '../../../src/attestors/product.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../../src/attestors/sensitive-env.js';
import { wallClockNs } from '../../../src/attestors/snapshot.js';
import type { MerkleTreeBody } from '../../../src/merkle/merkle.js';
import type { RunContext } from '../../../src/attestors/types.js';
import { cleanupTempDirs, tempDir } from '../run/support.js';

afterAll(cleanupTempDirs);

const NO_OUTPUT = { bytes: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', truncated: false };

function contextFor(dir: string): RunContext {
  const sink = { write: () => undefined };
  return { workingDir: dir, hashes: ['sha256'], env: {}, argv: ['true'], sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS, commandStdout: sink, commandStderr: sink };
}

describe('material and product', () => {
  it('products are new, changed or rewritten files; unchanged files are not', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'out'));
    for (const name of ['same.txt', 'changed.txt', 'rewritten.txt', 'deleted.txt']) writeFileSync(join(dir, name), `${name}\n`);
    const old = new Date(Date.now() - 60_000);
    for (const name of ['same.txt', 'changed.txt', 'rewritten.txt', 'deleted.txt']) utimesSync(join(dir, name), old, old);
    await new Promise((resolve) => setTimeout(resolve, 150));

    const context = contextFor(dir);
    const material = await collectMaterials(context);
    expect((material.body as MerkleTreeBody).treeSize).toBe(4);
    expect(material.subjects?.['tree:materials']?.sha256).toBe((material.body as MerkleTreeBody).merkleRoot);

    const command = { result: { argv: ['true'], exitCode: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), totals: { stdout: NO_OUTPUT, stderr: NO_OUTPUT } }, startNs: wallClockNs() };
    await new Promise((resolve) => setTimeout(resolve, 30));
    writeFileSync(join(dir, 'changed.txt'), 'different\n');
    writeFileSync(join(dir, 'rewritten.txt'), 'rewritten.txt\n');
    writeFileSync(join(dir, 'out/report.sarif'), '{}');
    writeFileSync(join(dir, 'bom.json'), '{"a":1}');
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'deleted.txt'));

    const product = await collectProducts(context, { ...material.produces, command });
    const body = product.body as MerkleTreeBody;
    expect([...(product.produces?.products?.keys() ?? [])].sort()).toEqual(['bom.json', 'changed.txt', 'out/report.sarif', 'rewritten.txt']);
    expect(body.leaves?.find((leaf) => leaf.path === 'out/report.sarif')?.kind).toBe('sarif');
    expect(body.leaves?.find((leaf) => leaf.path === 'bom.json')?.kind).toBe('cyclonedx');
    expect(product.subjects?.['tree:products']?.sha256).toBe(body.merkleRoot);
  });

  it('reports an empty product tree with the empty root and no leaves', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a'), 'a');
    const context = contextFor(dir);
    const material = await collectMaterials(context);
    const command = { result: { argv: ['true'], exitCode: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), totals: { stdout: NO_OUTPUT, stderr: NO_OUTPUT } }, startNs: wallClockNs() + 10_000_000_000n };
    const product = await collectProducts(context, { ...material.produces, command });
    expect(product.body).toEqual({ merkleRoot: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', treeSize: 0, hashAlgorithm: 'sha256', construction: 'RFC6962' });
  });

  it('infers leaf kinds from suffixes', () => {
    expect(productKind('x.slsa-provenance.json')).toBe('slsa-provenance');
    expect(productKind('A.INTOTO.JSONL')).toBe('intoto');
    expect(productKind('env.dsse')).toBe('intoto-dsse');
    expect(productKind('sbom.spdx.yml')).toBe('spdx');
    expect(productKind('x.cdx.xml')).toBe('cyclonedx');
    expect(productKind('r.sarif.json')).toBe('sarif');
    expect(productKind('v.csaf.json')).toBe('vex');
    expect(productKind('plain.json')).toBeUndefined();
  });
});
