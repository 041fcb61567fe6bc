/** Byte-order string comparison (not locale-aware), so sorting is stable across machines. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
