import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_JSON_DEPTH } from '../../src/attestation/limits.js';
import { digestFile } from '../../src/files/digest.js';
import { collectSarif } from '../../src/attestors/sarif.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../src/attestors/sensitive-env.js';
import type { ProductFile, RunContext } from '../../src/attestors/types.js';
import { workDir } from './support.js';

const work = workDir('cilock-sarif-depth-');
afterAll(work.cleanup);

/** A valid SARIF log whose run property bag nests arrays so the whole document is `depth` levels deep. */
export function deepSarifText(depth: number): string {
  // {runs:[{tool…, properties:{deep: X}}]} is 4 levels around X.
  const inner = depth - 4;
  return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"deep"}},"results":[],"properties":{"deep":${'['.repeat(inner)}${']'.repeat(inner)}}}]}`;
}

async function collect(name: string, text: string) {
  const absolutePath = join(work.dir, name);
  writeFileSync(absolutePath, text);
  const product: ProductFile = { path: name, absolutePath, digest: await digestFile(absolutePath) };
  const sink = { write: () => undefined };
  const context: RunContext = { workingDir: work.dir, hashes: ['sha256'], env: {}, argv: ['scanner', '--output', name], sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS, commandStdout: sink, commandStderr: sink };
  return collectSarif(context, { products: new Map([[name, product]]) });
}

describe('cilock run refuses SARIF nested deeper than the shared limit', () => {
  it.each([5_000, 100_000])('%i levels: a clear error naming the file', async (depth) => {
    await expect(collect(`deep-${depth}.sarif`, deepSarifText(depth))).rejects.toThrow(
      new RegExp(`"deep-${depth}\\.sarif" is not valid SARIF 2\\.1\\.0: it nests ${depth} levels deep, more than the ${MAX_JSON_DEPTH - 1} levels`),
    );
  });

  it('accepts a report right at the limit', async () => {
    const output = await collect('at-limit.sarif', deepSarifText(MAX_JSON_DEPTH - 1));
    expect(output.detail).toMatch(/at-limit\.sarif/);
  });
});
