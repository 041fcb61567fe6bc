import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURE_ORIGIN_PREFIX, captureRecording, PINNED_KUBESCAPE, PINNED_KUBESCAPE_BIN } from '../../stand-ins/kubescape/capture.js';
import { type Finding, NSA_CHECKS } from '../../stand-ins/kubescape/checks.js';
import { inputKeyOfFile } from '../../stand-ins/kubescape/keying.mjs';
import {
  buildRecording,
  evaluate,
  loadFile,
  loadNsaControls,
  locate,
  parsePath,
  REPO_ROOT,
} from '../../stand-ins/kubescape/recorder.js';

const RULE_TESTS = path.join(REPO_ROOT, 'test/stand-ins/kubescape/regolibrary/rule-tests');
const STATIC_EXAMPLE = 'catalog/tools/kubescape/examples/static-manifests/manifests';
const RECORDINGS = path.join(REPO_ROOT, 'test/stand-ins/kubescape/recordings');

/** regolibrary rule → the NSA control that uses it. */
const RULE_CONTROL: Record<string, string> = {
  'automount-service-account': 'C-0034',
  'host-network-access': 'C-0041',
  'host-pid-ipc-privileges': 'C-0038',
  'immutable-container-filesystem': 'C-0017',
  'non-root-containers': 'C-0013',
  'resources-cpu-limits': 'C-0270',
  'resources-memory-limits': 'C-0271',
  'rule-allow-privilege-escalation': 'C-0016',
  'rule-privileged-container': 'C-0057',
};

interface ExpectedDeny {
  failedPaths?: string[] | null;
  fixPaths?: { path: string; value: string }[] | null;
  deletePaths?: string[] | null;
  alertObject: { k8sApiObjects: { kind: string; metadata: { name: string } }[] };
}

/** The paths of some findings as comparable strings. */
function pathStrings(findings: (Finding | ExpectedDeny)[]): string[] {
  return findings
    .flatMap((f) => [
      ...(f.fixPaths ?? []).map((p) => `fix ${p.path}=${p.value}`),
      ...(f.deletePaths ?? []).map((p) => `delete ${p}`),
      ...(f.failedPaths ?? []).filter((p) => p !== '').map((p) => `failed ${p}`),
    ])
    .sort();
}

const cases = Object.keys(RULE_CONTROL).flatMap((rule) =>
  readdirSync(path.join(RULE_TESTS, rule, 'test')).map((name) => ({ rule, name, dir: path.join(RULE_TESTS, rule, 'test', name) })),
);

describe('NSA checks against regolibrary’s rule tests', () => {
  it.each(cases.map((c) => [`${c.rule}/${c.name}`, c]))('%s', (_label, c) => {
    const control = RULE_CONTROL[c.rule] as string;
    const check = NSA_CHECKS.find((k) => k.control === control);
    expect(check, control).toBeDefined();
    const inputDir = path.join(c.dir, 'input');
    const files = readdirSync(inputDir)
      .sort()
      .map((name, i) => loadFile(path.join(inputDir, name), inputDir, i));
    const all = files.flatMap((f) => f.objects.map((o) => o.object));
    const expected = JSON.parse(readFileSync(path.join(c.dir, 'expected.json'), 'utf8')) as ExpectedDeny[];

    const byResource = (kind: string, name: string) =>
      all.find((o) => o.kind === kind && (o.metadata as { name?: string }).name === name);
    const failing = all
      .filter((o) => check!.check(o, { all }).length > 0)
      .map((o) => `${String(o.kind)}/${String((o.metadata as { name?: string }).name)}`)
      .sort();
    const expectedFailing = [
      ...new Set(expected.flatMap((e) => e.alertObject.k8sApiObjects.map((o) => `${o.kind}/${o.metadata.name}`))),
    ].sort();
    expect(failing).toEqual(expectedFailing);

    for (const resource of expectedFailing) {
      const [kind, name] = resource.split('/') as [string, string];
      const object = byResource(kind, name);
      const mine = check!.check(object!, { all });
      const theirs = expected.filter((e) => e.alertObject.k8sApiObjects.some((o) => o.kind === kind && o.metadata.name === name));
      expect(pathStrings(mine), resource).toEqual(pathStrings(theirs));
    }
  });

  it('has a check for every NSA control it names, and the control texts for all of them', () => {
    const controls = loadNsaControls();
    expect(Object.keys(controls)).toHaveLength(26);
    for (const check of NSA_CHECKS) {
      const c = controls[check.control];
      expect(c, check.control).toBeDefined();
      expect(c!.scope).toContain('file');
    }
  });
});

