/**
 * `cilock sign` through the built CLI: the envelope covers the file's exact bytes under the
 * upstream policy payload type (checked by openssl, an implementation independent of ours), is
 * written atomically, and every bad input is refused with nothing written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pae } from '../../../src/attestation/pae.js';
import { WITNESS_POLICY_PAYLOAD_TYPE } from '../../../src/attestation/payload-types.js';
import { needsTool } from '../../lib/system.js';
import { cleanupTempDirs, generateKey, listDir, openssl, tempDir } from '../run/support.js';

const cli = resolve(import.meta.dirname, '../../../dist/cli/main.js');
needsTool('openssl');
beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build:cli (npm test builds it first)`);
});
afterAll(cleanupTempDirs);

function cilock(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Odd but valid JSON: the payload must be these bytes, not a re-serialisation.
const POLICY = '{ "expires": "2099-01-01T00:00:00Z",\n  "steps": {"b": {"name": "b"}} , "x": "\\u00e9<&>" }\n';

describe('cilock sign', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    generateKey(dir, 'ed25519', 'key');
    writeFileSync(join(dir, 'policy.json'), POLICY);
  });

  it('signs the exact bytes under the upstream policy type; openssl verifies the PAE signature', () => {
    const r = cilock(['sign', '-k', 'key.pem', '-f', 'policy.json', '-o', 'policy.signed.json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const text = readFileSync(join(dir, 'policy.signed.json'), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    const envelope = JSON.parse(text) as { payload: string; payloadType: string; signatures: { keyid: string; sig: string }[] };
    expect(Object.keys(envelope)).toEqual(['payload', 'payloadType', 'signatures']);
    expect(envelope.payloadType).toBe(WITNESS_POLICY_PAYLOAD_TYPE);
    expect(Buffer.from(envelope.payload, 'base64').toString('utf8')).toBe(POLICY);
    const keyid = openssl(['dgst', '-sha256', '-r', join(dir, 'key.pub.pem')]).split(' ')[0];
    expect(envelope.signatures).toHaveLength(1);
    expect(envelope.signatures[0]!.keyid).toBe(keyid);
    writeFileSync(join(dir, 'pae.bin'), pae(envelope.payloadType, Buffer.from(POLICY)));
    writeFileSync(join(dir, 'sig.bin'), Buffer.from(envelope.signatures[0]!.sig, 'base64'));
    expect(openssl(['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'key.pub.pem'), '-rawin', '-in', join(dir, 'pae.bin'), '-sigfile', join(dir, 'sig.bin')])).toMatch(/Verified Successfully/);
  });

  it('writes to stdout without -o, and takes any payload type with -t', () => {
    writeFileSync(join(dir, 'notes.txt'), 'not json');
    const r = cilock(['sign', '--signer-file-key-path', 'key.pem', '--infile', 'notes.txt', '--datatype', 'text/plain'], dir);
    expect(r.code, r.stderr).toBe(0);
    const envelope = JSON.parse(r.stdout) as { payload: string; payloadType: string };
    expect(envelope).toMatchObject({ payloadType: 'text/plain', payload: Buffer.from('not json').toString('base64') });
  });

  it('signs with an encrypted key given its passphrase, and refuses it without one (exit 1)', () => {
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-aes-256-cbc', '-pass', 'pass:s3cret', '-out', join(dir, 'enc.pem')]);
    const without = cilock(['sign', '-k', 'enc.pem', '-f', 'policy.json', '-o', 'enc.signed.json'], dir, { ...process.env, AFLOCK_KEY_PASSPHRASE: '' });
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/cilock: key file enc\.pem is encrypted and no passphrase was given/);
    expect(existsSync(join(dir, 'enc.signed.json'))).toBe(false);
    const withIt = cilock(['sign', '-k', 'enc.pem', '-f', 'policy.json', '-o', 'enc.signed.json', '--signer-file-key-passphrase', 's3cret'], dir);
    expect(withIt.code, withIt.stderr).toBe(0);
  });

  describe('bad input is refused with a clear message and nothing written', () => {
    let work: string;
    beforeAll(() => {
      work = tempDir();
      generateKey(work, 'ed25519', 'key');
      writeFileSync(join(work, 'policy.json'), POLICY);
      writeFileSync(join(work, 'broken.json'), '{"steps": ');
      writeFileSync(join(work, 'array.json'), '[1, 2]');
      mkdirSync(join(work, 'out-dir'));
    });
    it.each([
      [['-k', 'key.pem', '-o', 'x.json'], 2, /no file to sign: pass -f\/--infile FILE/],
      [['-f', 'policy.json', '-o', 'x.json'], 2, /no signing key: pass -k\/--signer-file-key-path/],
      [['-k', 'key.pem', '-f', 'missing.json', '-o', 'x.json'], 2, /cannot read -f\/--infile missing\.json: ENOENT/],
      [['-k', 'nokey.pem', '-f', 'policy.json', '-o', 'x.json'], 2, /cannot read key file nokey\.pem: ENOENT/],
      [['-k', 'key.pub.pem', '-f', 'policy.json', '-o', 'x.json'], 1, /holds a public key, but signing needs the private key/],
      [['-k', 'key.pem', '-f', 'broken.json', '-o', 'x.json'], 2, /broken\.json is not JSON .*policy; fix the file, or pass -t\/--datatype/],
      [['-k', 'key.pem', '-f', 'array.json', '-o', 'x.json'], 2, /array\.json is JSON but not an object/],
      [['-k', 'key.pem', '-f', 'policy.json', '-o', 'policy.json'], 2, /is the file being signed; writing the envelope over it would lose the original/],
      [['-k', 'key.pem', '-f', 'policy.json', '-o', 'out-dir'], 2, /--outfile out-dir is a directory/],
      [['-k', 'key.pem', '-f', 'policy.json', '-o', 'no/such/dir/x.json'], 1, /cannot write --outfile no\/such\/dir\/x\.json: ENOENT/],
    ])('%j exits %i', (args, code, message) => {
      const before = listDir(work);
      const r = cilock(['sign', ...args], work);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(code);
      expect(r.stdout).toBe('');
      expect(listDir(work)).toEqual(before);
      expect(readFileSync(join(work, 'policy.json'), 'utf8')).toBe(POLICY);
    });
  });
});
