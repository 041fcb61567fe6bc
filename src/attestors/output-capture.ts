/**
 * Captures one output stream of the wrapped command in bounded memory: the first `limit` bytes are
 * kept for the record, while the byte count and sha256 cover the whole stream, so a command that
 * prints gigabytes neither exhausts memory nor goes unaccounted for.
 */
import { createHash } from 'node:crypto';
import type { CommandResult } from './types.js';

/**
 * Default of `--max-output-bytes`: how much of each stream the command-run body records. The
 * envelope holds the text several times over while it is built and signed (JSON, payload bytes,
 * base64), so 4 MiB per stream keeps a run's peak memory near 150 MB (bench/output-memory.ts).
 */
export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** What is recorded about a whole stream, however much of it was kept. */
export interface StreamTotals {
  /** Length of the whole stream. */
  readonly bytes: number;
  /** sha256 (hex) of the whole stream. */
  readonly sha256: string;
  /** Whether the kept text is shorter than the stream. */
  readonly truncated: boolean;
}

export interface CapturedStream extends StreamTotals {
  /** The first `limit` bytes of the stream (less a multi-byte character cut in half). */
  readonly kept: Buffer;
}

export class StreamCapture {
  private readonly chunks: Buffer[] = [];
  private keptBytes = 0;
  private total = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    this.total += chunk.length;
    this.hash.update(chunk);
    const room = this.limit - this.keptBytes;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(part);
    this.keptBytes += part.length;
  }

  finish(): CapturedStream {
    const truncated = this.total > this.keptBytes;
    const kept = Buffer.concat(this.chunks);
    return { kept: truncated ? withoutSplitCharacter(kept) : kept, bytes: this.total, sha256: this.hash.digest('hex'), truncated };
  }
}

/** Drops a UTF-8 sequence the cut left incomplete, so the recorded text does not end in U+FFFD. */
function withoutSplitCharacter(buf: Buffer): Buffer {
  let start = buf.length - 1;
  while (start >= 0 && buf.length - start <= 3 && ((buf[start] as number) & 0xc0) === 0x80) start--;
  if (start < 0) return buf;
  const lead = buf[start] as number;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return buf.length - start < length ? buf.subarray(0, start) : buf;
}

/** The line appended to recorded text that was cut at the limit. */
export function truncationMarker(stream: 'stdout' | 'stderr', keptBytes: number, totalBytes: number): string {
  return `\n[cilock: ${stream} truncated: recorded the first ${keptBytes} of ${totalBytes} bytes (--max-output-bytes); ${stream}Bytes and ${stream}Sha256 cover the whole stream]\n`;
}

function wholeStreamTotals(output: Buffer): StreamTotals {
  return { bytes: output.length, sha256: createHash('sha256').update(output).digest('hex'), truncated: false };
}

/** A command result whose output was kept whole (one not produced through a capped capture). */
export function wholeOutputResult(argv: readonly string[], exitCode: number, stdout: Buffer, stderr: Buffer = Buffer.alloc(0)): CommandResult {
  return { argv, exitCode, stdout, stderr, totals: { stdout: wholeStreamTotals(stdout), stderr: wholeStreamTotals(stderr) } };
}
