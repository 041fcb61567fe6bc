/** Program lookup (the `which` package), relative to the run's working directory. */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOpa } from '../../../src/attestation/rego.js';
import { findExecutable } from '../../../src/files/which.js';

function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-which-'));
  mkdirSync(path.join(dir, 'bin'));
  mkdirSync(path.join(dir, 'bin', 'tool-dir'));
  writeFileSync(path.join(dir, 'bin', 'tool'), '#!/bin/sh\n');
  chmodSync(path.join(dir, 'bin', 'tool'), 0o755);
  writeFileSync(path.join(dir, 'bin', 'plain'), 'not a program\n');
  chmodSync(path.join(dir, 'bin', 'plain'), 0o644);
  return dir;
}

describe('findExecutable', () => {
  it('resolves names on PATH, relative PATH entries and relative paths from the working directory', async () => {
    const dir = workspace();
    expect(await findExecutable('tool', path.join(dir, 'bin'), '/')).toBe(path.join(dir, 'bin', 'tool'));
    expect(await findExecutable('tool', `::bin`, dir)).toBe(path.join(dir, 'bin', 'tool'));
    expect(await findExecutable('./bin/tool', '', dir)).toBe(path.join(dir, 'bin', 'tool'));
  });

  it('refuses directories, files without execute permission, empty names and an empty PATH', async () => {
    const dir = workspace();
    for (const name of ['tool-dir', 'plain', 'missing', '']) expect(await findExecutable(name, path.join(dir, 'bin'), dir), name).toBeUndefined();
    expect(await findExecutable('./bin/tool-dir', '', dir)).toBeUndefined();
    expect(await findExecutable('tool', '', path.join(dir, 'bin'))).toBeUndefined();
  });
});

describe('findOpa', () => {
  it('refuses a CILOCK_OPA or given path that is a directory, not an executable file', () => {
    const dir = workspace();
    expect(() => findOpa(path.join(dir, 'bin', 'tool-dir'))).toThrow(/the given path .*tool-dir is not an executable file/);
    expect(findOpa(path.join(dir, 'bin', 'tool'))).toBe(path.join(dir, 'bin', 'tool'));
  });
});
