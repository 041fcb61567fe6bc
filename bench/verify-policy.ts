/**
 * `cilock verify ARTIFACT -p policy.signed.json -k policy.pub.pem -a build.att.json` over one
 * envelope whose material and product trees hold 5,000 files each (the artifact is one product
 * leaf), with the built CLI, beside bare `node -e 0` and the key-only verify of the same envelope.
 * Median wall time of 10 runs each, printed as ratios to `node -e 0`.
 *
 *   npx tsx bench/verify-policy.ts
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTOTO_PAYLOAD_TYPE, signEnvelope } from '../src/attestation/dsse.js';
import { WITNESS_POLICY_PAYLOAD_TYPE } from '../src/attestation/payload-types.js';
import { buildStatement, COLLECTION_PREDICATE_TYPE, statementBytes } from '../src/attestation/statement.js';
import { MATERIAL_V03_TYPE, PRODUCT_V03_TYPE } from '../src/attestation/verify.js';
import { buildTreeBody } from '../src/merkle/merkle.js';
import { ed25519Key } from '../test/robustness/support.js';
import { fmt, medianOf, runAsScript, table } from './timing.js';

const FILES = 5_000;
const RUNS = 10;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/main.js');

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function main(): Promise<{ nodeMs: number; keyOnlyMs: number; policyMs: number }> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build:cli first`);
  const work = mkdtempSync(join(tmpdir(), 'cilock-bench-verify-policy-'));
  try {
    const functionary = ed25519Key();
    const policySigner = ed25519Key();
    const files = (prefix: string) => Array.from({ length: FILES }, (_, i) => ({ path: `${prefix}/file-${i}.txt`, sha256: sha256(`${prefix} ${i}\n`) }));
    const materials = buildTreeBody(files('src'), { omitEmptyLeaves: false });
    const products = buildTreeBody(files('dist'), { omitEmptyLeaves: true });
    const at = new Date().toISOString();
    const statement = buildStatement(
      { [`${MATERIAL_V03_TYPE}/tree:materials`]: { sha256: materials.merkleRoot }, [`${PRODUCT_V03_TYPE}/tree:products`]: { sha256: products.merkleRoot } },
      COLLECTION_PREDICATE_TYPE,
      { name: 'build', attestations: [{ type: MATERIAL_V03_TYPE, attestation: materials, starttime: at, endtime: at }, { type: PRODUCT_V03_TYPE, attestation: products, starttime: at, endtime: at }] },
    );
    const envelope = join(work, 'build.att.json');
    writeFileSync(envelope, JSON.stringify(signEnvelope(statementBytes(statement), INTOTO_PAYLOAD_TYPE, functionary.signing)));
    const keyid = functionary.publicKey.keyid;
    const policy = {
      expires: '2099-01-01T00:00:00Z',
      publickeys: { [keyid]: { keyid, key: Buffer.from(functionary.publicPem).toString('base64') } },
      steps: { build: { name: 'build', functionaries: [{ type: 'publickey', publickeyid: keyid }], attestations: [{ type: MATERIAL_V03_TYPE }, { type: PRODUCT_V03_TYPE }] } },
    };
    const signedPolicy = join(work, 'policy.signed.json');
    writeFileSync(signedPolicy, JSON.stringify(signEnvelope(Buffer.from(JSON.stringify(policy)), WITNESS_POLICY_PAYLOAD_TYPE, policySigner.signing)));
    writeFileSync(join(work, 'policy.pub.pem'), policySigner.publicPem);
    writeFileSync(join(work, 'functionary.pub.pem'), functionary.publicPem);
    // The artifact: the last product, so the leaf search walks the whole tree.
    const artifact = join(work, 'file-4999.txt');
    writeFileSync(artifact, `dist ${FILES - 1}\n`);

    const policyArgs = [cli, 'verify', artifact, '-p', signedPolicy, '-k', join(work, 'policy.pub.pem'), '-a', envelope];
    const check = spawnSync(process.execPath, policyArgs, { encoding: 'utf8' });
    if (check.status !== 0 || !check.stderr.includes('as a product leaf "dist/file-4999.txt"')) throw new Error(`the benchmark's verify did not bind the artifact: ${check.stderr}${check.stdout.slice(-2000)}`);

    const nodeMs = medianOf(RUNS, process.execPath, ['-e', '0']);
    const keyOnlyMs = medianOf(RUNS, process.execPath, [cli, 'verify', '-a', envelope, '-k', join(work, 'functionary.pub.pem')]);
    const policyMs = medianOf(RUNS, process.execPath, policyArgs);
    process.stdout.write(
      `\n## cilock verify with a signed policy and an artifact, one envelope of ${FILES.toLocaleString('en-US')} material + ${FILES.toLocaleString('en-US')} product leaves (${(statSync(envelope).size / 1e6).toFixed(1)} MB), median of ${RUNS} runs\n${table([
        ['command', 'median', 'ratio to node -e 0'],
        ['node -e 0', fmt(nodeMs), '1.00×'],
        ['cilock verify -a build.att.json -k functionary.pub.pem (key-only)', fmt(keyOnlyMs), `${(keyOnlyMs / nodeMs).toFixed(2)}×`],
        ['cilock verify ARTIFACT -p policy.signed.json -k policy.pub.pem -a build.att.json', fmt(policyMs), `${(policyMs / nodeMs).toFixed(2)}×`],
      ])}\n`,
    );
    return { nodeMs, keyOnlyMs, policyMs };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, 'verify-policy', main);
