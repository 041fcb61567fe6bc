/** Fixtures for the robustness tests: a throwaway Ed25519 key, envelopes built in memory, the built CLI. */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTOTO_PAYLOAD_TYPE, signEnvelope, type DsseEnvelope } from '../../src/attestation/dsse.js';
import { loadPublicKey, loadSigningKey, type PublicKeyInfo, type SigningKey } from '../../src/attestation/keys.js';
import { COLLECTION_PREDICATE_TYPE, STATEMENT_TYPE } from '../../src/attestation/statement.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cliMain = join(repoRoot, 'dist/cli/main.js');

export interface TestKey {
  readonly signing: SigningKey;
  readonly publicKey: PublicKeyInfo;
  readonly privatePem: string;
  readonly publicPem: string;
}

export function ed25519Key(): TestKey {
  const pair = generateKeyPairSync('ed25519');
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { signing: loadSigningKey(privatePem, 'key.pem'), publicKey: loadPublicKey(publicPem, 'key.pub.pem'), privatePem, publicPem };
}

/** A statement around any predicate (collection-shaped or not), for hostile-shape tests. */
export function statementWith(predicate: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { _type: STATEMENT_TYPE, subject: [], predicateType: COLLECTION_PREDICATE_TYPE, predicate, ...extra };
}

export function collection(name: string, attestations: unknown[]): Record<string, unknown> {
  return { name, attestations };
}

export function signStatement(statement: unknown, key: TestKey): DsseEnvelope {
  return signEnvelope(Buffer.from(JSON.stringify(statement)), INTOTO_PAYLOAD_TYPE, key.signing);
}

/** Deterministic filler so payloads need no randomness. */
function filler(index: number, length: number): string {
  const unit = `finding-${index}-`;
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/**
 * A genuine statement payload of at least `bytes` bytes: one collection carrying a SARIF-shaped
 * attestation with as many ~1 KB results as it takes, so the size comes from many JSON values, as
 * a large scanner report would.
 */
export function largeStatementPayload(bytes: number, step = 'big-scan'): Buffer {
  const results: unknown[] = [];
  const perResult = 1024;
  for (let i = 0; i * perResult < bytes; i++) results.push({ ruleId: `R${i % 100}`, level: 'warning', message: { text: filler(i, perResult - 80) } });
  const body = { report: { version: '2.1.0', runs: [{ tool: { driver: { name: 'bench' } }, results }] }, reportFileName: 'big.sarif', reportDigestSet: { sha256: '0'.repeat(64) } };
  const attestation = { type: 'https://aflock.ai/attestations/sarif/v0.1', attestation: body, starttime: '2026-01-01T00:00:00Z', endtime: '2026-01-01T00:00:01Z' };
  return Buffer.from(JSON.stringify(statementWith(collection(step, [attestation]))));
}

export function workDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

/** Runs the built CLI; the robustness tests need `npm run build:cli` first. */
export function runBuiltCli(args: string[], cwd: string = repoRoot): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run npm run build:cli first`);
  const result = spawnSync(process.execPath, [cliMain, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