describe('result locations (first fix/delete/review/failed path, walking up to an existing node)', () => {
  it('splits Kubescape paths', () => {
    expect(parsePath('spec.template.spec.containers[0].securityContext.capabilities.add[1]')).toEqual([
      { key: 'spec' },
      { key: 'template' },
      { key: 'spec' },
      { key: 'containers', index: 0 },
      { key: 'securityContext' },
      { key: 'capabilities' },
      { key: 'add', index: 1 },
    ]);
    expect(parsePath('data[app.properties]')).toEqual([{ key: 'data' }, { key: 'app.properties' }]);
  });

  it('points at an existing value, at the nearest existing parent, or at 1:1', () => {
    const file = path.join(RULE_TESTS, 'rule-allow-privilege-escalation/test/workloads/input/deployment.yaml');
    const loaded = loadFile(file, file, 0);
    // line 23: "            allowPrivilegeEscalation: true" -> the value
    expect(locate(loaded, 0, 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation')).toEqual({ line: 23, column: 39 });
    // readOnlyRootFilesystem is absent: the securityContext mapping (its first key) on line 23
    expect(locate(loaded, 0, 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem')).toEqual({ line: 23, column: 13 });
    // container 1 has no securityContext: the container entry ("name : php" on line 29)
    expect(locate(loaded, 0, 'spec.template.spec.containers[1].securityContext.runAsNonRoot')).toEqual({ line: 29, column: 11 });
    expect(locate(loaded, 0, 'nothing.here')).toEqual({ line: 1, column: 1 });
    expect(locate(loaded, 0, undefined)).toEqual({ line: 1, column: 1 });
    expect(locate(loaded, 5, 'spec')).toEqual({ line: 1, column: 1 });
  });
});

describe('the static example', () => {
  it('yields exactly 5 NSA results, at these places', () => {
    const { recording } = buildRecording([STATIC_EXAMPLE], { name: 'static-manifests', frameworks: ['NSA'], cwd: REPO_ROOT });
    expect(recording.inputs).toHaveLength(1);
    const results = recording.inputs[0]!.results.map((r) => `${r.control} ${r.startLine}:${r.startColumn}`);
    expect(results).toEqual(['C-0016 31:11', 'C-0017 31:11', 'C-0030 1:1', 'C-0034 24:7', 'C-0055 31:11']);
    expect(new Set(recording.inputs[0]!.results.map((r) => r.resource))).toEqual(new Set(['apps/v1/shop/Deployment/storefront']));
  });

  const committed = () => JSON.parse(readFileSync(path.join(RECORDINGS, 'static-manifests.json'), 'utf8'));

  it('has a recording of the current fixture (re-capture with record.ts --real when this fails)', () => {
    const file = path.join(REPO_ROOT, STATIC_EXAMPLE, 'deployment.yaml');
    expect(committed().inputs.map((i: { key: unknown }) => i.key)).toEqual([inputKeyOfFile(file)]);
  });

  // With the pinned real Kubescape (npm run tools:install) the recording must equal a fresh capture;
  // without it, the keys above are what can be checked, and the title says so.
  const real = existsSync(PINNED_KUBESCAPE_BIN);
  it(`${real ? 'equals a fresh capture from the real' : 'cannot be compared with a fresh capture (no'} Kubescape ${PINNED_KUBESCAPE}${real ? '' : ' in .tools: npm run tools:install)'}`, () => {
    if (!real) return;
    const fresh = captureRecording([STATIC_EXAMPLE], { name: 'static-manifests', framework: 'nsa', frameworks: ['NSA'], cwd: REPO_ROOT, bin: PINNED_KUBESCAPE_BIN });
    expect(committed()).toEqual(JSON.parse(JSON.stringify(fresh)));
  }, 120_000);
});

describe('every committed recording', () => {
  const files = readdirSync(RECORDINGS).filter((n) => n.endsWith('.json'));

  it.each(files)('%s says where it came from and is self-consistent', (name) => {
    const data = JSON.parse(readFileSync(path.join(RECORDINGS, name), 'utf8'));
    expect(data.header.origin.startsWith(`${CAPTURE_ORIGIN_PREFIX} ${PINNED_KUBESCAPE} `)).toBe(true);
    expect(data.header.recordedWith).toMatch(/^npx tsx test\/stand-ins\/kubescape\/record\.ts --real /);
    expect(data.name).toBe(name.replace(/\.json$/, ''));
    const used = new Set<string>(data.inputs.flatMap((i: { results: { control: string }[] }) => i.results.map((r) => r.control)));
    expect(new Set(Object.keys(data.controls))).toEqual(used);
  });
});

describe('objects of several files are judged together', () => {
  it('a NetworkPolicy or ServiceAccount in another file clears C-0030 / C-0034', () => {
    const dir = path.join(RULE_TESTS, 'automount-service-account/test/pod-mount/input');
    const files = ['file.yaml', 'serviceaccount.json'].map((n, i) => loadFile(path.join(dir, n), dir, i));
    const results = evaluate(files);
    // The pod sets automountServiceAccountToken: true itself, so it fails although its ServiceAccount says false;
    // the ServiceAccount (false) passes.
    expect(results.filter((r) => r.control === 'C-0034').map((r) => r.resource)).toEqual(['v1//Pod/test-pd']);
  });
});

describe('Kubescape’s own example manifests', () => {
  const examples = path.join(REPO_ROOT, 'test/unit/stand-ins/fixtures/kubescape-examples');

  it('reads no objects from invalid YAML and keys it by its bytes', () => {
    const file = path.join(examples, 'online-boutique/invalid.yaml');
    const loaded = loadFile(file, file, 0);
    expect(loaded.objects).toEqual([]);
    expect(loaded.key).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(evaluate([loaded])).toEqual([]);
  });

  it('finds the privileged container of the privileged pod at its privileged: true', () => {
    const file = path.join(examples, 'privileged-pod.yaml');
    const results = evaluate([loadFile(file, file, 0)]);
    const c0057 = results.find((r) => r.control === 'C-0057');
    expect(c0057).toMatchObject({ resource: 'v1//Pod/privileged-pod', startLine: 10, startColumn: 19 });
  });
});
