/** Flattens detection predicates into the `triggers` list the `tools` surfaces show. */
import type { Predicate } from '../catalog/schema.js';
import type { CompiledEntry } from '../catalog/compiled.js';
import type { Trigger } from './contract.js';


/** One trigger per leaf, composers flattened depth first, `not` subtrees dropped; pre then post. */
export function triggersOf(entry: CompiledEntry): Trigger[] {
  const out: Trigger[] = [];
  if (entry.pre) leaves(entry.pre.match, 'pre', out);
  if (entry.post) leaves(entry.post.match, 'post', out);
  return out;
}

function leaves(p: Predicate, gate: Trigger['gate'], out: Trigger[]): void {
  const push = (kind: string, value: string) => out.push({ gate, kind, value });
  if (p.argv_prefix) push('argv_prefix', p.argv_prefix.join(' '));
  else if (p.argv_contains !== undefined) push('argv_contains', p.argv_contains);
  else if (p.argv_regex !== undefined) push('argv_regex', p.argv_regex);
  else if (p.argv_positionals) push('argv_positionals', describePositionals(p.argv_positionals));
  else if (p.env_set !== undefined) push('env_set', p.env_set);
  else if (p.env_equals) push('env_equals', `${p.env_equals.var}=${p.env_equals.value}`);
  else if (p.file_exists !== undefined) push('file_exists', p.file_exists);
  else if (p.file_glob) push('file_glob', p.file_glob.join(' | '));
  else if (p.product_glob) push('product_glob', p.product_glob.join(' | '));
  else if (p.exit_code) push('exit_code', Object.entries(p.exit_code).map(([k, v]) => `${k} ${String(v)}`).join(''));
  else if (p.socket_listening !== undefined) push('probe', `socket_listening=${p.socket_listening}`);
  else if (p.imds_reachable !== undefined) push('probe', `imds_reachable=${p.imds_reachable}`);
  else if (p.gcp_metadata_reachable !== undefined) push('probe', `gcp_metadata_reachable=${p.gcp_metadata_reachable}`);
  else if (p.azure_metadata_reachable !== undefined) push('probe', `azure_metadata_reachable=${p.azure_metadata_reachable}`);
  else if (p.any_of) p.any_of.forEach((c) => leaves(c, gate, out));
  else if (p.all_of) p.all_of.forEach((c) => leaves(c, gate, out));
}

function describePositionals(spec: NonNullable<Predicate['argv_positionals']>): string {
  const bounds = [spec.min !== undefined ? `≥${spec.min}` : '', spec.max !== undefined ? `≤${spec.max}` : ''].filter(Boolean).join(' ');
  return `${spec.after.join(' ')} with ${bounds || 'any number of'} positional argument(s)`;
}
