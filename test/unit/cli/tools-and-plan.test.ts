/**
 * The `tools` and `plan` surfaces as a user and the docs generator rely on them: the shape through
 * the generator's contract, Kubescape's facts and both documented Kubescape invocations in small
 * inline snapshots. Nothing here depends on which other entries the catalog holds.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtContract } from '../../lib/contract.js';
import { cilock, repoRoot } from './cli-helpers.js';

const STATIC = ['kubescape', 'scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'kubescape.sarif', 'manifests/'];
const SNAPSHOT = [
  'sh',
  '-c',
  'kubectl get all,networkpolicies,roles,rolebindings,serviceaccounts -A -o yaml > cluster-snapshot.yaml && kubescape scan framework nsa --format sarif --output kubescape-cluster.sarif cluster-snapshot.yaml',
];

describe('cilock tools show kubescape', () => {
  it('prints every fact of the page fact box (text)', async () => {
    const r = cilock(['tools', 'show', 'kubescape']);
    expect(r.status).toBe(0);
    for (const fact of [
      'Kubescape · CNCF / ARMO · Apache-2.0',
      'compliance-scan (primary)',
      'catalog-only (detected; output captured via a format attestor)',
      'emits format:      sarif',
      'off — no syscall tracing needed',
      '- [pre] argv_prefix: kubescape',
      'cilock plan --format=json -- kubescape [...]',
    ]) expect(r.stdout).toContain(fact);
    const facts = r.stdout.slice(r.stdout.indexOf('  source:'), r.stdout.indexOf('\nDocumentation sections'));
    expect(facts).toMatchInlineSnapshot(`
      "  source:            catalog-only (detected; output captured via a format attestor)
        category:          compliance-scan (primary)
        emits format:      sarif
        recommended trace: off — no syscall tracing needed
        upstream:          Kubescape · CNCF / ARMO · Apache-2.0 (https://github.com/kubescape/kubescape)
        detected when:
          - [pre] argv_prefix: kubescape
        confirm with:      cilock plan --format=json -- kubescape [...]
        validated invocations:
          - static-manifests: Static manifests (default, fastest)
          - cluster-snapshot: Cluster snapshot (for real-cluster findings)
      "
    `);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('Full docs: https://cilock.dev/tools/kubescape');
  });

  it('JSON keeps the upstream field names and adds docs and examples', () => {
    const r = cilock(['tools', 'show', 'kubescape', '--format', 'json']);
    expect(r.status).toBe(0);
    const raw = JSON.parse(r.stdout);
    expect(Object.keys(raw).slice(0, 11)).toEqual(['name', 'default_on', 'description', 'categories', 'upstream', 'source', 'emits_formats', 'gates', 'recommended_trace', 'triggers', 'warnings']);
    const show = builtContract().check('tools-show', raw, 'cilock tools show');
    const { name, title, source, categories, primary_category, emits_formats, recommended_trace, upstream, triggers, detection_command, exits_nonzero_on_findings, catalog_file } = show;
    expect({ name, title, source, categories, primary_category, emits_formats, recommended_trace, upstream, triggers, detection_command, exits_nonzero_on_findings, catalog_file }).toMatchInlineSnapshot(`
      {
        "catalog_file": "catalog/tools/kubescape/tool.yaml",
        "categories": [
          "compliance-scan",
        ],
        "detection_command": "cilock plan --format=json -- kubescape [...]",
        "emits_formats": [
          "sarif",
        ],
        "exits_nonzero_on_findings": false,
        "name": "kubescape",
        "primary_category": "compliance-scan",
        "recommended_trace": "off",
        "source": "catalog-only",
        "title": "Kubescape",
        "triggers": [
          {
            "gate": "pre",
            "kind": "argv_prefix",
            "value": "kubescape",
          },
        ],
        "upstream": {
          "license": "Apache-2.0",
          "name": "Kubescape",
          "source": "https://github.com/kubescape/kubescape",
          "vendor": "CNCF / ARMO",
        },
      }
    `);
    expect(raw.warnings.map((w: { code: string; severity: string }) => `${w.severity} ${w.code}`)).toEqual(['error KUBESCAPE_SARIF_NEEDS_LOCAL_INPUT', 'warn KUBESCAPE_SARIF_OUTPUT_RENAMED']);
    // What the examples runner executes and the page shows.
    expect(show.examples!.map((e) => ({ id: e.id, step: e.step, requires: e.requires, services: e.services, cmd: e.expect.cmd.slice(0, 2), products: e.expect.products, sarif_results: e.expect.sarif_results }))).toMatchInlineSnapshot(`
      [
        {
          "cmd": [
            "kubescape",
            "scan",
          ],
          "id": "static-manifests",
          "products": [
            "kubescape.sarif",
          ],
          "requires": [
            "kubescape",
          ],
          "sarif_results": 4,
          "services": [],
          "step": "kubescape-scan",
        },
        {
          "cmd": [
            "sh",
            "-c",
          ],
          "id": "cluster-snapshot",
          "products": [
            "cluster-snapshot.yaml",
            "kubescape-cluster.sarif",
          ],
          "requires": [
            "kubectl",
            "kubescape",
          ],
          "sarif_results": 51,
          "services": [
            "kubernetes",
          ],
          "step": "kubescape-cluster-snapshot-scan",
        },
      ]
    `);
    expect(show.validate!.map((v) => v.id)).toEqual(['predicate-types', 'command-argv', 'sarif-results']);
    expect(show.doc!.sections.map((s) => s.slug)).toEqual(expect.arrayContaining(['overview', 'validated-invocations', 'validate-it-locally']));
  });

  it('JSON holds the same facts as the entry in tools list', () => {
    const list = builtContract().check('tools-list', JSON.parse(cilock(['tools', 'list', '--format', 'json']).stdout), 'cilock tools list');
    const show = JSON.parse(cilock(['tools', 'show', 'kubescape', '--format', 'json']).stdout);
    expect(show).toMatchObject(JSON.parse(JSON.stringify(list.find((e) => e.name === 'kubescape'))));
  });

  it('prints one doc section with --section', () => {
    const r = cilock(['tools', 'show', 'kubescape', '--section', 'why-this-shape']);
    expect(r.stdout.startsWith('## Why this shape\n')).toBe(true);
  });

  it('names the available sections for an unknown one (exit 1)', () => {
    const r = cilock(['tools', 'show', 'kubescape', '--section', 'nope']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no section "nope" for "kubescape"; available: overview, validated-invocations');
  });
});

describe('cilock tools list / test-plan', () => {
  it('list --format json: every entry in the contract shape, by name, from its own catalog file, the same bytes every run', () => {
    const r = cilock(['tools', 'list', '--format', 'json']);
    expect(r.status).toBe(0);
    const list = builtContract().check('tools-list', JSON.parse(r.stdout), 'cilock tools list');
    const names = list.map((e) => e.name);
    expect(names).toEqual([...new Set(names)].sort());
    const wrongFile = list.filter((e) => {
      const want = e.source === 'catalog-only' ? `catalog/tools/${e.name}/tool.yaml` : `catalog/attestors/${e.name}/attestor.yaml`;
      return e.catalog_file !== want || !existsSync(path.join(repoRoot, want));
    });
    expect(wrongFile.map((e) => `${e.name}: ${e.catalog_file}`)).toEqual([]);
    expect(cilock(['tools', 'list', '--format', 'json']).stdout).toBe(r.stdout);
  });

  it('filters by category and source', () => {
    const r = cilock(['tools', 'list', '--format', 'json', '--category', 'compliance-scan', '--source', 'catalog-only']);
    const names = JSON.parse(r.stdout).map((e: { name: string }) => e.name);
    expect(names).toContain('kubescape');
    expect(names).not.toContain('sarif');
  });

  it('the table counts sources', () => {
    const r = cilock(['tools', 'list']);
    expect(r.stdout.split('\n')[0]).toMatch(/^\d+ tools known \(\d+ attestor-backed, \d+ catalog-only\)\.$/);
    // The exact row upstream documents for this entry.
    expect(r.stdout).toContain('\n  kubescape               catalog-only     compliance-scan             Apache-2.0    Kubescape\n');
  });

  it('an entry without categories or detection rules says so, without naming a file that does not exist', () => {
    expect(cilock(['tools', 'list']).stdout).toContain('\n  command-run             attestor-backed  -                           -             -\n');
    const plan = cilock(['tools', 'test-plan', '--only', 'command-run']).stdout;
    expect(plan).toContain('- **Gates**: (no detection rules)');
    expect(plan).toContain('- Setup: no detection rules; this attestor is always-on or user-driven');
    expect(plan).not.toContain('detector.yaml');
  });

  it('test-plan gives kubescape the detection command the page shows', () => {
    const r = cilock(['tools', 'test-plan', '--format', 'json', '--only', 'kubescape']);
    const plan = JSON.parse(r.stdout);
    expect(plan.schema_version).toBe('cilock.tools.test-plan/v0.1');
    expect(plan.cases[0].cilock_command).toBe('cilock plan --format=json -- kubescape [...]');
  });
});

describe('cilock plan', () => {
  /** What a user acts on in a plan; the rest is checked for consistency, not bytes. */
  function planOf(argv: string[]) {
    const r = cilock(['plan', '--format=json', '--', ...argv]);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    const { plan, summary } = result;
    expect(plan.inputs.argv).toEqual(argv);
    expect(summary).toEqual({ fired: plan.fire.map((f: { attestor: string }) => f.attestor), skipped: plan.skip.length, warnings: plan.warnings.length });
    // Env keys read, sorted and never their values: only names the catalog's env triggers mention.
    const keys: string[] = plan.inputs.env_keys_observed;
    expect(keys).toEqual([...new Set(keys)].sort());
    const envTriggers = builtContract().check('tools-list', JSON.parse(cilock(['tools', 'list', '--format', 'json']).stdout), 'cilock tools list').flatMap((e) => e.triggers ?? []).filter((t) => t.kind.startsWith('env')).map((t) => t.value);
    expect(keys.filter((k) => !envTriggers.some((v) => v.split('=')[0] === k))).toEqual([]);
    const fired = new Set(summary.fired);
    expect(plan.skip.filter((s: { attestor: string }) => fired.has(s.attestor))).toEqual([]);
    return { fire: plan.fire.map((f: { attestor: string; matched_rule: string }) => `${f.attestor} (${f.matched_rule})`), warnings: plan.warnings, trace: result.trace_recommendation.mode, suggested_run: result.suggested_run };
  }

  it('fires kubescape for the static invocation and suggests the run line', () => {
    expect(planOf(STATIC)).toMatchInlineSnapshot(`
      {
        "fire": [
          "kubescape (argv_prefix:kubescape)",
        ],
        "suggested_run": {
          "attestations": [
            "sarif",
          ],
          "command": "cilock run -s compliance-scan --signer-file-key-path <key.pem> -a sarif -- kubescape scan framework nsa --format sarif --output kubescape.sarif manifests/",
          "step": "compliance-scan",
        },
        "trace": "off",
        "warnings": [],
      }
    `);
  });

  it('fires kubescape through sh -c for the snapshot recipe and suggests the run line', () => {
    expect(planOf(SNAPSHOT)).toMatchInlineSnapshot(`
      {
        "fire": [
          "kubescape (sh -c[2]:argv_prefix:kubescape)",
        ],
        "suggested_run": {
          "attestations": [
            "sarif",
          ],
          "command": "cilock run -s compliance-scan --signer-file-key-path <key.pem> -a sarif -- sh -c 'kubectl get all,networkpolicies,roles,rolebindings,serviceaccounts -A -o yaml > cluster-snapshot.yaml && kubescape scan framework nsa --format sarif --output kubescape-cluster.sarif cluster-snapshot.yaml'",
          "step": "compliance-scan",
        },
        "trace": "off",
        "warnings": [],
      }
    `);
  });

  it('puts the key and outfile given to plan (or tools show) into the run line, quoted for sh', () => {
    const flags = ['--signer-file-key-path', "keys/ci's key.pem", '--run-outfile', 'out dir/a.json'];
    const r = cilock(['plan', ...flags, '--', 'kubescape', 'scan', '.']);
    expect(r.status, r.stderr).toBe(0);
    const line = `cilock run -s compliance-scan --signer-file-key-path 'keys/ci'\\''s key.pem' --outfile 'out dir/a.json' -a sarif -- kubescape scan .`;
    expect(r.stdout.split('\n')).toContain(`  to run: ${line}`);
    const shown = JSON.parse(cilock(['tools', 'show', 'kubescape', '--format', 'json', ...flags]).stdout);
    expect(shown.suggested_run.command).toBe(line.replace(' scan .', ''));
    expect(JSON.parse(cilock(['tools', 'show', 'kubescape', '--format', 'json']).stdout).suggested_run.command).toContain(' --signer-file-key-path <key.pem> -a sarif ');
  });

  it('the page detection check runs verbatim and fires', () => {
    const r = cilock(['plan', '--format=json', '--', 'kubescape', '[...]']);
    expect(JSON.parse(r.stdout).summary.fired).toEqual(['kubescape']);
  });

  it('JSON goes to stdout only', () => {
    const r = cilock(['plan', '--format=json', '--', ...STATIC]);
    expect(r.stderr).toBe('');
  });
});

