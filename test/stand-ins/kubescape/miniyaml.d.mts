// Types for miniyaml.mjs.

export class YamlSubsetError extends Error {
  constructor(message: string, line?: number);
}
export function parseYamlDocuments(text: string): unknown[];
export function resolvePlainScalar(text: string): unknown;
