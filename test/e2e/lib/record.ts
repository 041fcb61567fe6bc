/**
 * `npm run examples -- --tool NAME --record`: writes what an example's run showed into its
 * `expect` block in tool.yaml. Only the values that changed are rewritten, as edits of the source
 * text at the positions the `yaml` parser gives: comments, key order, quoting, folded scalars and
 * flow lists everywhere else stay byte for byte (re-serialising the document would reflow them).
 */
import { isMap, isSeq, parseDocument, Document, type Pair, type Node, type YAMLMap } from 'yaml';
import { parseEntry } from '../../../src/catalog/load.js';
import { formatProblem } from '../../../src/catalog/problems.js';
import { ExampleSchema, ToolSchema } from '../../../src/catalog/schema.js';
import { argvOfCommand, isStandardCheck } from '../../../src/catalog/standard-checks.js';
import type { CheckSpec, ExampleSpec } from './catalog.js';
import { describeTier, type Tier } from './tiers.js';

/** What one run of an example showed. */
export interface Observed {
  exit_code: number;
  predicate_types: string[];
  cmd?: string[];
  products: string[];
  sarif_report?: string;
  sarif_results?: number;
  /** Every validate check's output (stdout, trailing newline removed), by check id. */
  checks: Record<string, string>;
}

/** The `expect` keys in schema order: where a key that was not there yet goes. */
const EXPECT_KEYS = Object.keys(ExampleSchema.shape.expect.shape);

/** The expect block the observation implies: undefined removes a key; what derives from another expectation is left out. */
export function expectedFrom(example: Pick<ExampleSpec, 'command'>, observed: Observed, checks: CheckSpec[], current: Record<string, unknown>): Record<string, unknown> {
  const sameSet = (a: unknown, b: string[]) => Array.isArray(a) && a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
  const derivedArgv = argvOfCommand(example.command);
  const own = checks.filter((c) => !isStandardCheck(c));
  return {
    exit_code: observed.exit_code,
    // The same set in another order is the same expectation: keep the file's order.
    predicate_types: sameSet(current.predicate_types, observed.predicate_types) ? current.predicate_types : observed.predicate_types,
    cmd: observed.cmd && JSON.stringify(observed.cmd) !== JSON.stringify(derivedArgv) ? observed.cmd : undefined,
    products: sameSet(current.products, observed.products) ? current.products : observed.products,
    sarif_report: observed.sarif_report,
    sarif_results: observed.sarif_results,
    checks: own.length ? Object.fromEntries(own.map((c) => [c.id, observed.checks[c.id] ?? ''])) : undefined,
  };
}

export class RecordError extends Error {}

/**
 * Why recording from these tiers is refused, or undefined: a missing program always, a stand-in
 * unless allowed (it replays captured output, which is not what the real tool gives today).
 */
export function refusal(tiers: Tier[], allowStandIn: boolean): string | undefined {
  const missing = tiers.filter((t) => t.kind === 'missing');
  if (missing.length) return `${missing.map(describeTier).join('; ')}: install the missing program(s) first`;
  const standIns = tiers.filter((t) => t.kind === 'stand-in');
  if (standIns.length && !allowStandIn) {
    return `${standIns.map(describeTier).join('; ')}: a stand-in replays recorded output, not the real tool's; install the real tool (npm run tools:install, or PROGRAM_BIN=…), or pass --allow-stand-in to record the stand-in's output anyway`;
  }
  return undefined;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

const lineStart = (text: string, at: number) => text.lastIndexOf('\n', at - 1) + 1;
/** Just after the newline that ends the line holding `at - 1` (a trailing comment included). */
function lineEnd(text: string, at: number): number {
  if (at > 0 && text[at - 1] === '\n') return at;
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl + 1;
}

/** `key: value` as the yaml package writes it, its continuation lines indented by `indent`. */
function renderPair(key: string, value: unknown, indent: number, flow: boolean): string {
  const doc = new Document({ [key]: value });
  const node = doc.get(key, true) as Node | undefined;
  if (flow && node && (isSeq(node) || isMap(node))) node.flow = true;
  const pad = ' '.repeat(indent);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '').replace(/\n/g, `\n${pad}`);
}

const deepEqual = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** A new list goes on one line when it is short, as the catalog writes `products: [report.sarif]`. */
const shortList = (v: unknown) => Array.isArray(v) && v.length > 0 && JSON.stringify(v).length <= 60 && v.every((x) => typeof x === 'string' && !x.includes(':'));

