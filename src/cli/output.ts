/** Output helpers: data to stdout, everything else to stderr; format flags checked the same way everywhere. */
import { CilockError } from '../util/errors.js';

export function writeOut(text: string): void {
  process.stdout.write(text);
}

/** Case-insensitive like upstream; `aliases` maps extra spellings to a canonical value. */
export function parseFormat<T extends string>(value: string | undefined, allowed: readonly T[], aliases: Record<string, T> = {}): T {
  const v = (value ?? allowed[0]!).toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  if (v in aliases) return aliases[v]!;
  throw new CilockError(`unknown --format "${value}" (want ${allowed.join('|')})`, 2);
}
