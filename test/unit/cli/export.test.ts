/**
 * `cilock tools export`: one document whose every part is exactly what its own command prints, so
 * the docs generator can ask once instead of once per entry and per command.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { PREDICATE_KEYS } from '../../../src/detection/predicate-table.js';
import { cilock, repoRoot } from './cli-helpers.js';

interface Exported {
  schema_version: string;
  list: unknown[];
  test_plan: unknown;
  show: Record<string, unknown>;
  help: { command: string[]; text: string }[];
  catalog_schemas: Record<string, { title?: string; properties?: Record<string, unknown> }>;
  predicates: { key: string; gate: string; description: string }[];
}

let exported: Exported;
beforeAll(() => {
  const r = cilock(['tools', 'export', '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  exported = JSON.parse(r.stdout) as Exported;
});

describe('cilock tools export', () => {
  it('holds the list, the test plan and every entry as their own commands print them', () => {
    expect(exported.schema_version).toBe('cilock.tools.export/v0.1');
    expect(exported.list).toEqual(JSON.parse(cilock(['tools', 'list', '--format', 'json']).stdout));
    expect(exported.test_plan).toEqual(JSON.parse(cilock(['tools', 'test-plan', '--format', 'json']).stdout));
    expect(Object.keys(exported.show)).toHaveLength(exported.list.length);
    for (const name of ['kubescape', 'git', 'trivy']) expect(exported.show[name], name).toEqual(JSON.parse(cilock(['tools', 'show', name, '--format', 'json']).stdout));
  });

  it("holds every command's --help exactly as `cilock … --help` prints it to a pipe", () => {
    const commands = exported.help.map((h) => h.command.join(' '));
    for (const c of ['', 'tools', 'tools show', 'tools export', 'plan', 'verify', 'run']) expect(commands).toContain(c);
    expect(commands).not.toContain('help');
    for (const h of exported.help) expect(h.text, h.command.join(' ')).toBe(cilock([...h.command, '--help']).stdout.trimEnd());
  });

  it("holds the catalog's JSON Schemas, the ones editors use", () => {
    for (const file of ['tool.schema.json', 'attestor.schema.json']) {
      expect(exported.catalog_schemas[file]).toEqual(JSON.parse(readFileSync(path.join(repoRoot, 'catalog/schema', file), 'utf8')));
    }
  });

  it('holds every detection predicate with its gate and meaning, for the schema reference', () => {
    expect(exported.predicates.map((p) => p.key)).toEqual(PREDICATE_KEYS);
    expect(exported.predicates.find((p) => p.key === 'exec_observed')).toMatchObject({ gate: 'post', description: expect.stringContaining('--trace') });
    const page = readFileSync(path.join(repoRoot, 'site/src/content/docs/reference/catalog-schema.mdx'), 'utf8');
    for (const p of exported.predicates) expect(page).toContain(`| \`${p.key}\` | ${p.gate === 'post' ? 'post only' : 'pre or post'} |`);
  });

  it('refuses another format (exit 2)', () => {
    const r = cilock(['tools', 'export', '--format', 'yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown --format "yaml" (want json)');
  });
});

describe('the docs generator with a binary that has no `tools export`', () => {
  it('asks surface by surface and renders the same pages', () => {
    // A cilock that answers everything but `tools export`, as an older binary would.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cilock-old-bin-'));
    const bin = path.join(dir, 'cilock');
    writeFileSync(
      bin,
      `#!/bin/sh\ncase "$*" in "tools export --format json"*) echo "error: unknown command 'export'" >&2; exit 2;; esac\nexec "${process.execPath}" "${path.join(repoRoot, 'dist/cli/main.js')}" "$@"\n`,
    );
    chmodSync(bin, 0o755);
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), path.join(repoRoot, 'generator/cli.ts'), '--check'], {
      cwd: repoRoot,
      env: { ...process.env, CILOCK_BIN: bin },
      encoding: 'utf8',
    });
    // Same pages, except that without the schemas the catalog schema reference is not rendered (and said so).
    expect(r.stderr).toContain('did not provide the catalog JSON Schemas (for the catalog schema reference); that page is not rendered');
    expect(r.stdout).toBe('');
    expect(r.status, r.stderr).toBe(0);
  }, 120_000);
});

describe('a reader that closes early', () => {
  it('stops the output quietly (cilock … | head): exit 0, no stack trace', () => {
    const exported = spawnSync('bash', ['-c', `"${process.execPath}" "${path.join(repoRoot, 'dist/cli/main.js')}" tools export | head -c 10 > /dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(exported.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(exported.stdout.trim()).toBe('0');
    const inBash = spawnSync('bash', ['-c', `"${process.execPath}" "${path.join(repoRoot, 'dist/cli/main.js')}" verify --help | head -1 > /dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(inBash.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(inBash.stdout.trim()).toBe('0');
  });
});
