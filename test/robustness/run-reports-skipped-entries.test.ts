import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTempDirs, generateKey, tempDir } from '../unit/run/support.js';
import { runCilock } from '../unit/run/harness.js';


interface SummaryAttestor {
  name: string;
  warnings?: string[];
}

describe('cilock run and entries the walk skips', () => {
  let key: string;
  beforeAll(() => {
    key = generateKey(tempDir('cilock-keys-'), 'ed25519').privatePath;
  });
  afterAll(cleanupTempDirs);

  it('lists them per reason on stderr and in the --json summary, bounded', async () => {
    const outside = tempDir('cilock-outside-');
    const dir = tempDir();
    writeFileSync(join(dir, 'kept.txt'), 'kept\n');
    for (let i = 0; i < 25; i++) symlinkSync(`missing-${String(i).padStart(2, '0')}`, join(dir, `broken-${String(i).padStart(2, '0')}`));
    symlinkSync(outside, join(dir, 'to-outside'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);

    const result = await runCilock(dir, { step: 'build', signerFileKeyPath: key, json: true, outfile: 'att.json' }, ['true']);
    expect(result.error).toBeUndefined();
    const expected = [
      'skipped 25 broken symlink(s): broken-00, broken-01, broken-02, broken-03, broken-04, broken-05, broken-06, broken-07, broken-08, broken-09, and 15 more',
      'skipped 1 entry(ies) that are not regular files (FIFOs, sockets, devices): pipe',
      'skipped 1 symlink(s) that leave the working directory: to-outside',
    ];
    for (const line of expected) expect(result.stderr).toContain(`warning:      material: ${line}`);
    const summary = JSON.parse(result.stdout) as { attestors: SummaryAttestor[] };
    const byName = new Map(summary.attestors.map((attestor) => [attestor.name, attestor]));
    expect(byName.get('material')?.warnings).toEqual(expected);
    expect(byName.get('product')?.warnings).toEqual(expected);
    expect(byName.get('command-run')).not.toHaveProperty('warnings');
  });
});
