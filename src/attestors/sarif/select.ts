/**
 * Choosing which product is the run's SARIF report. Upstream takes a random JSON product; here the
 * choice is deterministic:
 *   1. `--attestor-sarif-report PATH` when given;
 *   2. otherwise the valid SARIF product named on the command line (`--output kubescape.sarif`,
 *      `--output=report`, `-o report` where the tool appended `.sarif`);
 *   3. otherwise the single valid SARIF product.
 * Anything else (several candidates, none valid) is an error naming the files and the fix.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

export interface LoadedCandidate {
  readonly path: string;
  /** Why the file is not usable SARIF; empty when it validated. */
  readonly problems: readonly string[];
}

export type Selection<C extends LoadedCandidate> =
  | { readonly kind: 'chosen'; readonly candidate: C; readonly reason: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly message: string };

const FIX_PICK = 'pass --attestor-sarif-report <file> to pick the report';

function toRelative(workingDir: string, value: string): string | undefined {
  if (value === '' || value.startsWith('-')) return undefined;
  const absolute = isAbsolute(value) ? value : resolve(workingDir, value);
  const rel = relative(workingDir, absolute);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** Relative paths the command line names, plus the same with `.sarif` appended (tools that add the suffix). */
export function pathsNamedInArgv(argv: readonly string[], workingDir: string): Set<string> {
  const named = new Set<string>();
  for (const token of argv.slice(1)) {
    const values = [token];
    const eq = token.indexOf('=');
    if (token.startsWith('-') && eq !== -1) values.push(token.slice(eq + 1));
    for (const value of values) {
      const rel = toRelative(workingDir, value);
      if (rel === undefined) continue;
      named.add(rel);
      named.add(`${rel}.sarif`);
    }
  }
  return named;
}

function listFiles(candidates: readonly LoadedCandidate[]): string {
  return candidates.map((candidate) => `"${candidate.path}"`).join(', ');
}

function invalidMessage(candidate: LoadedCandidate, why: string): string {
  return `${why} "${candidate.path}" is not valid SARIF 2.1.0: ${candidate.problems.join('; ')}. Fix the tool's output (e.g. --format sarif), or ${FIX_PICK}`;
}

/** Picks among loaded candidates (all new or changed SARIF-looking products of this run). */
export function selectSarif<C extends LoadedCandidate>(candidates: readonly C[], argvNamed: ReadonlySet<string>): Selection<C> {
  const named = candidates.filter((candidate) => argvNamed.has(candidate.path));
  if (named.length === 1) {
    const [candidate] = named as [C];
    if (candidate.problems.length > 0) return { kind: 'error', message: invalidMessage(candidate, 'the SARIF file named on the command line') };
    return { kind: 'chosen', candidate, reason: 'named on the command line' };
  }
  if (named.length > 1) {
    return { kind: 'error', message: `the command line names several SARIF products (${listFiles(named)}), so the report is ambiguous; ${FIX_PICK}` };
  }
  const valid = candidates.filter((candidate) => candidate.problems.length === 0);
  if (valid.length === 1) return { kind: 'chosen', candidate: valid[0] as C, reason: candidates.length === 1 ? 'the only SARIF product' : 'the only valid SARIF product' };
  if (valid.length > 1) {
    return { kind: 'error', message: `found ${valid.length} SARIF products (${listFiles(valid)}) and none is named on the command line, so the report is ambiguous; ${FIX_PICK}` };
  }
  if (candidates.length === 1) return { kind: 'error', message: invalidMessage(candidates[0] as C, 'the SARIF product') };
  if (candidates.length > 1) {
    const details = candidates.map((candidate) => `"${candidate.path}": ${candidate.problems.join('; ')}`).join(' | ');
    return { kind: 'error', message: `none of the SARIF products is valid SARIF 2.1.0 (${details}); fix the tool's output or ${FIX_PICK}` };
  }
  return { kind: 'none' };
}
