/**
 * The layering the code relies on, checked over every import (parsed, not grepped):
 * - generator/ and site/ read the binary's output, never src/ at runtime (`import type` is fine:
 *   it is erased, which is how they share the output contract's types);
 * - src/attestation (verifying) never depends on src/attestors (recording);
 * - src/cli is the top: nothing else in the product imports it;
 * - src/util and src/merkle sit below everything (util imports nothing of src/, merkle only util);
 * - src/files (digests, leaf-path encoding, PATH lookup) serves attestors and tracing alike, so it
 *   imports neither of them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles, type ImportEdge } from './imports.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PRODUCT = ['src', 'generator', 'site', 'bench'];
const edges = PRODUCT.flatMap((dir) => sourceFiles(root, dir)).flatMap((file) => importsOf(root, file));
const show = (e: ImportEdge) => `${e.from}:${e.line} → ${e.to}${e.typeOnly ? ' (type)' : ''}`;
const under = (dir: string) => (p: string) => p.startsWith(`${dir}/`);

/** The edges that break a rule. */
export function violations(all: ImportEdge[]): Record<string, string[]> {
  const runtime = all.filter((e) => !e.typeOnly);
  return {
    'generator/ or site/ importing src/ at runtime': runtime.filter((e) => (under('generator')(e.from) || under('site')(e.from)) && under('src')(e.to)).map(show),
    'src/attestation importing src/attestors': all.filter((e) => under('src/attestation')(e.from) && under('src/attestors')(e.to)).map(show),
    'src/cli imported from outside src/cli': all.filter((e) => !under('src/cli')(e.from) && under('src/cli')(e.to)).map(show),
    'src/util importing the rest of src/': all.filter((e) => under('src/util')(e.from) && under('src')(e.to) && !under('src/util')(e.to)).map(show),
    'src/merkle importing above src/util': all.filter((e) => under('src/merkle')(e.from) && under('src')(e.to) && !under('src/util')(e.to) && !under('src/merkle')(e.to)).map(show),
    'src/files importing src/attestors or src/trace': all.filter((e) => under('src/files')(e.from) && (under('src/attestors')(e.to) || under('src/trace')(e.to))).map(show),
  };
}

describe('layering', () => {
  it('sees the imports (the walk is not empty and resolves relative paths)', () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges.some((e) => e.from === 'src/attestation/verify.ts' && e.to === 'src/merkle/merkle.ts' && !e.typeOnly)).toBe(true);
    expect(edges.some((e) => e.from === 'generator/contract.ts' && e.to === 'src/surfaces/contract.ts' && e.typeOnly)).toBe(true);
  });

  it('no import breaks a rule', () => {
    const broken = Object.fromEntries(Object.entries(violations(edges)).filter(([, list]) => list.length));
    expect(broken).toEqual({});
  });

  it('a runtime import of src/ from the generator, a value import of attestors from attestation and a cli import elsewhere are caught', () => {
    const fake = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly, line: 1 });
    const found = violations([
      fake('generator/pages.ts', 'src/surfaces/contract.ts'),
      fake('generator/pages.ts', 'src/surfaces/contract.ts', true),
      fake('site/src/lib/site-data.ts', 'src/catalog/schema.ts'),
      fake('src/attestation/verify.ts', 'src/attestors/types.ts', true),
      fake('src/detection/plan.ts', 'src/cli/errors.ts'),
      fake('src/util/strings.ts', 'src/attestation/json.ts'),
      fake('src/files/digest.ts', 'src/attestors/types.ts', true),
    ]);
    expect(Object.values(found).map((l) => l.length)).toEqual([2, 1, 1, 1, 0, 1]);
  });
});
