/**
 * Handlebars rendering with `noEscape` (the output is MDX, not HTML: escaping is done per value by
 * ./markdown.ts) and `strict` (a field the model lacks is an error, never an empty cell).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

const templatesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');
const hb = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

for (const file of readdirSync(templatesDir).filter((f) => f.endsWith('.hbs')).sort()) {
  const name = file.replace(/\.hbs$/, '');
  const source = readFileSync(path.join(templatesDir, file), 'utf8');
  compiled.set(name, hb.compile(source, { noEscape: true, strict: true }));
  hb.registerPartial(name, source);
}

export function renderTemplate(name: string, model: object): string {
  const template = compiled.get(name);
  if (!template) throw new Error(`no template generator/templates/${name}.hbs`);
  try {
    return template(model);
  } catch (err) {
    throw new Error(`rendering ${name}.hbs: ${(err as Error).message}`);
  }
}
