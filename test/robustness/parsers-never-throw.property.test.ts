/**
 * Property-based: the catalog loader (YAML parse + schema) and the shell unwrapper end in
 * problems or a result on any input, never in an uncaught error.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseEntry, SCHEMA_CRASH } from '../../src/catalog/load.js';
import { AttestorSchema, ToolSchema } from '../../src/catalog/schema.js';
import { invocations, splitScript } from '../../src/detection/unwrap.js';

const RUNS = { numRuns: 300 };

/** Fragments that steer random text towards YAML's corners: anchors, aliases, tags, documents, flow. */
const yamlFragment = fc.constantFrom('name: x', 'title:', '\n', '  ', '- ', '&a ', '*a', '---', '...', '[', ']', '{', '}', ': ', '"', "'", '# c', 'x', '1', 'null', '~', '|', '>', '!!str ', '!!map ', '? ', '<<: *a', '%YAML 1.2', '\t', 'pre:', 'match:', 'any_of:');
const yamlText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(yamlFragment, { maxLength: 60 }).map((parts) => parts.join('')));

/** Well-formed YAML whose keys are the schema's own, so validation (not just parsing) is exercised. */
const KEYS = ['name', 'title', 'description', 'categories', 'primary_category', 'upstream', 'pre', 'post', 'match', 'warnings', 'examples', 'validate', 'expect', 'checks', 'id', 'any_of', 'all_of', 'not', 'argv_prefix', 'env_set', 'exit_code', 'suggested_fix', 'llm_hints', 'emits_formats', 'captured', 'recommended_trace', 'mode', 'runnable', 'predicate_type', 'run_type'];
const shapedEntry = fc
  .dictionary(fc.constantFrom(...KEYS), fc.anything({ key: fc.constantFrom(...KEYS), maxDepth: 4, withNullPrototype: false }), { maxKeys: 12 })
  .map((value) => stringify(value));

function assertEndsInProblemsOrEntry(text: string): void {
  for (const schema of [ToolSchema, AttestorSchema]) {
    const result = parseEntry('catalog/tools/x/tool.yaml', text, schema);
    expect(result.entry !== undefined || result.problems.length > 0).toBe(true);
    for (const problem of result.problems) {
      expect(problem.message.startsWith(SCHEMA_CRASH), problem.message).toBe(false);
      expect(problem.line).toBeGreaterThanOrEqual(1);
      expect(problem.col).toBeGreaterThanOrEqual(1);
    }
  }
}

describe('catalog loader on arbitrary YAML', () => {
  it('ends in problems or an entry for arbitrary text', () => {
    fc.assert(fc.property(yamlText, assertEndsInProblemsOrEntry), RUNS);
  });

  it('ends in problems or an entry for arbitrary mappings of schema keys', () => {
    fc.assert(fc.property(shapedEntry, assertEndsInProblemsOrEntry), RUNS);
  });
});

const shellFragment = fc.constantFrom('sh', 'bash', '-c', '-ec', '-o', 'pipefail', 'env', 'A=1', 'sudo', '-u', 'time', 'timeout', '5', 'nice', 'xargs', 'npx', 'npm', 'exec', '--', '&&', '||', ';', '|', '&', '(', ')', '>', '2>&1', '<<', "'", '"', '$(', '`', '\\', '\n', '#', '*', '$X', 'kubescape', 'scan', ' ');
const word = fc.oneof(fc.string({ maxLength: 20 }), fc.array(shellFragment, { maxLength: 12 }).map((parts) => parts.join(' ')), shellFragment);

describe('shell unwrapper on arbitrary input', () => {
  it('invocations() returns the argv first and never throws', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), (argv) => {
        const found = invocations(argv);
        expect(found[0]?.argv).toEqual(argv);
        for (const inv of found) expect(Array.isArray(inv.argv)).toBe(true);
      }),
      RUNS,
    );
  });

  it('splitScript() returns commands with non-empty argv and never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(shellFragment, { maxLength: 40 }).map((parts) => parts.join(''))), (script) => {
        for (const command of splitScript(script, 'sh -c')) {
          expect(command.argv.length).toBeGreaterThan(0);
          for (const arg of command.argv) expect(typeof arg).toBe('string');
        }
      }),
      RUNS,
    );
  });
});
