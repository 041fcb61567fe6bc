import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, ftruncateSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { digestBytes, digestFile, parseHashes } from '../../../src/files/digest.js';
import { cleanupTempDirs, tempDir } from '../run/support.js';

afterAll(cleanupTempDirs);

describe('digests', () => {
  it('computes the spec examples for "hello\\n"', async () => {
    const dir = tempDir();
    const file = join(dir, 'hello');
    writeFileSync(file, 'hello\n');
    const expected = {
      'gitoid:sha1': 'gitoid:blob:sha1:ce013625030ba8dba906f756967f9e9ca394464a',
      'gitoid:sha256': 'gitoid:blob:sha256:2cf8d83d9ee29543b34a87727421fdecb7e3f3a183d337639025de576db9ebb4',
      sha1: 'f572d396fae9206628714fb2ce00f72e94f2258f',
      sha256: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03',
    };
    const all = ['sha256', 'sha1', 'gitoid:sha256', 'gitoid:sha1'] as const;
    expect(await digestFile(file, all)).toEqual(expected);
    expect(digestBytes(Buffer.from('hello\n'), all)).toEqual(expected);
    expect(Object.keys(await digestFile(file, all))).toEqual(Object.keys(expected).sort());
  });

  it('streams a large sparse file to the same digest sha256sum computes', async () => {
    const dir = tempDir();
    const file = join(dir, 'sparse.bin');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 48 * 1024 * 1024 + 17);
    writeSync(fd, Buffer.from('marker'), 0, 6, 20 * 1024 * 1024);
    closeSync(fd);
    const reference = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
    expect((await digestFile(file)).sha256).toBe(reference);
  });

  it('parses --hashes, always keeps sha256 and explains unsupported names', () => {
    expect(parseHashes([])).toEqual(['sha256']);
    expect(parseHashes(['sha1,gitoid:sha1'])).toEqual(['sha256', 'sha1', 'gitoid:sha1']);
    expect(() => parseHashes(['md5'])).toThrow(/unsupported hash "md5" in --hashes; use one or more of sha256, sha1, gitoid:sha256, gitoid:sha1/);
  });
});
