import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { parseYamlDocuments, YamlSubsetError } from '../../stand-ins/kubescape/miniyaml.mjs';
import { REPO_ROOT } from '../../stand-ins/kubescape/recorder.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(name) ? [full] : [];
  });
}

function reference(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length > 0) throw d.errors[0];
    return d.toJS();
  });
}

const sample = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'frontend',
        namespace: 'shop',
        labels: { 'app.kubernetes.io/name': 'frontend', tier: 'web' },
        annotations: {
          'deployment.kubernetes.io/revision': '2',
          'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"apps/v1","kind":"Deployment"}\n',
          description: 'A long description that kubectl may fold over several lines because it is longer than eighty characters: it: has: colons and # hashes',
        },
        creationTimestamp: '2026-01-02T03:04:05Z',
        generation: 3,
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'frontend' } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'frontend' } },
          spec: {
            containers: [
              {
                name: 'server',
                image: 'registry.example.com/shop/frontend:1.2.3',
                args: ['--port=8080', '--flag', "it's \"quoted\""],
                env: [
                  { name: 'EMPTY', value: '' },
                  { name: 'NUMBERISH', value: '0123' },
                  { name: 'BOOLISH', value: 'true' },
                  { name: 'MULTI', value: 'line one\nline two\n' },
                ],
                ports: [{ containerPort: 8080, protocol: 'TCP' }],
                resources: {},
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              },
            ],
            dnsPolicy: 'ClusterFirst',
            tolerations: [{ effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 }],
          },
        },
      },
      status: { conditions: [{ type: 'Available', status: 'True', message: 'Deployment has minimum availability.' }] },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'shop' } },
  ],
  metadata: { resourceVersion: '' },
};

describe('miniyaml (the stand-in’s YAML reader)', () => {
  const fixtureDirs = [
    path.join(REPO_ROOT, 'test/stand-ins/kubescape/regolibrary/rule-tests'),
    path.join(REPO_ROOT, 'test/unit/stand-ins/fixtures/kubescape-examples'),
    path.join(REPO_ROOT, 'catalog/tools/kubescape/examples/static-manifests'),
  ];
  const files = fixtureDirs.flatMap(yamlFiles).filter((f) => !f.endsWith('invalid.yaml'));

  it.each(files.map((f) => [path.relative(REPO_ROOT, f), f]))('reads %s like the yaml package', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(parseYamlDocuments(text)).toEqual(reference(text));
  });

  it.each([
    ['block sequences indented under their key', { indentSeq: true }],
    ['indentless sequences (kubectl style)', { indentSeq: false }],
    ['narrow lines with folded plain and quoted scalars', { lineWidth: 40, minContentWidth: 10 }],
    ['double-quoted strings', { defaultStringType: 'QUOTE_DOUBLE' as const, lineWidth: 50 }],
    ['single-quoted strings', { defaultStringType: 'QUOTE_SINGLE' as const }],
    ['flow collections', { collectionStyle: 'flow' as const, lineWidth: 60 }],
  ])('reads a List dump written with %s', (_what, options) => {
    const text = stringify(sample, options);
    expect(parseYamlDocuments(text)).toEqual([sample]);
  });

  it('reads several documents, comments, block scalars, anchors and an empty document', () => {
    const text = [
      '# leading comment',
      '---',
      'a: &x 1 # trailing comment',
      'b: *x',
      'c: |-',
      '  line 1',
      '',
      '  line 3',
      'd: >',
      '  folded',
      '  text',
      "e: 'it''s'",
      'f: "tab\\there"',
      'g: [1, two, "three", {x: y}]',
      'h:',
      '- k: v',
      '  l: w',
      '- - nested',
      '---',
      '---',
      'name : spaced key',
      '...',
    ].join('\n');
    expect(parseYamlDocuments(text)).toEqual(reference(text));
  });

  it('refuses what it does not read', () => {
    expect(() => parseYamlDocuments('@')).not.toThrow(); // a plain scalar to this reader; not a manifest either way
    expect(() => parseYamlDocuments('? complex\n: key\n')).toThrow(YamlSubsetError);
    expect(() => parseYamlDocuments('a: "unterminated\n')).toThrow(YamlSubsetError);
  });
});
