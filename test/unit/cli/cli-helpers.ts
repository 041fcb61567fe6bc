/** Runs the built CLI the way a user does, in a directory and environment the test controls. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const main = path.join(repoRoot, 'dist/cli/main.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** A clean cwd outside any git checkout and an env with nothing but PATH, so outputs are stable. */
export function cilock(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  if (!existsSync(main)) throw new Error(`no built cilock at ${main}: run npm run build:cli`);
  const cwd = opts.cwd ?? mkdtempSync(path.join(os.tmpdir(), 'cilock-cli-'));
  const r = spawnSync(process.execPath, [main, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...opts.env }, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
