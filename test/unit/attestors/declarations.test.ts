/**
 * Each attestor is declared once (src/catalog/attestor-declarations.ts): the registry's attestors,
 * the catalog entries and the verifier all take the type URI and phase from there, and the
 * catalog YAML cannot restate them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MATERIAL_V03_TYPE, PRODUCT_V03_TYPE } from '../../../src/attestation/verify.js';
import { ATTESTORS } from '../../../src/attestors/registry.js';
import { ATTESTOR_DECLARATIONS } from '../../../src/catalog/attestor-declarations.js';
import { loadCatalog } from '../../../src/catalog/load.js';
import { AttestorSchema } from '../../../src/catalog/schema.js';
import { repoRoot } from '../catalog/invalid-fixture.js';

const declared = Object.entries(ATTESTOR_DECLARATIONS);

describe('attestor declarations', () => {
  it('every runnable declaration is implemented, with its declared type and phase, and nothing else is', () => {
    expect(ATTESTORS.map((a) => a.name).sort()).toEqual(declared.filter(([, d]) => d.runnable).map(([name]) => name).sort());
    for (const a of ATTESTORS) {
      const d = ATTESTOR_DECLARATIONS[a.name];
      expect({ type: a.type, phase: a.phase }, a.name).toEqual({ type: d.predicate_type, phase: d.run_type });
    }
  });

  it('every catalog attestor folder is a declared attestor and the other way round; the entry carries the declared facts', () => {
    expect(readdirSync(path.join(repoRoot, 'catalog/attestors')).sort()).toEqual(declared.map(([name]) => name).sort());
    for (const { entry } of loadCatalog(repoRoot).attestors) {
      const { predicate_type, run_type, runnable, default_on } = ATTESTOR_DECLARATIONS[entry.name as keyof typeof ATTESTOR_DECLARATIONS];
      expect({ predicate_type: entry.predicate_type, run_type: entry.run_type, runnable: entry.runnable, default_on: entry.default_on }, entry.name).toEqual({ predicate_type, run_type, runnable, default_on });
    }
  });

  it('the verifier uses the declared material and product types', () => {
    expect([MATERIAL_V03_TYPE, PRODUCT_V03_TYPE]).toEqual([ATTESTOR_DECLARATIONS.material.predicate_type, ATTESTOR_DECLARATIONS.product.predicate_type]);
  });

  it('no other source file spells an attestation type URI', () => {
    const files = readdirSync(path.join(repoRoot, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f !== path.join('catalog', 'attestor-declarations.ts'));
    for (const file of files) {
      const code = readFileSync(path.join(repoRoot, 'src', file), 'utf8').split('\n').filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line)).join('\n');
      expect(code.match(/https:\/\/(aflock\.ai\/attestations|witness\.dev\/attestations|openvex\.dev)[^'"`\s]*/g) ?? [], file).toEqual([]);
    }
  });

  const prose = { name: 'sarif', title: 'SARIF', description: Array(25).fill('word').join(' '), captures: 'findings' };

  it('an attestor.yaml that restates a declared fact is refused', () => {
    const r = AttestorSchema.safeParse({ ...prose, predicate_type: 'https://example.com/other' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/predicate_type/);
  });

  it('an attestor.yaml for an undeclared attestor is refused, naming the declared ones', () => {
    const r = AttestorSchema.safeParse({ ...prose, name: 'provenance' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toContain(`no attestor "provenance" is declared in src/catalog/attestor-declarations.ts (declared: ${declared.map(([n]) => n).join(', ')})`);
  });
});
