import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkTree } from '../../src/attestors/file-walk.js';
import { checkTreeBody, type MerkleTreeBody } from '../../src/merkle/merkle.js';
import { cleanupTempDirs, generateKey, tempDir } from '../unit/run/support.js';
import { runCilock } from '../unit/run/harness.js';

afterAll(cleanupTempDirs);

/** An absolute Buffer path: `dir` joined with raw name bytes. */
function bytePath(dir: string, ...names: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from(dir), ...names.flatMap((name) => [Buffer.from('/'), name])]);
}

describe('names that are not valid UTF-8', () => {
  it('are walked and recorded with lone-surrogate escapes, directories included', async () => {
    const root = tempDir();
    writeFileSync(bytePath(root, Buffer.from([0x70, 0xff])), 'X');
    mkdirSync(bytePath(root, Buffer.from([0x64, 0xfe])));
    writeFileSync(bytePath(root, Buffer.from([0x64, 0xfe]), Buffer.from('x')), 'Y');
    writeFileSync(join(root, 'plain-é.txt'), 'Z');
    // A name that looks like an escape in another scheme must not collide with the raw byte name.
    writeFileSync(join(root, 'p%FF'), 'W');

    const { files, skipped } = await walkTree(root);
    expect(skipped).toEqual([]);
    expect(files.map((file) => file.path).sort()).toEqual(['d\udcfe/x', 'p%FF', 'p\udcff', 'plain-é.txt'].sort());
    const raw = files.find((file) => file.path === 'p\udcff');
    expect(readFileSync(raw?.absolutePath ?? '', 'utf8')).toBe('X');
  });

  it('appear in materials and products of cilock run, and the trees verify', async () => {
    const keyDir = tempDir('cilock-keys-');
    const { privatePath } = generateKey(keyDir, 'ed25519');
    const dir = tempDir();
    mkdirSync(bytePath(dir, Buffer.from([0x64, 0xfe])));
    writeFileSync(bytePath(dir, Buffer.from([0x64, 0xfe]), Buffer.from('in')), 'input');
    const old = new Date(Date.now() - 60_000);
    utimesSync(bytePath(dir, Buffer.from([0x64, 0xfe]), Buffer.from('in')), old, old);
    const result = await runCilock(dir, { step: 'build', signerFileKeyPath: privatePath, outfile: 'att.json' }, ['sh', '-c', "printf X > \"$(printf 'p\\377')\""]);
    expect(result.error).toBeUndefined();
    expect(result.stderr).toMatch(/product — ran \(1 file\(s\) new or changed/);
    const envelope = JSON.parse(readFileSync(join(dir, 'att.json'), 'utf8')) as { payload: string };
    const payload = Buffer.from(envelope.payload, 'base64').toString('utf8');
    // The escape travels as a JSON \u escape, so the payload stays valid UTF-8.
    expect(payload).toContain('p\\udcff');
    const statement = JSON.parse(payload) as { predicate: { attestations: { type: string; attestation: MerkleTreeBody }[] } };
    const tree = (kind: string) => statement.predicate.attestations.find((a) => a.type.includes(`/${kind}/`))?.attestation as MerkleTreeBody;
    expect(tree('material').leaves?.map((leaf) => leaf.path)).toEqual(['d\udcfe/in']);
    expect(tree('product').leaves?.map((leaf) => leaf.path)).toEqual(['p\udcff']);
    expect(checkTreeBody(tree('material'))).toEqual([]);
    expect(checkTreeBody(tree('product'))).toEqual([]);
  });
});
