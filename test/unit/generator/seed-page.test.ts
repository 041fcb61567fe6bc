/**
 * The generated Kubescape page against the upstream page it reproduces
 * (test/fixtures/seed/kubescape-integration.txt), item by item: fact box, commands, predicate-type
 * table, "Validate it locally" checks, section headings, FAQ questions and See-also links.
 * Deliberate differences are listed with their reason; everything else must match.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../catalog/invalid-fixture.js';

const seed = readFileSync(path.join(repoRoot, 'test/fixtures/seed/kubescape-integration.txt'), 'utf8');
const page = readFileSync(path.join(repoRoot, 'site/src/content/docs/tools/kubescape.mdx'), 'utf8');
const factBox = (JSON.parse(readFileSync(path.join(repoRoot, 'site/src/data/catalog.json'), 'utf8')) as Record<string, FactBox>).kubescape!;

interface FactBox {
  upstream: { name: string; vendor: string; license: string };
  categories: { name: string; primary: boolean }[];
  sourceLabel: string;
  emitsFormats: string[];
  traceLabel: string;
  triggers: { gate: string; kind: string; value: string }[];
}

const squash = (s: string) => s.replace(/\\\n/g, ' ').replace(/\s+/g, ' ').trim();

/** Where this project deliberately says something else than upstream, and why. */
const DEVIATIONS: Record<string, string> = {
};
const expected = (text: string) => DEVIATIONS[text] ?? text;

/** Code blocks of one kind from the generated MDX, by meta attribute. */
function blocks(attr: string): string[] {
  return [...page.matchAll(new RegExp('```+bash ' + attr + '="[^"]+"\\n([\\s\\S]*?)\\n```+', 'g'))].map((m) => m[1]!);
}

describe('generated Kubescape page vs the upstream page', () => {
  it('fact box: every row of the seed', () => {
    const row = (label: string) => new RegExp(`^\\| ${label} \\| (.+) \\|$`, 'm').exec(seed)?.[1];
    expect(`${factBox.upstream.name} · ${factBox.upstream.vendor} · ${factBox.upstream.license}`).toBe(row('Upstream'));
    expect(factBox.categories.map((c) => (c.primary ? `${c.name} (primary)` : c.name)).join(', ')).toBe(row('Category'));
    expect(factBox.sourceLabel).toBe(row('Catalog source'));
    expect(factBox.emitsFormats.join(', ')).toBe(row('Emits format'));
    expect(factBox.traceLabel).toBe(row('Recommended trace'));
    // The seed's flattened "Detected when" cell lost its list; upstream's catalog has one trigger.
    expect(factBox.triggers).toEqual([{ gate: 'pre', kind: 'argv_prefix', value: 'kubescape' }]);
    expect(page).toContain('<FactBox name="kubescape" />');
  });

  it('detection check and generated-box note', () => {
    const detection = /Confirm cilock detects it:\n(.+)\n/.exec(seed)![1]!;
    expect(page).toContain('Confirm cilock detects it:');
    expect(blocks('detection')).toEqual([detection]);
    const note = /The facts in this box are generated[^\n]+/.exec(seed)![0];
    expect(squash(page.replace(/`/g, ''))).toContain(squash(note));
  });

  it('both validated invocations, command for command', () => {
    const seedCommands = [...seed.matchAll(/^cilock run [\s\S]*?^-- .+$/gm)].map((m) => squash(m[0]));
    expect(seedCommands).toHaveLength(2);
    expect(blocks('example').map(squash)).toEqual(seedCommands);
    for (const title of ['Static manifests (default, fastest)', 'Cluster snapshot (for real-cluster findings)']) {
      expect(seed).toContain(title);
      expect(page).toContain(`### ${title}`);
    }
  });

  it('what gets captured: the same predicate types with the same sources', () => {
    const seedRows = [...seed.matchAll(/^(https:\/\/aflock\.ai\/attestations\/\S+) \| (.+?) \|?$/gm)].map((m) => [m[1]!, expected(m[2]!.trim())]);
    const pageRows = [...page.matchAll(/^\| `(https:\/\/aflock\.ai\/attestations\/\S+)` \| (.+) \|$/gm)].map((m) => [m[1]!, m[2]!.trim()]);
    expect(seedRows).toHaveLength(6);
    expect([...pageRows].sort()).toEqual([...seedRows].sort());
  });

  it('validate it locally: the same three jq checks', () => {
    const seedChecks = [...seed.matchAll(/^(# .+)\n(jq [\s\S]*?)(?=\n#|\nNotes)/gm)].map((m) => squash(`${expected(m[1]!)} ${m[2]!}`));
    expect(seedChecks).toHaveLength(3);
    expect(blocks('check').map(squash)).toEqual(seedChecks);
  });

  it('sections in the seed order', () => {
    const headings = ['Validated invocations', 'What gets captured', 'Why this shape', 'The upstream cluster-SARIF limitation', 'Validate it locally', 'Notes', 'FAQ', 'See also'];
    const positions = headings.map((h) => page.indexOf(`\n## ${h}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const h of headings) expect(seed).toContain(h);
  });

  it('every FAQ question', () => {
    const questions = ['Does cilock support Kubescape?', 'Can Kubescape scan my live cluster under cilock?', 'Which frameworks does Kubescape check?'];
    for (const q of questions) {
      expect(seed).toContain(q);
      expect(page).toContain(`**${q}**`);
    }
    expect(page).toContain("**Why can't I use `--format sarif` directly against the cluster?**");
    expect(page).toContain("**What's the difference between scanning `manifests/` and the cluster snapshot?**");
  });

  it('see also: every link of the seed', () => {
    for (const [seedText, link] of [
      ['underlying ingestion path', '(/attestors/sarif/)'],
      ['How cilock policy works', '(/guides/policy/)'],
      ['Attestation graph', '(/guides/attestation-graph/)'],
      ['core/pkg/resultshandling/results.go', 'resultshandling/results.go)'],
      ['Tools index', '(/tools/)'],
    ]) {
      expect(seed).toContain(seedText);
      expect(page).toContain(link);
    }
  });
});
