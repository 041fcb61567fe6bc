/**
 * Writes a file so readers see either the old content or the new, never a half-written file
 * (write-file-atomic: temporary file, fsync, rename, temporary file removed on exit or signal).
 * This wrapper only adds creating the parent directory, which the build scripts rely on.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';

export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicLib.sync(file, typeof data === 'string' ? data : Buffer.from(data), mode === undefined ? {} : { mode });
}
