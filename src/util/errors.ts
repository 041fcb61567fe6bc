/**
 * The one error type cilock reports: a message that says what went wrong, where and how to fix
 * it, and the exit code the CLI ends with (1 failure, 2 usage, 128+n when signal n interrupted
 * the run or ended the wrapped command). Modules that need to tell their own failures apart
 * (a key that does not load, a policy that does not parse) subclass it; `main` has one handler.
 *
 * Recognised by a registered symbol, not `instanceof`: the CLI's lazily loaded chunks carry their
 * own copy of this class (src/scripts/build-cli.ts), and a symbol from `Symbol.for` is the same
 * in every copy.
 */
const BRAND = Symbol.for('cilock.error');

export class CilockError extends Error {
  readonly [BRAND] = true;

  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export function isCilockError(error: unknown): error is CilockError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true && typeof (error as CilockError).exitCode === 'number';
}
