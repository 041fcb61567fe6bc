/**
 * JSON as the upstream binary prints it (Go's encoder): two-space indent, trailing newline, and
 * `<`, `>`, `&` escaped, so outputs compare byte for byte with upstream's.
 */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)}\n`;
}
