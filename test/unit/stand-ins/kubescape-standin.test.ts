import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { sarifSchemaErrors } from '../../../src/attestors/sarif/schema.js';
import { buildRecording, REPO_ROOT } from '../../stand-ins/kubescape/recorder.js';
import { NOTICE } from '../../stand-ins/kubescape/standin.mjs';

const BIN_DIR = path.join(REPO_ROOT, 'test/stand-ins/bin');
const STATIC_EXAMPLE = path.join(REPO_ROOT, 'catalog/tools/kubescape/examples/static-manifests/manifests');
const RULE_TESTS = path.join(REPO_ROOT, 'test/stand-ins/kubescape/regolibrary/rule-tests');

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A fresh directory outside any git work tree, with a copy of the static example's manifests/. */
function workdir(opts: { git?: boolean; manifests?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubescape-stand-in-'));
  temps.push(dir);
  if (opts.manifests !== false) cpSync(STATIC_EXAMPLE, path.join(dir, 'manifests'), { recursive: true });
  if (opts.git) {
    const r = spawnSync('git', ['init', '-q', dir]);
    if (r.status !== 0) mkdirSync(path.join(dir, '.git'));
  }
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function kubescape(args: string[], cwd: string, env: Record<string, string> = {}): Run {
  // Through PATH and a shell, the way the documented commands run it.
  const r = spawnSync('sh', ['-c', 'kubescape "$@"', 'kubescape', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${BIN_DIR}${path.delimiter}${process.env.PATH ?? ''}`, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function sarifResults(doc: SarifDoc): { ruleId: string; uri: string; line: number; column: number }[] {
  return doc.runs[0]!.results.map((r) => ({
    ruleId: r.ruleId,
    uri: r.locations[0]!.physicalLocation.artifactLocation.uri,
    line: r.locations[0]!.physicalLocation.region.startLine,
    column: r.locations[0]!.physicalLocation.region.startColumn,
  }));
}

interface SarifDoc {
  version: string;
  $schema: string;
  runs: {
    tool: { driver: Record<string, unknown> & { rules: Record<string, unknown>[] } };
    invocations: Record<string, unknown>[];
    results: {
      ruleId: string;
      ruleIndex: number;
      level?: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
    }[];
  }[];
}

describe('kubescape stand-in: scan framework', () => {
  it('runs the documented static command and replays the 4 results the pinned Kubescape found', () => {
    const dir = workdir({ git: true });
    const r = kubescape(['scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'kubescape.sarif', 'manifests/'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(NOTICE);
    expect(r.stdout).toMatch(/^Kubescape stand-in \(cilock tests, not the real Kubescape\)/);
    const text = readFileSync(path.join(dir, 'kubescape.sarif'), 'utf8');
    expect(text.endsWith('\n')).toBe(false);
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2));
    const doc = JSON.parse(text) as SarifDoc;
    expect(sarifResults(doc)).toEqual([
      { ruleId: 'C-0016', uri: 'manifests/deployment.yaml', line: 31, column: 11 },
      { ruleId: 'C-0017', uri: 'manifests/deployment.yaml', line: 31, column: 11 },
      { ruleId: 'C-0030', uri: 'manifests/deployment.yaml', line: 1, column: 1 },
      { ruleId: 'C-0055', uri: 'manifests/deployment.yaml', line: 31, column: 11 },
    ]);
  });

  it('writes the SARIF shape of Kubescape v4.0.12 (spec §2.2) and valid SARIF 2.1.0', () => {
    const dir = workdir();
    const r = kubescape(['scan', 'framework', 'nsa', 'manifests', '--format', 'sarif', '--output', 'out.sarif'], dir);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8')) as SarifDoc;
    expect(sarifSchemaErrors(doc)).toEqual([]);
    expect(doc.version).toBe('2.1.0');
    expect(doc.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(doc.runs).toHaveLength(1);
    const run = doc.runs[0]!;
    expect(run.tool.driver.name).toBe('kubescape');
    expect(run.tool.driver.informationUri).toBe('https://armosec.io');
    expect(run.tool.driver).not.toHaveProperty('version');
    expect(run.tool.driver).not.toHaveProperty('semanticVersion');
    const rules = run.tool.driver.rules;
    expect(rules.map((x) => x.id)).toEqual(['C-0016', 'C-0017', 'C-0030', 'C-0055']);
    expect(rules[0]).toEqual({
      id: 'C-0016',
      shortDescription: { text: 'Allow privilege escalation' },
      fullDescription: { text: 'Attackers may gain access to a container and uplift its privilege to enable excessive capabilities.' },
      defaultConfiguration: { level: 'warning' },
      help: {
        text: 'Remediation: If your application does not need it, make sure the allowPrivilegeEscalation field of the securityContext is set to false.',
      },
      properties: { 'security-severity': '6.0' },
    });
    // baseScore 3 (C-0017) is a note; nothing is named
    expect(rules[1]).toMatchObject({ defaultConfiguration: { level: 'note' }, properties: { 'security-severity': '3.0' } });
    for (const rule of rules) expect(rule).not.toHaveProperty('name');
    for (const result of run.results) {
      expect(result).not.toHaveProperty('level');
      expect(rules[result.ruleIndex]!.id).toBe(result.ruleId);
      expect(result.message.text).toBe((rules[result.ruleIndex]!.fullDescription as { text: string }).text);
      const loc = result.locations[0]!.physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: 'deployment.yaml' }); // not in git: relative to the scanned directory
      expect(Object.keys(loc.region)).toEqual(['startLine', 'startColumn']);
    }
    expect(run.invocations).toHaveLength(1);
    const inv = run.invocations[0]!;
    expect(inv.executionSuccessful).toBe(true);
    expect(String(inv.startTimeUtc)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Date.parse(String(inv.endTimeUtc))).toBeGreaterThanOrEqual(Date.parse(String(inv.startTimeUtc)));
  });

  it('appends .sarif unless the name already ends in it (case-insensitive) and creates parent folders', () => {
    const dir = workdir();
    const cases: [string[], string][] = [
      [['--output', 'results'], 'results.sarif'],
      [['--output', 'out.json'], 'out.json.sarif'],
      [['--output', 'REPORT.SARIF'], 'REPORT.SARIF'],
      [['-o', 'deep/er/r'], 'deep/er/r.sarif'],
      [['--output=eq.sarif'], 'eq.sarif'],
    ];
    for (const [flags, expected] of cases) {
      const r = kubescape(['scan', 'framework', 'nsa', '-f', 'sarif', ...flags, 'manifests/'], dir);
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(path.join(dir, expected)), expected).toBe(true);
      expect(r.stderr).toContain(`Scan results saved. filename: ${expected}`);
    }
    expect(existsSync(path.join(dir, 'out.json'))).toBe(false);
  });

  it('writes SARIF to stdout without --output, and nothing else there', () => {
    const dir = workdir();
    const r = kubescape(['scan', 'framework', 'nsa', '--format=sarif', 'manifests/deployment.yaml'], dir);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as SarifDoc;
    // a single file scanned outside git: relative to the file's own folder
    expect(sarifResults(doc).map((x) => x.uri)).toEqual(Array(4).fill('deployment.yaml'));
  });

  it('matches framework names case-insensitively and expands comma lists', () => {
    const dir = workdir();
    for (const name of ['NSA', 'Nsa', 'nsa,NSA']) {
      const r = kubescape(['scan', 'framework', name, '--format', 'sarif', '-o', 'x', 'manifests/'], dir);
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
    }
  });

  it('is deterministic: same inputs, same bytes (with SOURCE_DATE_EPOCH), same results otherwise', () => {
    const a = workdir();
    const b = workdir();
    const env = { SOURCE_DATE_EPOCH: '1767225600' };
    expect(kubescape(['scan', 'framework', 'nsa', '--format', 'sarif', '-o', 'r', 'manifests/'], a, env).status).toBe(0);
    expect(kubescape(['scan', 'framework', 'nsa', '--format', 'sarif', '-o', 'r', 'manifests/'], b, env).status).toBe(0);
    const ta = readFileSync(path.join(a, 'r.sarif'), 'utf8');
    expect(ta).toBe(readFileSync(path.join(b, 'r.sarif'), 'utf8'));
    expect(JSON.parse(ta).runs[0].invocations[0]).toEqual({
      endTimeUtc: '2026-01-01T00:00:00Z',
      executionSuccessful: true,
      startTimeUtc: '2026-01-01T00:00:00Z',
    });
    expect(kubescape(['scan', 'framework', 'nsa', '--format', 'sarif', '-o', 'q', 'manifests/'], a).status).toBe(0);
    const strip = (t: string) => {
      const d = JSON.parse(t);
      delete d.runs[0].invocations;
      return d;
    };
    expect(strip(readFileSync(path.join(a, 'q.sarif'), 'utf8'))).toEqual(strip(ta));
  });
});

describe('kubescape stand-in: errors', () => {
  it('refuses SARIF without a local path, exactly as Kubescape', () => {
    const dir = workdir();
    const r = kubescape(['scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'kubescape.sarif'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Error: format "sarif" is only supported when scanning local files');
    expect(existsSync(path.join(dir, 'kubescape.sarif'))).toBe(false);
  });

  it('reports an unknown framework with Kubescape’s text', () => {
    const dir = workdir();
    const r = kubescape(['scan', 'framework', 'nsa,nope', '--format', 'sarif', 'manifests/'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Error: framework 'nope' not found, run `kubescape list frameworks` for available frameworks");
  });

  it('reproduces Kubescape’s usage errors with exit 1', () => {
    const dir = workdir();
    const cases: [string[], string][] = [
      [['scan', 'framework'], 'Error: requires at least one framework name'],
      [['scan', 'framework', 'nsa,', 'manifests/'], 'Error: usage: <framework-0>,<framework-1>'],
      [['scan', 'framework', 'nsa', '--format', 'xml', 'manifests/'], 'Error: invalid format "xml", supported formats: pretty-printer, json'],
      [['scan', 'framework', 'nsa', '--fail-threshold', '10', 'manifests/'], 'Error: unknown flag: --fail-threshold'],
      [['scan', 'framework', 'nsa', '--compliance-threshold', '101', 'manifests/'], 'Error: bad argument: out of range threshold'],
      [['frobnicate'], 'Error: unknown command "frobnicate" for "kubescape"'],
    ];
    for (const [args, message] of cases) {
      const r = kubescape(args, dir);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stderr.split('\n')[0]).toBe(NOTICE);
    }
  });

  it('refuses inputs it has no recording for (exit 2), naming what it saw and how to record', () => {
    const dir = workdir();
    const file = path.join(dir, 'manifests/deployment.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 2', 'replicas: 3'));
    const r = kubescape(['scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'k.sarif', 'manifests/'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/kubescape stand-in: no recording for these inputs \(framework NSA; manifests\/deployment\.yaml sha256:[0-9a-f]{16}…\); record one with \(cd .* && npx tsx test\/stand-ins\/kubescape\/record\.ts --name <name> .*manifests\)/);
    expect(existsSync(path.join(dir, 'k.sarif'))).toBe(false);
  });

  it('refuses another framework, another format and a missing path (exit 2)', () => {
    const dir = workdir();
    expect(kubescape(['scan', 'framework', 'mitre', '--format', 'sarif', 'manifests/'], dir).status).toBe(2);
    expect(kubescape(['scan', 'framework', 'nsa', '--format', 'json', 'manifests/'], dir).status).toBe(2);
    expect(kubescape(['scan', 'framework', 'nsa', 'manifests/'], dir).status).toBe(2);
    const missing = kubescape(['scan', 'framework', 'nsa', '--format', 'sarif', 'manifests/', 'nope.yaml'], dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.yaml (does not exist)');
  });

  it('writes the report, then fails a severity threshold like Kubescape', () => {
    const dir = workdir();
    const high = kubescape(['scan', 'framework', 'nsa', '--format', 'sarif', '-o', 'h', '--severity-threshold', 'high', 'manifests/'], dir);
    expect(high.status).toBe(0); // worst failed control is medium (6.0)
    const medium = kubescape(['scan', 'framework', 'nsa', '--format', 'sarif', '-o', 'm', '--severity-threshold', 'Medium', 'manifests/'], dir);
    expect(medium.status).toBe(1);
    expect(medium.stderr).toContain('Error: compliance result exceeds severity threshold: Medium');
    expect(existsSync(path.join(dir, 'm.sarif'))).toBe(true);
  });
});

describe('kubescape stand-in: version and list', () => {
  it('prints the version as text and JSON', () => {
    const dir = workdir({ manifests: false });
    const text = kubescape(['version'], dir);
    expect(text.status).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('Your current version is: v4.0.12');
    expect(text.stdout).toMatch(/^Build commit: [0-9a-f]{40}$/m);
    expect(text.stderr.split('\n')[0]).toBe(NOTICE);
    const json = kubescape(['version', '--format', 'json'], dir);
    expect(json.status).toBe(0);
    expect(Object.keys(JSON.parse(json.stdout))).toEqual(['version', 'commit', 'date']);
    expect(JSON.parse(json.stdout).version).toBe('v4.0.12');
  });

  it('lists the regolibrary frameworks as a table and as JSON', () => {
    const dir = workdir({ manifests: false });
    const names = ['AllControls', 'ArmoBest', 'cis-aks-t1.2.0', 'cis-aks-t1.8.0', 'cis-eks-t1.7.0', 'cis-eks-t1.8.0', 'cis-gke-v1.9.0', 'cis-v1.10.0', 'cis-v1.12.0', 'DevOpsBest', 'MITRE', 'NSA', 'SOC2'];
    const table = kubescape(['list', 'frameworks'], dir);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('│ Supported frameworks │');
    for (const n of names) expect(table.stdout).toContain(`│ ${n}`);
    const json = kubescape(['list', 'frameworks', '--format', 'json'], dir);
    expect(JSON.parse(json.stdout)).toEqual(names);
  });
});

describe('kubescape stand-in: kubectl List dumps are keyed by resource identities', () => {
  // A small cluster built from regolibrary's rule-test objects, as `kubectl get … -o yaml` would dump it.
  const objects = [
    'rule-privileged-container/test/workloads/input/deployment.yaml',
    'rule-privileged-container/test/pod/input/pod.yaml',
    'host-network-access/test/workloads/input/deployment.yaml',
    'automount-service-account/test/pod-mount/input/file.yaml',
  ].map((f) => parseYaml(readFileSync(path.join(RULE_TESTS, f), 'utf8')) as Record<string, unknown>);
  objects[2] = { ...objects[2], metadata: { ...(objects[2]!.metadata as object), namespace: 'shop' } };
  objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } });
  const list = { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };

  function recordInto(dir: string, snapshot: string): string {
    const recordings = path.join(dir, 'recordings');
    mkdirSync(recordings);
    const { recording } = buildRecording([snapshot], { name: 'test-snapshot', frameworks: ['NSA'], cwd: dir });
    writeFileSync(path.join(recordings, 'test-snapshot.json'), JSON.stringify(recording, null, 2));
    return recordings;
  }

  it('replays a snapshot recording for a differently laid out dump of the same resources, at 1:1', () => {
    const dir = workdir({ manifests: false, git: true });
    writeFileSync(path.join(dir, 'recorded.yaml'), stringify(list, { indentSeq: false }));
    const recordings = recordInto(dir, path.join(dir, 'recorded.yaml'));

    // another layout: indented sequences, other key order, extra server-filled fields, a comment, and a second document
    const reordered = {
      kind: 'List',
      apiVersion: 'v1',
      metadata: { resourceVersion: '' },
      items: [...objects].reverse().map((o) => ({ status: { phase: 'Running' }, ...o })),
    };
    writeFileSync(path.join(dir, 'cluster-snapshot.yaml'), `# dumped by another kubectl\n${stringify(reordered, { indentSeq: true })}`);
    const env = { CILOCK_KUBESCAPE_RECORDINGS: recordings };
    const r = kubescape(['scan', 'framework', 'nsa', '--format', 'sarif', '--output', 'kubescape-cluster.sarif', 'cluster-snapshot.yaml'], dir, env);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(dir, 'kubescape-cluster.sarif'), 'utf8')) as SarifDoc;
    expect(sarifSchemaErrors(doc)).toEqual([]);
    const results = sarifResults(doc);
    expect(results.length).toBeGreaterThan(10);
    expect(new Set(results.map((x) => x.uri))).toEqual(new Set(['cluster-snapshot.yaml']));
    expect(new Set(results.map((x) => `${x.line}:${x.column}`))).toEqual(new Set(['1:1']));
    const ids = new Set(results.map((x) => x.ruleId));
    for (const id of ['C-0012', 'C-0034', 'C-0041', 'C-0057']) expect(ids).toContain(id);

    // the same dump as several documents (List + List) is the same set of resources
    const half = Math.ceil(objects.length / 2);
    const split = [objects.slice(0, half), objects.slice(half)]
      .map((items) => stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }))
      .join('---\n');
    writeFileSync(path.join(dir, 'cluster-snapshot.yaml'), split);
    expect(kubescape(['scan', 'framework', 'nsa', '--format', 'sarif', '-o', 'two', 'cluster-snapshot.yaml'], dir, env).status).toBe(0);
  });

  it('refuses a dump of a different cluster', () => {
    const dir = workdir({ manifests: false });
    writeFileSync(path.join(dir, 'recorded.yaml'), stringify(list));
    const recordings = recordInto(dir, path.join(dir, 'recorded.yaml'));
    const fewer = { ...list, items: objects.slice(1) };
    writeFileSync(path.join(dir, 'cluster-snapshot.yaml'), stringify(fewer));
    const r = kubescape(['scan', 'framework', 'nsa', '--format', 'sarif', '-o', 'x', 'cluster-snapshot.yaml'], dir, {
      CILOCK_KUBESCAPE_RECORDINGS: recordings,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cluster-snapshot.yaml kind: List dump of 4 resources');
  });
});
