/**
 * `npm run new:tool -- NAME`: scaffolds `catalog/tools/NAME/` — tool.yaml with the fields the
 * schema requires and one example stub, doc.md with the canonical sections, the example's fixtures
 * folder — so that `npm run catalog:check` passes at once and the page lint of `npm run gen:catalog`
 * lists the TODO markers left to fill in. `npm run examples -- --tool NAME --record` then writes the
 * example's expectations from a real run.
 *
 * Refuses a bad or taken name and writes nothing half-way: the folder is assembled under a
 * temporary name, checked with the catalog's own loader, and renamed into place last.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { CANONICAL_SECTIONS } from '../catalog/doc-sections.js';
import { loadDoc, parseEntry } from '../catalog/load.js';
import { formatProblem, type Problem } from '../catalog/problems.js';
import { NAME_PATTERN, ToolSchema } from '../catalog/schema.js';
import { typeOf, type AttestorName } from '../catalog/attestor-declarations.js';

export const EXAMPLE_ID = 'basic';
const MAX_NAME = 64;

export class ScaffoldError extends Error {}

/** Why `name` cannot be a new tool in `root`'s catalog, or undefined when it can. */
export function nameProblem(root: string, name: string): string | undefined {
  if (!NAME_PATTERN.test(name)) return `"${name}" is not a valid entry name: use lower case letters, digits, "-" and "_", starting with a letter (${NAME_PATTERN.source})`;
  if (name.length > MAX_NAME) return `"${name}" is longer than ${MAX_NAME} characters`;
  for (const kind of ['tools', 'attestors']) {
    if (existsSync(path.join(root, 'catalog', kind, name))) return `catalog/${kind}/${name} already exists: pick another name, or edit that entry`;
  }
  return undefined;
}

export function toolYaml(name: string): string {
  return `# yaml-language-server: $schema=../../schema/tool.schema.json
# Scaffolded by npm run new:tool. Replace every TODO, run npm run catalog:check, then
# npm run examples -- --tool ${name} --record to fill in the example's expect block from a real run.
name: ${name}
title: ${name} # TODO: the tool's name as its project writes it
description: >-
  TODO: one sentence of 20 to 40 words that says what ${name} checks or builds, which report it
  writes, and what cilock records and signs from its run.
# TODO: the step categories (catalog/schema/tool.schema.json lists them), the first one primary.
categories: [lint]
primary_category: lint
upstream:
  name: TODO
  vendor: TODO
  license: TODO # an SPDX identifier
  source: https://example.com/TODO
# TODO: the format attestors its report goes through (sarif, …); none until you know.
emits_formats: []
recommended_trace:
  mode: "off"
  reason: "TODO: why this trace level"
# TODO: true when findings make the tool exit non-zero.
exits_nonzero_on_findings: false
pre:
  match:
    argv_prefix: [${name}]
examples:
  - id: ${EXAMPLE_ID}
    title: TODO the example's title
    intro: >-
      TODO: what this example scans or builds, and the ${name} version it was validated with.
    step: ${name}
    command: |-
      cilock run --step ${name} \\
        --signer-file-key-path _validation/key.pem \\
        --outfile attestation.json \\
        --attestations environment,git \\
        -- ${name} TODO-arguments
    fixtures: examples/${EXAMPLE_ID}
    requires: [${name}]
    # Placeholders: npm run examples -- --tool ${name} --record writes what the run gives.
    expect:
      exit_code: 0
      predicate_types:
${SCAFFOLD_TYPES.map((a) => `        - ${typeOf(a)}`).join('\n')}
`;
}

/** What the scaffold's command attaches (environment, git) and what every run records. */
const SCAFFOLD_TYPES: AttestorName[] = ['environment', 'git', 'material', 'command-run', 'product'];

export function docMd(name: string): string {
  const frontMatter = stringify(
    {
      title: name,
      description: `TODO: one sentence of 20 to 40 words for search results and link previews, saying how cilock wraps ${name} and what the signed attestation proves.`,
      sidebar_position: 50,
    },
    { lineWidth: 0 },
  );
  const sections = CANONICAL_SECTIONS.map((s) => `## ${s.title}\n\nTODO: ${s.holds}.\n`);
  return `---\n${frontMatter}---\n\nTODO: what ${name} is, who makes it, what it finds, and why its report is worth signing.\n\n${sections.join('\n')}`;
}

const FIXTURES_README = (name: string) => `TODO: the files the ${name} example runs on. Everything in this folder is copied into a fresh git repository and committed before the example's command runs.\n`;

/** The files of a new entry, relative to its folder. */
export function scaffoldFiles(name: string): Record<string, string> {
  return { 'tool.yaml': toolYaml(name), 'doc.md': docMd(name), [`examples/${EXAMPLE_ID}/README.md`]: FIXTURES_README(name) };
}

/** Problems the catalog loader finds in the scaffold itself (none, unless this file is wrong). */
function selfCheck(name: string, files: Record<string, string>): Problem[] {
  const file = `catalog/tools/${name}/tool.yaml`;
  const { entry, problems } = parseEntry(file, files['tool.yaml']!, ToolSchema);
  if (entry) loadDoc(`catalog/tools/${name}/doc.md`, files['doc.md']!, entry, problems, true);
  return problems;
}

/** Writes `catalog/tools/NAME/` whole or not at all; returns the files written, repo-relative. */
export function scaffoldTool(root: string, name: string): string[] {
  const refused = nameProblem(root, name);
  if (refused) throw new ScaffoldError(refused);
  const files = scaffoldFiles(name);
  const problems = selfCheck(name, files);
  if (problems.length) throw new ScaffoldError(`the scaffold itself does not validate (a bug in src/scripts/new-tool.ts):\n${problems.map(formatProblem).join('\n')}`);
  const tools = path.join(root, 'catalog/tools');
  const staging = path.join(tools, `.${name}.new-${process.pid}`);
  try {
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(staging, rel)), { recursive: true });
      writeFileSync(path.join(staging, rel), content, { flag: 'wx' });
    }
    // Checked again just before the rename: another process may have taken the name meanwhile.
    if (existsSync(path.join(tools, name))) throw new ScaffoldError(`catalog/tools/${name} already exists: pick another name, or edit that entry`);
    renameSync(staging, path.join(tools, name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return Object.keys(files).map((rel) => `catalog/tools/${name}/${rel}`);
}

function main(argv: string[]): number {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  if (argv.length !== 1 || argv[0]!.startsWith('-')) {
    process.stderr.write('usage: npm run new:tool -- NAME   (NAME: lower case letters, digits, "-" and "_"; the folder catalog/tools/NAME/ must not exist)\n');
    return 2;
  }
  const name = argv[0]!;
  try {
    const written = scaffoldTool(root, name);
    process.stderr.write(
      `${written.map((f) => `created ${f}`).join('\n')}\nnext: replace the TODOs (the example's command and fixtures first), then\n  npm run catalog:check\n  npm run examples -- --tool ${name} --record\n  npm run gen:catalog\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof ScaffoldError)) throw err;
    process.stderr.write(`new:tool: ${err.message}\n`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) process.exitCode = main(process.argv.slice(2));
