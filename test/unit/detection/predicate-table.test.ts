/**
 * The predicate table is the one place a detection predicate is declared: every surface (schema,
 * evaluation, triggers, test plan, probes, the exported reference list) takes each key from it,
 * and none of the modules that once kept their own list names a key any more.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompiledEntry } from '../../../src/catalog/compiled.js';
import { findKeys } from '../../../src/catalog/predicate-walk.js';
import { COMPOSER_KEYS, POST_ONLY_KEYS, PRE_LEAF_KEYS, PredicateSchema, ToolSchema, type Predicate } from '../../../src/catalog/schema.js';
import { PREDICATE_KEYS, PREDICATES } from '../../../src/detection/predicate-table.js';
import { evaluate } from '../../../src/detection/predicates.js';
import { keyedTriggersOf } from '../../../src/surfaces/triggers.js';
import { testCase } from '../../../src/surfaces/test-plan.js';
import { repoRoot } from '../catalog/invalid-fixture.js';

const sample = (key: (typeof PREDICATE_KEYS)[number]): Predicate => ({ [key]: PREDICATES[key].example });

function entryWith(gate: 'pre' | 'post', match: Predicate): CompiledEntry {
  return {
    kind: 'tool', name: 'probe-me', title: 'probe-me', description: '', categories: ['lint'], upstream: { name: 'x', vendor: 'v', license: 'MIT', source: 'https://example.com' },
    emits_formats: [], recommended_trace: { mode: 'off', reason: 'r' }, exits_nonzero_on_findings: false,
    [gate]: { match, warnings: [] }, llm_hints: {}, captured: {}, validate: [], examples: [], source_file: 'catalog/tools/probe-me/tool.yaml',
  };
}

describe('every predicate key comes from the table', () => {
  it('the key lists partition the table by gate and kind', () => {
    expect([...PRE_LEAF_KEYS, ...POST_ONLY_KEYS, ...COMPOSER_KEYS.filter((k) => !POST_ONLY_KEYS.includes(k))].sort()).toEqual([...PREDICATE_KEYS].sort());
    expect(POST_ONLY_KEYS).toEqual(['product_glob', 'exit_code', 'exec_observed']);
    expect(COMPOSER_KEYS).toEqual(['exec_observed', 'any_of', 'all_of', 'not']);
  });

  it.each(PREDICATE_KEYS)('%s: the schema accepts its example and rejects it beside a second key', (key) => {
    expect(PredicateSchema.safeParse(sample(key)).success).toBe(true);
    const other = key === 'env_set' ? { file_exists: 'x' } : { env_set: 'X' };
    const both = PredicateSchema.safeParse({ ...sample(key), ...other });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]?.message).toContain('exactly one predicate key expected');
  });

  it.each(PREDICATE_KEYS)('%s: evaluation dispatches to its entry', (key) => {
    const ctx = { argv: ['echo', 'hi'], env: {}, cwd: repoRoot, envKeysObserved: new Set<string>(), probes: new Map<string, boolean>() };
    expect(evaluate(sample(key), ctx).rule.startsWith(key)).toBe(true);
  });

  it.each(PREDICATE_KEYS)('%s: walks, triggers and test-plan cases see it', (key) => {
    const gate = PREDICATES[key].gate === 'post' ? 'post' : 'pre';
    expect([...findKeys(sample(key), [])].map(([, k]) => k)[0]).toBe(key);
    const triggers = keyedTriggersOf(entryWith(gate, sample(key)));
    const def = PREDICATES[key];
    if (def.trigger === undefined) expect(triggers).toEqual([]);
    else if (def.trigger === 'flatten') expect(triggers.length).toBeGreaterThan(0);
    else {
      expect(triggers.map((t) => t.key)).toEqual([key]);
      expect(testCase(entryWith(gate, sample(key))).positive_setup).not.toBe('');
    }
  });

  it('a pre gate refuses each post-only key, through composers too', () => {
    for (const key of POST_ONLY_KEYS) {
      const tool = { name: 'x', title: 'X', description: Array(25).fill('word').join(' '), categories: ['lint'], upstream: { name: 'x', vendor: 'v', license: 'MIT', source: 'https://x.dev' }, recommended_trace: { mode: 'off', reason: 'r' }, pre: { match: { any_of: [sample(key)] } } };
      const r = ToolSchema.safeParse(tool);
      expect(r.success).toBe(false);
      expect(r.error?.issues.map((i) => i.message)).toContain(`${key} is only allowed in the post gate (the pre gate runs before the command)`);
    }
  });

  it('no module that derives from the table keeps its own list of keys', () => {
    const derived = ['src/catalog/schema.ts', 'src/catalog/predicate-walk.ts', 'src/detection/predicates.ts', 'src/detection/probes.ts', 'src/detection/post-gate.ts', 'src/surfaces/triggers.ts', 'src/surfaces/test-plan.ts', 'src/surfaces/export.ts', 'generator/reference.ts'];
    for (const file of derived) {
      const source = readFileSync(path.join(repoRoot, file), 'utf8');
      const named = PREDICATE_KEYS.filter((k) => new RegExp(`(\\.${k}\\b|['"\`]${k}['"\`])`).test(source));
      expect(named, file).toEqual([]);
    }
  });
});
