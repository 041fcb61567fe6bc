import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtContract } from '../../lib/contract.js';
import { formatViolation, lintPage, type LintContext } from '../../../generator/lint.js';
import { markdownToMdx } from '../../../generator/markdown.js';
import { generatePages } from '../../../generator/pages.js';
import { readFromJsonDir } from '../../../generator/source.js';
import { repoRoot } from '../catalog/invalid-fixture.js';

const tsx = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
const generator = path.join(repoRoot, 'generator/cli.ts');
let saved: string;

beforeAll(() => {
  saved = mkdtempSync(path.join(os.tmpdir(), 'cilock-gen-json-'));
  const r = spawnSync(process.execPath, [tsx, generator, '--quiet', '--save-json', saved, '--out-dir', mkdtempSync(path.join(os.tmpdir(), 'cilock-gen-out-'))], { cwd: repoRoot, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
});

describe('generator', () => {
  it('renders from saved binary outputs (--from-json) exactly what is committed', () => {
    const files = generatePages(readFromJsonDir(saved));
    for (const f of files) expect(f.content, f.path).toBe(readFileSync(path.join(repoRoot, f.path), 'utf8'));
  });

  it('is byte-stable: two renders are identical, LF only, no dates', () => {
    const a = generatePages(readFromJsonDir(saved));
    const b = generatePages(readFromJsonDir(saved));
    expect(a).toEqual(b);
    for (const f of a) {
      expect(f.content.includes('\r')).toBe(false);
      expect(f.content).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:/);
    }
  });

  it('names the field when the binary prints an unexpected shape', () => {
    const list = JSON.parse(readFileSync(path.join(saved, 'list.json'), 'utf8'));
    delete list[0].source;
    expect(() => builtContract().parse('tools-list', JSON.stringify(list), 'cilock tools list --format json')).toThrow(
      /cilock tools list --format json printed an unexpected shape: field 0\.source: /,
    );
    expect(() => builtContract().parse('tools-list', 'not json', 'cilock tools list --format json')).toThrow(/did not print JSON/);
  });

  it('--from-json with a missing file says which and how to make it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-gen-empty-'));
    const r = spawnSync(process.execPath, [tsx, generator, '--from-json', dir, '--check'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('missing list.json (save it with `cilock tools list --format json > list.json`)');
  });

  it('escapes catalog text for MDX', () => {
    expect(markdownToMdx('Use {braces} and <tags> safely')).toBe('Use \\{braces} and \\<tags> safely');
    expect(markdownToMdx('plain words stay as they are')).toBe('plain words stay as they are');
  });
});

describe('page lint', () => {
  const ctx: LintContext = {
    pages: new Set(['/tools/', '/tools/x/']),
    exampleIds: new Set(['x/basic']),
    detectionIds: new Set(['x']),
  };
  const good = readFileSync(path.join(repoRoot, 'site/src/content/docs/tools/kubescape.mdx'), 'utf8');
  const lint = (content: string) => lintPage('p.mdx', content, { ...ctx, pages: new Set([...ctx.pages, '/attestors/sarif/', '/guides/policy/', '/guides/attestation-graph/']), exampleIds: new Set(['kubescape/static-manifests', 'kubescape/cluster-snapshot']), detectionIds: new Set(['kubescape']) }).map(formatViolation);

  it('passes the generated Kubescape page', () => {
    expect(lint(good)).toEqual([]);
  });

  it('reports every violation at once as file:line rule: message', () => {
    const bad = [
      '---',
      'title: x',
      'description: Too short.',
      '---',
      '',
      '## What gets captured',
      '',
      '## Validated invocation',
      '',
      '```bash',
      'cilock run --step x -- x scan',
      '```',
      '',
      '```bash example="x/nope"',
      'cilock run --step x --signer-file-key-path <key.pem> -- x',
      '```',
      '',
      '```bash',
      'bash -c "x scan > out.json && cp out.json report.sarif"',
      '```',
      '',
      'See [missing](/tools/nope/) and [anchor](#nowhere).',
    ].join('\n');
    expect(lintPage('p.mdx', bad, ctx).map(formatViolation)).toEqual([
      'p.mdx:1 description: front-matter description has 2 words; write one sentence of 20–40',
      'p.mdx:10 example-id: a cilock command block must come from a catalog example (meta example="tool/id", detection="tool" or run="tool")',
      'p.mdx:14 placeholder: command has a placeholder: <key.pem>',
      'p.mdx:14 example-id: example "x/nope" is not in the catalog',
      'p.mdx:18 copy-antipattern: a shell wrapper copies the report (bash -c "cp …"): let the tool write its own file',
      'p.mdx:22 link: internal link /tools/nope/ does not resolve to a page',
      'p.mdx:22 link: no heading on this page for #nowhere',
    ]);
  });

  it('the generator fails with the violations and writes nothing', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-gen-bad-'));
    for (const f of ['list.json', 'test-plan.json']) writeFileSync(path.join(dir, f), readFileSync(path.join(saved, f)));
    spawnSync('cp', ['-r', path.join(saved, 'show'), dir]);
    const show = JSON.parse(readFileSync(path.join(dir, 'show/kubescape.json'), 'utf8'));
    show.examples[0].command = 'cilock run --step kubescape-scan --signer-file-key-path <your-key> -- kubescape scan .';
    writeFileSync(path.join(dir, 'show/kubescape.json'), JSON.stringify(show));
    const out = mkdtempSync(path.join(os.tmpdir(), 'cilock-gen-out-'));
    const r = spawnSync(process.execPath, [tsx, generator, '--from-json', dir, '--out-dir', out], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/site\/src\/content\/docs\/tools\/kubescape\.mdx:\d+ placeholder: command has a placeholder: <your-key>/);
    expect(spawnSync('find', [out, '-type', 'f'], { encoding: 'utf8' }).stdout).toBe('');
  });
});
