/** `examples --record`: only changed expectations are rewritten, in place; comments and formatting elsewhere stay byte for byte. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { STANDARD_CHECKS } from '../../src/catalog/standard-checks.js';
import { currentExpect, expectedFrom, recordInto, RecordError, refusal, type Observed } from './lib/record.js';
import { repoRoot } from './lib/paths.js';

// A one-example entry kept as a fixture (the catalog's flawfinder entry grows), named as the file it stands for.
const file = 'catalog/tools/flawfinder/tool.yaml';
const flawfinder = readFileSync(path.join(repoRoot, 'test/fixtures/record/flawfinder-tool.yaml'), 'utf8');
const standard = STANDARD_CHECKS.map((c) => ({ ...c }));
const TYPES = ['environment/v0.1', 'git/v0.1', 'material/v0.3', 'command-run/v0.1', 'product/v0.3', 'sarif/v0.1'].map((t) => `https://aflock.ai/attestations/${t}`);
const command = (text: string) => (parseDocument(text).toJS() as { examples: { command: string }[] }).examples[0]!.command;

function observed(over: Partial<Observed> = {}): Observed {
  return { exit_code: 0, predicate_types: [...TYPES].reverse(), cmd: ['sh', '-c', 'flawfinder --sarif src/ > flawfinder.sarif'], products: ['flawfinder.sarif'], sarif_report: 'flawfinder.sarif', sarif_results: 8, checks: {}, ...over };
}

const record = (text: string, obs: Observed, checks = standard) => recordInto(text, file, 'c-source', expectedFrom({ command: command(text) }, obs, checks, currentExpect(text, 'c-source')));

/** Lines of `after` that are not in `before` and the other way round. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) };
}

describe('recordInto', () => {
  it('an observation the file already states changes nothing (the same types in another order included)', () => {
    expect(record(flawfinder, observed())).toBe(flawfinder);
  });

  it('an alias (*kubescape_types) stays an alias when it stands for what the run gave, and a changed anchored value keeps its anchor', () => {
    const ksFile = 'catalog/tools/kubescape/tool.yaml';
    const ks = readFileSync(path.join(repoRoot, ksFile), 'utf8');
    expect(ks).toContain('predicate_types: *kubescape_types');
    const asObserved = (id: string, over: Partial<Observed> = {}): Observed => {
      const e = currentExpect(ks, id) as unknown as Observed;
      return { ...e, checks: {}, ...over };
    };
    const again = (text: string, id: string, obs: Observed) => recordInto(text, ksFile, id, expectedFrom({ command: command(text) }, obs, standard, currentExpect(text, id)));
    expect(again(ks, 'cluster-snapshot', asObserved('cluster-snapshot'))).toBe(ks);
    const fewer = asObserved('static-manifests', { predicate_types: TYPES.filter((t) => !t.includes('/git/')) });
    const both = again(again(ks, 'static-manifests', fewer), 'cluster-snapshot', { ...asObserved('cluster-snapshot'), predicate_types: fewer.predicate_types });
    expect(both).toContain('      predicate_types: &kubescape_types\n        - https://aflock.ai/attestations/environment/v0.1\n        - https://aflock.ai/attestations/material/v0.3\n');
    expect(both).toContain('predicate_types: *kubescape_types');
    expect(currentExpect(both, 'cluster-snapshot').predicate_types).toEqual(fewer.predicate_types);
  });

  it('rewrites only the values that changed, each in place', () => {
    const after = record(flawfinder, observed({ sarif_results: 11, exit_code: 1 }));
    expect(changedLines(flawfinder, after)).toEqual({ removed: ['      exit_code: 0', '      sarif_results: 8'], added: ['      exit_code: 1', '      sarif_results: 11'] });
    // The folded description, the comments and the flow lists are untouched.
    expect(after.replace('exit_code: 1', 'exit_code: 0').replace('sarif_results: 11', 'sarif_results: 8')).toBe(flawfinder);
  });

  it('keeps a flow list a flow list, writes argv only when the command does not give it, removes a type no longer seen', () => {
    const after = record(flawfinder, observed({ products: ['flawfinder.sarif', 'extra.txt'], cmd: ['sh', '-c', 'other'], sarif_report: 'other.sarif', predicate_types: TYPES.slice(1) }));
    const { removed, added } = changedLines(flawfinder, after);
    expect(added).toEqual(['      cmd: [sh, -c, other]', '      products: [flawfinder.sarif, extra.txt]', '      sarif_report: other.sarif']);
    expect(removed).toEqual(['        - https://aflock.ai/attestations/environment/v0.1', '      products: [flawfinder.sarif]', '      sarif_report: flawfinder.sarif']);
    // Recording the original run again restores the file exactly (the derivable argv removed again).
    expect(record(after, observed({ predicate_types: TYPES }))).toBe(flawfinder);
  });

  it('a run that contradicts another expectation is refused, the file left as it was', () => {
    // flawfinder emits SARIF, so the standard sarif-results check needs a count the run did not give.
    expect(() => record(flawfinder, observed({ sarif_report: undefined, sarif_results: undefined }))).toThrow(/recording would leave .* invalid.*\n.*check sarif-results needs expect\.sarif_results/);
  });

  it('inserts missing keys in schema order and the output of each non-standard check as a block scalar', () => {
    const bare = flawfinder.replace(/\n {6}products: .*\n {6}sarif_report: .*\n {6}sarif_results: 8/, '');
    const own = [...standard, { id: 'rules', comment: 'Rule ids.', command: "jq -r '.x'", order_may_vary: false }];
    const text = bare.replace('exits_nonzero_on_findings: false', "exits_nonzero_on_findings: false\nvalidate:\n  - id: rules\n    comment: Rule ids.\n    command: jq -r '.x'");
    // The standard checks are not listed, so only the own check remains.
    const after = record(text, observed({ checks: { rules: 'FF1001\nFF1002', 'predicate-types': 'ignored' } }), own.slice(3));
    expect(after.slice(after.indexOf('    expect:'))).toBe(
      [
        '    expect:',
        '      exit_code: 0',
        '      predicate_types:',
        ...TYPES.map((t) => `        - ${t}`),
        '      products: [flawfinder.sarif]',
        '      sarif_report: flawfinder.sarif',
        '      sarif_results: 8',
        '      checks:',
        '        rules: |-',
        '          FF1001',
        '          FF1002',
        '',
      ].join('\n'),
    );
  });

  it('writes hostile check output so that it reads back exactly (quotes, comment signs, tabs, trailing spaces, control characters)', () => {
    const text = flawfinder.replace('exits_nonzero_on_findings: false', "exits_nonzero_on_findings: false\nvalidate:\n  - id: raw\n    comment: Raw output.\n    command: cat out.txt");
    const check = [{ id: 'raw', comment: 'Raw output.', command: 'cat out.txt', order_may_vary: false }];
    for (const output of ['  leading: spaces # not a comment', 'a\tb \n\n  indented\nlast  ', '"quoted" \'single\' - [flow] {map} &anchor *alias', '\u0007bell\u001b[0m', 'x'.repeat(5000), '---\n...', '']) {
      const after = record(text, observed({ checks: { raw: output } }), check);
      expect(currentExpect(after, 'c-source').checks, JSON.stringify(output)).toEqual({ raw: output });
    }
  });

  it('refuses a flow-mapping expect block and a result that would not validate, naming why', () => {
    const flow = flawfinder.replace(/ {4}expect:\n( {6}.*\n| {8}.*\n)+/, '    expect: {exit_code: 0, predicate_types: [https://aflock.ai/attestations/git/v0.1]}\n');
    expect(() => record(flow, observed())).toThrow(/writes expect as a flow mapping/);
    expect(() => recordInto(flawfinder, file, 'c-source', { ...currentExpect(flawfinder, 'c-source'), exit_code: 999 })).toThrow(RecordError);
    expect(() => recordInto(flawfinder, file, 'no-such-example', {})).toThrow(/example no-such-example has no expect mapping/);
  });
});

describe('refusal', () => {
  it('refuses a stand-in unless allowed, and a missing program always', () => {
    const real = { program: 'flawfinder', kind: 'real' as const, file: '/usr/bin/flawfinder', version: '2.0.19' };
    const standIn = { program: 'kubescape', kind: 'stand-in' as const, file: '/x/kubescape' };
    expect(refusal([real], false)).toBeUndefined();
    expect(refusal([real, standIn], false)).toMatch(/^kubescape: stand-in: a stand-in replays recorded output.*--allow-stand-in/);
    expect(refusal([real, standIn], true)).toBeUndefined();
    expect(refusal([{ program: 'nope', kind: 'missing' }], true)).toMatch(/^nope: missing: install the missing program/);
  });
});
