/**
 * The generated data files the site components read (`site/src/data/*.json`, written by
 * `npm run gen:catalog`, typed in generator/site-data.ts). Every lookup throws a clear error so a
 * wrong name fails the build instead of rendering an empty block.
 */
import { distance } from 'fastest-levenshtein';
import type { FactEntry, SiteData, SiteExample as Example, SiteValidateCheck as ValidateCheck } from '../../../generator/site-data';

export type { Example, FactEntry, ValidateCheck };
type DataFile = keyof SiteData;

// A glob (not a static import) so a missing file gets the message below, not a resolver error.
const files = import.meta.glob<unknown>('../data/*.json', { eager: true, import: 'default' });

/** The generator writes these files with the same types (generator/site-data.ts); gen:catalog --check keeps them so. */
export function loadData<F extends DataFile>(file: F): SiteData[F] {
  const raw = files[`../data/${file}`];
  if (raw === undefined || raw === null || typeof raw !== 'object') {
    throw new Error(`site/src/data/${file} is missing or not a JSON object. Run \`npm run gen:catalog\` to generate it.`);
  }
  return raw as SiteData[F];
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
