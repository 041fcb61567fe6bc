/**
 * JSON text the way the upstream (Go `encoding/json`) producer writes it: compact, with `<`, `>`,
 * `&`, U+2028 and U+2029 escaped. Signatures never depend on this (they cover the exact payload
 * bytes); it only keeps our output close to upstream's so byte-level diffs stay small.
 */
import { compareStrings } from '../util/strings.js';

export { compareStrings };
export function goJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('value cannot be serialised to JSON');
  return text.replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A copy of `record` with keys sorted by UTF-16 code unit order (byte order for ASCII keys), as Go sorts map keys. */
export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort(compareStrings)) out[key] = record[key] as T;
  return out;
}


/**
 * How deeply arrays and objects nest in a parsed JSON value (a scalar is 0, `[]` is 1), measured
 * with an explicit stack so hostile depth cannot overflow the call stack.
 */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    const children = Array.isArray(item) ? item : Object.values(item);
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, level]);
  }
  return deepest;
}

/** Sets an own, enumerable property, even one named "__proto__" (plain assignment would set the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