/**
 * `text` (a tool.yaml) with example `id`'s expect block holding `wanted` (undefined removes a
 * key). Throws RecordError when the result would not validate or the block cannot be edited.
 */
export function recordInto(text: string, file: string, id: string, wanted: Record<string, unknown>): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new RecordError(`${file} does not parse as YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const examples = doc.get('examples', true);
  const example = isSeq(examples) ? examples.items.find((e) => isMap(e) && e.get('id') === id) : undefined;
  const expect = isMap(example) ? (example.get('expect', true) as YAMLMap | undefined) : undefined;
  if (!isMap(expect)) throw new RecordError(`${file}: example ${id} has no expect mapping to record into`);
  if (expect.flow) throw new RecordError(`${file}: example ${id} writes expect as a flow mapping ({…}); write it as a block (one key per line) to record into it`);
  const pairs = expect.items as Pair<Node, Node>[];
  const current = currentExpect(text, id);
  const keyOf = (p: Pair<Node, Node>) => String((p.key as { value?: unknown }).value);
  const indent = pairs.length ? pairs[0]!.key.range![0] - lineStart(text, pairs[0]!.key.range![0]) : 0;
  const edits: Edit[] = [];
  for (const key of EXPECT_KEYS) {
    const value = wanted[key];
    const pair = pairs.find((p) => keyOf(p) === key);
    if (pair) {
      const keyStart = pair.key.range![0];
      const valueEnd = pair.value?.range?.[1] ?? pair.key.range![1];
      if (value === undefined) {
        edits.push({ start: lineStart(text, keyStart), end: lineEnd(text, valueEnd), text: '' });
        continue;
      }
      // Compared as the file means it: an alias (*types) stands for its anchor's value.
      if (deepEqual(current[key], value)) continue;
      const end = text[valueEnd - 1] === '\n' ? valueEnd - 1 : valueEnd;
      const flow = !!pair.value && (isSeq(pair.value) || isMap(pair.value)) && pair.value.flow === true;
      // An anchor (&types) other entries' aliases point at stays on the value it names.
      const anchor = pair.value?.anchor;
      const rendered = renderPair(key, value, indent, flow);
      edits.push({ start: keyStart, end, text: anchor ? rendered.replace(`${key}:`, `${key}: &${anchor}`) : rendered });
    } else if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
      // After the nearest key that comes before it in schema order, else after the last one.
      const before = EXPECT_KEYS.slice(0, EXPECT_KEYS.indexOf(key)).reverse().map((k) => pairs.find((p) => keyOf(p) === k)).find(Boolean) ?? pairs.at(-1);
      const after = before ? lineEnd(text, before.value?.range?.[1] ?? before.key.range![1]) : lineEnd(text, expect.range![0]);
      const newline = after === text.length && !text.endsWith('\n') ? '\n' : '';
      edits.push({ start: after, end: after, text: `${newline}${' '.repeat(indent)}${renderPair(key, value, indent, shortList(value))}\n` });
    }
  }
  // Right to left, so earlier offsets stay valid. Where a removal and insertions meet, the removal
  // goes first; insertions at one place go last-first, which leaves them in schema order.
  let out = text;
  const order = (e: Edit & { i: number }) => (e.end > e.start ? 1 : 0);
  for (const e of edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || order(b) - order(a) || b.i - a.i)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  // Read back what was written: each value must come out exactly as observed (quoting, block scalars).
  const written = currentExpect(out, id);
  const none = (v: unknown) => (Array.isArray(v) && v.length === 0 ? undefined : v);
  for (const key of EXPECT_KEYS) {
    if (!deepEqual(none(written[key]), none(wanted[key]))) {
      throw new RecordError(`${file}: example ${id}'s ${key} would not read back as what the run gave (${JSON.stringify(wanted[key])}), so the file is left as it was`);
    }
  }
  const { problems } = parseEntry(file, out, ToolSchema);
  if (problems.length) throw new RecordError(`recording would leave ${file} invalid, so it is left as it was:\n${problems.map(formatProblem).join('\n')}`);
  return out;
}

/** The current expect block of example `id`, as plain data. */
export function currentExpect(text: string, id: string): Record<string, unknown> {
  const examples = (parseDocument(text).toJS() as { examples?: { id?: string; expect?: Record<string, unknown> }[] }).examples ?? [];
  return examples.find((e) => e.id === id)?.expect ?? {};
}
