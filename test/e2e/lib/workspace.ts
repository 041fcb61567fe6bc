/**
 * A fresh working directory per example, as a maintainer would have it: a git repository with one
 * commit of the example's fixtures, an Ed25519 key at `_validation/key.pem`, and `cilock` on PATH.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliMain, nodeModulesBin, repoRoot, standInBin, toolsBin } from './paths.js';

export interface Workspace {
  dir: string;
  /** Environment for commands run in it: PATH with the cilock shim first, then npm and pinned tools, stand-ins last. */
  env: NodeJS.ProcessEnv;
  publicKey: string;
  /** The example command's exit code, once it ran. */
  exitCode?: number;
}

const GIT_ENV = { GIT_AUTHOR_NAME: 'cilock examples', GIT_AUTHOR_EMAIL: 'examples@cilock.dev', GIT_COMMITTER_NAME: 'cilock examples', GIT_COMMITTER_EMAIL: 'examples@cilock.dev' };

function shimDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-shim-'));
  const shim = path.join(dir, 'cilock');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${cliMain}" "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

export function makeWorkspace(tool: string, fixtures: string | undefined, extraEnv: Record<string, string> = {}): Workspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cilock-example-${tool}-`));
  if (fixtures) {
    const source = path.join(repoRoot, 'catalog/tools', tool, fixtures);
    if (!existsSync(source)) throw new Error(`fixtures folder ${source} does not exist`);
    cpSync(source, dir, { recursive: true });
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', 'fixtures');
  mkdirSync(path.join(dir, '_validation'));
  const key = path.join(dir, '_validation/key.pem');
  const publicKey = path.join(dir, '_validation/key.pub.pem');
  execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', key], { stdio: 'pipe' });
  execFileSync('openssl', ['pkey', '-in', key, '-pubout', '-out', publicKey], { stdio: 'pipe' });
  const PATH = [shimDir(), nodeModulesBin, toolsBin, process.env.PATH ?? '', standInBin].join(path.delimiter);
  // npm tools installed in this repo stand for a project's own devDependencies: plugins they load
  // by name (ESLint's --format package) resolve from the working directory, so point Node there.
  const NODE_PATH = path.join(repoRoot, 'node_modules');
  return { dir, env: { ...process.env, ...GIT_ENV, ...extraEnv, PATH, NODE_PATH }, publicKey };
}
