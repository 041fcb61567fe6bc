/**
 * FactBox without a browser: build a tiny Astro fixture that renders the real component against a
 * fixture catalog.json, then parse the HTML with linkedom and check rows, order and values.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const astroBin = path.join(repo, 'node_modules/astro/astro.js');

const catalog = {
  kubescape: {
    name: 'kubescape',
    title: 'Kubescape',
    kind: 'tool',
    upstream: { name: 'Kubescape', vendor: 'CNCF / ARMO', license: 'Apache-2.0', source: 'https://github.com/kubescape/kubescape' },
    categories: [
      { name: 'compliance-scan', primary: true },
      { name: 'k8s-posture', primary: false },
    ],
    sourceLabel: 'catalog-only (detected; output captured via a format attestor)',
    emitsFormats: ['sarif'],
    predicateType: null,
    runType: null,
    defaultOn: false,
    traceLabel: 'off — no syscall tracing needed',
    triggers: [
      { gate: 'pre', kind: 'argv_prefix', value: 'kubescape' },
      { gate: 'pre', kind: 'argv_contains', value: '--format sarif' },
    ],
  },
  sarif: {
    name: 'sarif',
    title: 'SARIF',
    kind: 'attestor',
    upstream: null,
    categories: [],
    sourceLabel: 'attestor-backed (ships a native cilock attestor)',
    emitsFormats: [],
    predicateType: 'https://aflock.ai/attestations/sarif/v0.1',
    runType: 'postproduct',
    defaultOn: false,
    traceLabel: 'off — no syscall tracing needed',
    triggers: [],
  },
  'bad-format': {
    name: 'bad-format',
    title: 'Bad format',
    kind: 'tool',
    upstream: null,
    categories: [{ name: 'sast', primary: true }],
    sourceLabel: 'catalog-only (detected; output captured via a format attestor)',
    emitsFormats: ['no-such-format'],
    predicateType: null,
    runType: null,
    defaultOn: false,
    traceLabel: 'off — no syscall tracing needed',
    triggers: [],
  },
};

let fixture = '';

function page(name: string): string {
  return `---\nimport FactBox from '../components/FactBox.astro';\n---\n<html><body><FactBox name="${name}" /></body></html>\n`;
}

function writePage(file: string, name: string): void {
  writeFileSync(path.join(fixture, 'src/pages', file), page(name));
}

async function buildFixture(): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [astroBin, 'build', '--root', fixture], {
      cwd: fixture,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
    });
    return { ok: true, output: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function box(file: string, name: string): Element {
  const { document } = parseHTML(readFileSync(path.join(fixture, 'dist', file, 'index.html'), 'utf8'));
  const found = document.querySelector(`div.fact-box[data-tool="${name}"]`);
  if (!found) throw new Error(`no fact box for ${name} in ${file}`);
  return found;
}

const text = (el: Element | null | undefined): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const rows = (el: Element): string[] => [...el.querySelectorAll('tr')].map((tr) => tr.getAttribute('data-row') ?? '');
const cell = (el: Element, row: string): Element | null => el.querySelector(`tr[data-row="${row}"] td`);

beforeAll(async () => {
  fixture = mkdtempSync(path.join(os.tmpdir(), 'cilock-factbox-'));
  symlinkSync(path.join(repo, 'node_modules'), path.join(fixture, 'node_modules'), 'dir');
  for (const dir of ['components', 'lib']) cpSync(path.join(repo, 'site/src', dir), path.join(fixture, 'src', dir), { recursive: true });
  mkdirSync(path.join(fixture, 'src/data'), { recursive: true });
  mkdirSync(path.join(fixture, 'src/pages'), { recursive: true });
  writeFileSync(path.join(fixture, 'src/data/catalog.json'), JSON.stringify(catalog));
  writeFileSync(path.join(fixture, 'astro.config.mjs'), 'export default {};\n');
  writeFileSync(path.join(fixture, 'package.json'), '{"type":"module"}\n');
  writePage('kubescape.astro', 'kubescape');
  writePage('sarif.astro', 'sarif');
  const result = await buildFixture();
  if (!result.ok) throw new Error(`fixture build failed:\n${result.output}`);
}, 120_000);

afterAll(() => {
  if (fixture) rmSync(fixture, { recursive: true, force: true });
});

describe('FactBox', () => {
  it('renders a tool box with its rows in order', () => {
    const el = box('kubescape', 'kubescape');
    expect(rows(el)).toEqual(['upstream', 'category', 'source', 'emits-format', 'trace', 'detected-when']);
    expect([...el.querySelectorAll('th')].map(text)).toEqual([
      'Upstream',
      'Category',
      'Catalog source',
      'Emits format',
      'Recommended trace',
      'Detected when',
    ]);
  });

  it('shows each fact from catalog.json', () => {
    const el = box('kubescape', 'kubescape');
    expect(text(cell(el, 'upstream'))).toBe('Kubescape · CNCF / ARMO · Apache-2.0');
    expect(cell(el, 'upstream')?.querySelector('a')?.getAttribute('href')).toBe('https://github.com/kubescape/kubescape');
    expect(text(cell(el, 'category'))).toBe('compliance-scan (primary) k8s-posture');
    expect(text(cell(el, 'source'))).toBe('catalog-only (detected; output captured via a format attestor)');
    expect(text(cell(el, 'trace'))).toBe('off — no syscall tracing needed');
    const formats = [...(cell(el, 'emits-format')?.querySelectorAll('a') ?? [])];
    expect(formats.map((a) => [text(a), a.getAttribute('href')])).toEqual([['sarif', '/attestors/sarif/']]);
  });

  it('lists one line per trigger as [gate] kind: value', () => {
    const el = box('kubescape', 'kubescape');
    const lines = [...(cell(el, 'detected-when')?.querySelectorAll('li') ?? [])].map(text);
    expect(lines).toEqual(['[pre] argv_prefix: kubescape', '[pre] argv_contains: --format sarif']);
  });

  it('renders an attestor: predicate type in code, no format row, not auto-detected', () => {
    const el = box('sarif', 'sarif');
    expect(rows(el)).toEqual(['upstream', 'category', 'source', 'predicate-type', 'trace', 'detected-when']);
    expect(text(cell(el, 'predicate-type')?.querySelector('code'))).toBe('https://aflock.ai/attestations/sarif/v0.1');
    expect(text(cell(el, 'detected-when'))).toBe('Not auto-detected — attach explicitly with -a.');
    expect(text(cell(el, 'upstream'))).toBe('—');
  });

  it('fails the build for an unknown name, saying which', async () => {
    writePage('unknown.astro', 'kubescap');
    try {
      const result = await buildFixture();
      expect(result.ok).toBe(false);
      expect(result.output).toContain('no catalog entry named "kubescap"');
      expect(result.output).toContain('Did you mean "kubescape"?');
    } finally {
      rmSync(path.join(fixture, 'src/pages/unknown.astro'));
    }
  }, 120_000);

  it('fails the build when an emitted format has no attestor page to link to', async () => {
    writePage('bad-format.astro', 'bad-format');
    try {
      const result = await buildFixture();
      expect(result.ok).toBe(false);
      expect(result.output).toContain('emitted format "no-such-format" has no attestor entry');
    } finally {
      rmSync(path.join(fixture, 'src/pages/bad-format.astro'));
    }
  }, 120_000);
});
