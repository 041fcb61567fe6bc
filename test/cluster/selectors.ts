// labelSelector and fieldSelector filtering for list requests, enough for kubectl's
// `-l app=x`, `-l 'tier in (web,api)'`, `-l '!canary'` and `--field-selector metadata.name=x`.
import { badRequest } from './status.js';
import type { KubeObject } from './state.js';

type Matcher = (obj: KubeObject) => boolean;

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim()) terms.push(current.trim());
  return terms;
}

function labelTerm(term: string): Matcher {
  const labels = (obj: KubeObject) => obj.metadata.labels ?? {};
  const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key, op, list] = set as unknown as [string, string, string, string];
    const values = list.split(',').map((v) => v.trim());
    return op === 'in'
      ? (obj) => key in labels(obj) && values.includes(labels(obj)[key]!)
      : (obj) => !(key in labels(obj)) || !values.includes(labels(obj)[key]!);
  }
  const cmp = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(term);
  if (cmp) {
    const [, key, op, value] = cmp as unknown as [string, string, string, string];
    return op === '!='
      ? (obj) => labels(obj)[key] !== value
      : (obj) => labels(obj)[key] === value;
  }
  const exists = /^(!?)([^\s!=(),]+)$/.exec(term);
  if (exists) {
    const [, not, key] = exists as unknown as [string, string, string];
    return not ? (obj) => !(key in labels(obj)) : (obj) => key in labels(obj);
  }
  throw badRequest(`unable to parse requirement: found '${term}', expected a label selector term`);
}

function fieldTerm(term: string): Matcher {
  const cmp = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(term);
  if (!cmp) throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
  const [, field, op, value] = cmp as unknown as [string, string, string, string];
  let get: (obj: KubeObject) => string | undefined;
  if (field === 'metadata.name') get = (obj) => obj.metadata.name;
  else if (field === 'metadata.namespace') get = (obj) => obj.metadata.namespace ?? '';
  else throw badRequest(`field label not supported by the recorded cluster: ${field}`);
  return op === '!=' ? (obj) => get(obj) !== value : (obj) => get(obj) === value;
}

export function matchSelectors(labelSelector: string | null, fieldSelector: string | null): Matcher {
  const matchers: Matcher[] = [
    ...splitTerms(labelSelector ?? '').map(labelTerm),
    ...splitTerms(fieldSelector ?? '').map(fieldTerm),
  ];
  return (obj) => matchers.every((m) => m(obj));
}
