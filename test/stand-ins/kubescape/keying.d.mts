// Types for keying.mjs (plain JavaScript so the stand-in needs no build step).

export type InputKey = { sha256: string } | { resources: string[] };

export interface InputFile {
  /** The scan argument the file was found under. */
  arg: string;
  /** Absolute path. */
  path: string;
}

export function manifestFormat(fileName: string): 'yaml' | 'json' | undefined;
export function collectInputFiles(
  args: string[],
  cwd: string,
): { files: InputFile[]; missing: string[]; ignored: string[] };
export function parseManifestDocuments(text: string, fileName: string): unknown[];
export function isListObject(value: unknown): boolean;
export function objectsOfDocuments(documents: unknown[]): Record<string, unknown>[];
export function resourceIdentity(obj: Record<string, unknown>): string;
export function sha256Hex(bytes: Uint8Array | string): string;
export function inputKey(bytes: Buffer, fileName: string): InputKey;
export function inputKeyOfFile(file: string): InputKey;
export function canonicalKey(key: InputKey): string;
export function sameInputs(keysA: InputKey[], keysB: InputKey[]): boolean;
export function describeKey(key: InputKey): string;
