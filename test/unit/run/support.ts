/** Shared fixtures for the attestation, attestor, run and verify tests: temp dirs, keys, output sinks. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

/** A fresh temporary directory, removed by `cleanupTempDirs`. */
export function tempDir(prefix = 'cilock-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}) });
}

export type KeyKind = 'ed25519' | 'p256' | 'p384' | 'rsa';

/** Generates a PKCS#8 private key with openssl (an implementation independent of ours) and its public key. */
export function generateKey(dir: string, kind: KeyKind, name: string = kind): { privatePath: string; publicPath: string } {
  const privatePath = join(dir, `${name}.pem`);
  const publicPath = join(dir, `${name}.pub.pem`);
  const args: Record<KeyKind, string[]> = {
    ed25519: ['-algorithm', 'ed25519'],
    p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
    rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  };
  openssl(['genpkey', ...args[kind], '-out', privatePath]);
  openssl(['pkey', '-in', privatePath, '-pubout', '-out', publicPath]);
  return { privatePath, publicPath };
}

/** A sink that keeps everything written to it. */
export class CaptureSink {
  private readonly chunks: Buffer[] = [];
  write(chunk: Uint8Array | string): boolean {
    this.chunks.push(Buffer.from(chunk));
    return true;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Creates a git repository with one commit in `dir`. */
export function initGitRepo(dir: string, files: Record<string, string> = { 'README.md': 'readme\n' }): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com', GIT_AUTHOR_DATE: '2026-07-01T09:30:00+02:00', GIT_COMMITTER_DATE: '2026-07-01T09:30:00+02:00' } });
  git('init', '-q', '-b', 'main');
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  git('add', '.');
  git('commit', '-q', '-m', 'first commit');
}

/** Files in `dir` (non-recursive), to assert that nothing (not even a temp file) was left behind. */
export function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** A small SARIF 2.1.0 log that validates against the schema. */
export const VALID_SARIF = {
  version: '2.1.0',
  $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
  runs: [{ tool: { driver: { name: 'kubescape', version: '3.0.0' } }, results: [{ ruleId: 'C-0013', level: 'error', message: { text: 'runs as root' } }] }],
};
