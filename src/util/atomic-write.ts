/**
 * cilock's one atomic file writer: readers see either the old content or the new, never a
 * half-written file (write-file-atomic: temporary file, fsync, rename, temporary file removed on
 * exit or signal). The synchronous form also creates the parent directory, which the build
 * scripts rely on; the asynchronous one is what `run` and `sign` write the envelope with.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';

const bytes = (data: string | Uint8Array) => (typeof data === 'string' ? data : Buffer.from(data));

export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicLib.sync(file, bytes(data), mode === undefined ? {} : { mode });
}

/** `onTempFile` lets a test act while the temporary file exists (before it is renamed). */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array, onTempFile?: (temp: string) => Promise<void>): Promise<void> {
  await writeFileAtomicLib(file, bytes(data), onTempFile ? { tmpfileCreated: onTempFile } : {});
}
