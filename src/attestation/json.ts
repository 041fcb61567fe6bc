/**
 * JSON text the way the upstream (Go `encoding/json`) producer writes it: compact, with `<`, `>`,
 * `&`, U+2028 and U+2029 escaped. Signatures never depend on this (they cover the exact payload
 * bytes); it only keeps our output close to upstream's so byte-level diffs stay small.
 */
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

/** Byte-order string comparison (not locale-aware), so sorting is stable across machines. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
