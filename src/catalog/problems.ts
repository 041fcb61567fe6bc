import { CilockError } from '../util/errors.js';

/** A catalog problem, located in its source file, printed as `file:line:col path: message`. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = `${p.file}:${p.line}:${p.col}`;
  return p.path ? `${where} ${p.path}: ${p.message}` : `${where} ${p.message}`;
}

/** `['pre', 'match', 'any_of', 1]` → `pre.match.any_of[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Thrown when the catalog does not validate; carries every problem found, not just the first. */
export class CatalogError extends CilockError {
  constructor(readonly problems: Problem[]) {
    super(`the catalog has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'CatalogError';
  }
}