describe('cilock plan -v', () => {
  it('lists the skipped detectors because -v was given, without inventing a flag to hide them', () => {
    const r = cilock(['plan', '-v', '--', 'echo', 'hi']);
    expect(r.stdout).toMatch(/\n {2}skipped \(\d+, listed because of -v\):\n/);
    expect(r.stdout).not.toContain('use -v to hide');
  });
});

describe('bad input', () => {
  it.each([
    [['tools', 'show', 'nope'], 1, 'cilock: unknown tool "nope" (try: cilock tools list)'],
    [['tools', 'list', '--format', 'yaml'], 2, 'cilock: unknown --format "yaml" (want table|json)'],
    [['tools', 'show', 'kubescape', '--format', 'xml'], 2, 'cilock: unknown --format "xml" (want text|json)'],
    [['tools', 'test-plan', '--format', 'html'], 2, 'cilock: unknown --format "html" (want markdown|json)'],
    [['plan', '--format', 'yaml', '--', 'true'], 2, 'cilock: unknown --format "yaml" (want text|json)'],
    [['plan'], 2, 'cilock: missing the command to plan'],
    [['tools', 'list', '--source', 'builtin'], 2, 'cilock: unknown --source "builtin" (want attestor-backed|catalog-only)'],
    [['tools', 'show'], 2, "missing required argument 'name'"],
    [['frobnicate'], 2, "unknown command 'frobnicate'"],
  ])('%j exits %i with a clear message', (args, code, message) => {
    const r = cilock(args as string[]);
    expect(r.status).toBe(code);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('--version and --help exit 0', () => {
    expect(cilock(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = cilock(['plan', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: cilock plan');
  });
});
