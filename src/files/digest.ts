/**
 * Streaming file digests. Every file is read through one shared 1 MiB buffer, so hashing a file of
 * any size keeps memory flat (a 1 GiB file costs the same RSS as a 1 MiB one).
 *
 * Reads are synchronous on purpose: hashing runs in phases where nothing else is waiting on the
 * event loop, and reusing one buffer with plain read(2) calls is several times faster than
 * promise-based reads (which need a buffer per file in flight and churn the garbage collector).
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, type BigIntStats, type PathLike } from 'node:fs';
import { CilockError } from '../util/errors.js';
import type { DigestSet } from '../attestation/statement.js';
export { digestSetsEqual } from '../attestation/statement.js';
import { sortedRecord } from '../attestation/json.js';
import { encodeName } from './path-encoding.js';

/** Hash names accepted by `--hashes`; gitoid values are written as `gitoid:blob:<alg>:<hex>` URIs. */
export const SUPPORTED_HASHES = ['sha256', 'sha1', 'gitoid:sha256', 'gitoid:sha1'] as const;
export type HashName = (typeof SUPPORTED_HASHES)[number];

/** Usage errors (exit 2): a bad --hashes value. */

/**
 * Parses `--hashes` values (comma lists, repeatable). sha256 is always computed because the
 * material/product v0.3 Merkle trees are built over sha256 digests.
 */
export function parseHashes(values: readonly string[]): HashName[] {
  const names = new Set<HashName>(['sha256']);
  for (const raw of values.flatMap((value) => value.split(','))) {
    const name = raw.trim();
    if (name === '') continue;
    if (!(SUPPORTED_HASHES as readonly string[]).includes(name)) {
      throw new CilockError(`unsupported hash "${name}" in --hashes; use one or more of ${SUPPORTED_HASHES.join(', ')} (comma separated)`, 2);
    }
    names.add(name as HashName);
  }
  return SUPPORTED_HASHES.filter((name) => names.has(name));
}

const CHUNK_BYTES = 1 << 20;
let sharedBuffer: Buffer | undefined;

function hasherFor(name: HashName, size: bigint): Hash {
  switch (name) {
    case 'sha256':
      return createHash('sha256');
    case 'sha1':
      return createHash('sha1');
    case 'gitoid:sha256':
      return createHash('sha256').update(`blob ${size}\0`);
    case 'gitoid:sha1':
      return createHash('sha1').update(`blob ${size}\0`);
  }
}

function formatDigest(name: HashName, hex: string): string {
  return name.startsWith('gitoid:') ? `gitoid:blob:${name.slice('gitoid:'.length)}:${hex}` : hex;
}

/** Raised for a path that is not a regular file when it is opened (a FIFO, socket, device or directory). */
export class NotRegularFileError extends CilockError {}

function shownPath(path: PathLike): string {
  return Buffer.isBuffer(path) ? encodeName(path) : String(path);
}

/**
 * Digest set of one regular file, read in 1 MiB chunks, and the stat of the descriptor that was
 * read. The file is opened non-blocking and checked with fstat before any read, so a FIFO (even
 * one swapped in after a walk saw a regular file) is refused at once instead of blocking forever.
 * `noFollow` refuses a final symlink (ELOOP), for callers that already resolved the path.
 */
export function digestRegularFileSync(path: PathLike, hashes: readonly HashName[] = ['sha256'], options: { noFollow?: boolean } = {}): { digest: DigestSet; stat: BigIntStats } {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0);
  const fd = openSync(path, flags);
  try {
    const stat = fstatSync(fd, { bigint: true });
    if (!stat.isFile()) throw new NotRegularFileError(`${shownPath(path)} is not a regular file (a FIFO, socket, device or directory); only regular files are hashed`);
    const hashers = hashes.map((name) => [name, hasherFor(name, stat.size)] as const);
    sharedBuffer ??= Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const bytesRead = readSync(fd, sharedBuffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      const chunk = sharedBuffer.subarray(0, bytesRead);
      for (const [, hasher] of hashers) hasher.update(chunk);
    }
    const digests: DigestSet = {};
    for (const [name, hasher] of hashers) digests[name] = formatDigest(name, hasher.digest('hex'));
    return { digest: sortedRecord(digests), stat };
  } finally {
    closeSync(fd);
  }
}

/** Digest set of one regular file (see `digestRegularFileSync`). Keys are sorted. */
export function digestFileSync(path: PathLike, hashes: readonly HashName[] = ['sha256']): DigestSet {
  return digestRegularFileSync(path, hashes).digest;
}

/** Promise form of `digestFileSync`, for callers that are async anyway. */
export async function digestFile(path: PathLike, hashes: readonly HashName[] = ['sha256']): Promise<DigestSet> {
  return digestFileSync(path, hashes);
}

/** Digest set of in-memory bytes (same key layout as `digestFile`). */
export function digestBytes(data: Uint8Array, hashes: readonly HashName[] = ['sha256']): DigestSet {
  const digests: DigestSet = {};
  for (const name of hashes) digests[name] = formatDigest(name, hasherFor(name, BigInt(data.length)).update(data).digest('hex'));
  return sortedRecord(digests);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

