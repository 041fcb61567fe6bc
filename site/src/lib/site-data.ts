/**
 * The generated data files the site components read (`site/src/data/*.json`, written by
 * `npm run gen:catalog`). Each file is checked against its expected shape once, and every lookup
 * throws a clear error so a wrong name fails the build instead of rendering an empty block.
 */
import { z } from 'astro/zod';
import { distance } from 'fastest-levenshtein';

const trigger = z.object({ gate: z.string(), kind: z.string(), value: z.string() });

const factEntry = z.object({
  name: z.string(),
  title: z.string(),
  kind: z.enum(['tool', 'attestor']),
  upstream: z.object({ name: z.string(), vendor: z.string(), license: z.string(), source: z.string() }).nullable(),
  categories: z.array(z.object({ name: z.string(), primary: z.boolean() })),
  sourceLabel: z.string(),
  emitsFormats: z.array(z.string()),
  predicateType: z.string().nullable(),
  runType: z.string().nullable(),
  defaultOn: z.boolean(),
  traceLabel: z.string(),
  triggers: z.array(trigger),
});

const example = z.object({ title: z.string(), command: z.string(), step: z.string() });

const check = z.object({ id: z.string(), comment: z.string(), command: z.string(), orderMayVary: z.boolean() });

export const dataSchemas = {
  'catalog.json': z.record(factEntry),
  'examples.json': z.record(z.record(example)),
  'validate.json': z.record(z.array(check)),
};

type DataFile = keyof typeof dataSchemas;
type DataOf<F extends DataFile> = z.infer<(typeof dataSchemas)[F]>;
export type FactEntry = z.infer<typeof factEntry>;
export type Example = z.infer<typeof example>;
export type ValidateCheck = z.infer<typeof check>;

// A glob (not a static import) so a missing file gets the message below, not a resolver error.
const files = import.meta.glob<unknown>('../data/*.json', { eager: true, import: 'default' });
const parsed = new Map<DataFile, unknown>();

export function loadData<F extends DataFile>(file: F): DataOf<F> {
  if (!parsed.has(file)) {
    const raw = files[`../data/${file}`];
    if (raw === undefined) {
      throw new Error(`site/src/data/${file} is missing. Run \`npm run gen:catalog\` to generate it.`);
    }
    const result = dataSchemas[file].safeParse(raw);
    if (!result.success) {
      const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new Error(`site/src/data/${file} does not have the expected shape:\n${problems.join('\n')}`);
    }
    parsed.set(file, result.data);
  }
  return parsed.get(file) as DataOf<F>;
}

function known(names: string[]): string {
  return names.length ? names.join(', ') : '(none)';
}

function didYouMean(name: string, names: string[]): string {
  // Edit distance at most 2: the name that was probably meant.
  const close = names.filter((n) => distance(name, n) <= 2);
  return close.length ? `Did you mean ${close.map((n) => `"${n}"`).join(' or ')}? ` : '';
}

export function factsFor(name: string): FactEntry {
  const catalog = loadData('catalog.json');
  const entry = catalog[name];
  if (!entry) {
    throw new Error(
      `FactBox: no catalog entry named "${name}" in site/src/data/catalog.json ` +
        `(${Object.keys(catalog).length} entries). ${didYouMean(name, Object.keys(catalog))}` +
        `Fix the name or run \`npm run gen:catalog\`.`,
    );
  }
  return entry;
}

export function exampleFor(tool: string, id: string): Example {
  const examples = loadData('examples.json');
  const forTool = examples[tool];
  if (!forTool) throw new Error(`ExampleCommand: no examples for tool "${tool}" in site/src/data/examples.json. Known tools: ${known(Object.keys(examples))}.`);
  const found = forTool[id];
  if (!found) throw new Error(`ExampleCommand: tool "${tool}" has no example "${id}". Known examples: ${known(Object.keys(forTool))}.`);
  return found;
}

export function checksFor(tool: string): ValidateCheck[] {
  const validate = loadData('validate.json');
  const checks = validate[tool];
  if (!checks || checks.length === 0) {
    throw new Error(`ValidateChecks: no validation checks for tool "${tool}" in site/src/data/validate.json. Known tools: ${known(Object.keys(validate))}.`);
  }
  return checks;
}

/** The emitted formats link to attestor pages; a format without an attestor entry is a broken link. */
export function formatLinks(entry: FactEntry): { format: string; href: string }[] {
  const catalog = loadData('catalog.json');
  return entry.emitsFormats.map((format) => {
    if (catalog[format]?.kind !== 'attestor') {
      throw new Error(`FactBox "${entry.name}": emitted format "${format}" has no attestor entry in site/src/data/catalog.json, so /attestors/${format}/ would be a broken link.`);
    }
    return { format, href: `/attestors/${format}/` };
  });
}
