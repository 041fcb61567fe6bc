/**
 * Literal secret values (those of sensitive environment variables) found and replaced wherever
 * they occur. Every occurrence of every value is located first, overlapping or adjacent ranges
 * are merged, and each merged range becomes one marker: so a value that is a substring of another,
 * or two secrets that overlap in the text, never leave a fragment behind, whatever their order.
 */
import { REDACTED_VALUE } from './marker.js';

/**
 * Shorter values are not searched for: replacing every "true", "1" or "main" a variable happens
 * to hold would shred ordinary output while protecting nothing an attacker could not guess.
 */
export const REDACT_MIN_LENGTH = 8;

/** The forms a value takes when a tool prints it inside a URL or a JSON string. */
function encodings(value: string): string[] {
  return [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)];
}

/**
 * The values to search for, longest first. A value that is part of the marker itself is skipped:
 * it cannot be told apart from a redaction, and searching for it would make redaction grow the text.
 */
export function secretValueList(values: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const value of values) {
    if (value.length < REDACT_MIN_LENGTH) continue;
    for (const form of encodings(value)) if (!REDACTED_VALUE.includes(form)) out.add(form);
  }
  return [...out].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/** Replaces every occurrence of every value (overlaps included) with one marker per merged range. */
export function redactValues(text: string, values: readonly string[]): string {
  const ranges: [number, number][] = [];
  for (const value of values) {
    // Step by one so a value that overlaps itself ("abab" in "ababab") is covered entirely.
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) ranges.push([at, at + value.length]);
  }
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let cursor = 0;
  let [start, end] = ranges[0] as [number, number];
  for (const [from, to] of ranges) {
    if (from <= end) {
      end = Math.max(end, to);
      continue;
    }
    out += text.slice(cursor, start) + REDACTED_VALUE;
    cursor = end;
    [start, end] = [from, to];
  }
  return out + text.slice(cursor, start) + REDACTED_VALUE + text.slice(end);
}

/**
 * Text cut at a length limit may end in the first characters of a secret, which redaction of
 * whole values cannot see; that tail is dropped.
 */
export function withoutPartialValue(text: string, values: readonly string[]): string {
  let cut = 0;
  for (const value of values) {
    for (let k = Math.min(value.length - 1, text.length); k > cut; k--) {
      if (text.endsWith(value.slice(0, k))) {
        cut = k;
        break;
      }
    }
  }
  return cut ? text.slice(0, text.length - cut) : text;
}
