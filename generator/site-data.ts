/**
 * The data files the site's components read (`site/src/data/*.json`): their shapes, declared once.
 * The generator writes them with these types and the site reads them with the same ones
 * (`import type`); `gen:catalog --check` keeps the committed files equal to what the generator writes.
 * Types only: the site imports this file, so it must not import anything.
 */
export interface SiteTrigger {
  gate: string;
  kind: string;
  value: string;
}

export interface FactEntry {
  name: string;
  title: string;
  kind: 'tool' | 'attestor';
  upstream: { name: string; vendor: string; license: string; source: string } | null;
  categories: { name: string; primary: boolean }[];
  sourceLabel: string;
  emitsFormats: string[];
  predicateType: string | null;
  runType: string | null;
  defaultOn: boolean;
  traceLabel: string;
  triggers: SiteTrigger[];
}

export interface SiteExample {
  title: string;
  command: string;
  step: string;
}

export interface SiteValidateCheck {
  id: string;
  comment: string;
  command: string;
  orderMayVary: boolean;
}

/** Each file under site/src/data/ by name. */
export interface SiteData {
  'catalog.json': Record<string, FactEntry>;
  'examples.json': Record<string, Record<string, SiteExample>>;
  'validate.json': Record<string, SiteValidateCheck[]>;
}
