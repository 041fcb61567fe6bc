/**
 * Real tool or stand-in: a program found on PATH (outside the stand-ins folder) is used for real
 * and its version recorded; otherwise a stand-in from test/stand-ins/bin is used and reported as one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { nodeModulesBin, standInBin } from './paths.js';

export interface Tier {
  program: string;
  kind: 'real' | 'stand-in' | 'missing';
  /** Absolute path of what runs. */
  file?: string;
  version?: string;
}

const VERSION_ARGS: Record<string, string[][]> = {
  kubectl: [['version', '--client', '-o', 'json']],
  kubescape: [['version']],
};

function which(program: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    const file = path.join(dir, program);
    if (existsSync(file)) return file;
  }
  return undefined;
}

function versionOf(file: string, program: string): string {
  for (const args of VERSION_ARGS[program] ?? [['--version'], ['version']]) {
    try {
      const out = execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
      if (program === 'kubectl') {
        const parsed = JSON.parse(out) as { clientVersion?: { gitVersion?: string } };
        if (parsed.clientVersion?.gitVersion) return parsed.clientVersion.gitVersion;
      }
      const m = /v?\d+\.\d+(?:\.\d+)?[\w.+-]*/.exec(out);
      if (m) return m[0];
    } catch {
      // try the next form
    }
  }
  return 'unknown version';
}

export function resolveTier(program: string): Tier {
  const envBin = process.env[`${program.toUpperCase().replace(/-/g, '_')}_BIN`];
  if (envBin && existsSync(envBin)) return { program, kind: 'real', file: envBin, version: versionOf(envBin, program) };
  const systemDirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d && path.resolve(d) !== standInBin);
  const real = which(program, [nodeModulesBin, ...systemDirs]);
  if (real) return { program, kind: 'real', file: real, version: versionOf(real, program) };
  const standIn = which(program, [standInBin]);
  if (standIn) return { program, kind: 'stand-in', file: standIn };
  return { program, kind: 'missing' };
}

export function describeTier(t: Tier): string {
  if (t.kind === 'real') return `${t.program}: real ${t.version}`;
  if (t.kind === 'stand-in') return `${t.program}: stand-in`;
  return `${t.program}: missing`;
}
