/**
 * Leaf paths are JSON strings, but a POSIX file name is any byte string. This is the one mapping
 * from name bytes to leaf `path` text, the "surrogateescape" scheme of PEP 383 (what Python's
 * os.fsdecode does):
 * - bytes that form valid UTF-8 are decoded as usual, so every valid UTF-8 name is unchanged;
 * - every byte that cannot start a complete, well-formed UTF-8 sequence (per Unicode Table 3-7:
 *   no overlong forms, no encoded surrogates, nothing above U+10FFFF) becomes the lone surrogate
 *   U+DC00 + byte (U+DC80..U+DCFF).
 * Decoding valid UTF-8 never yields a surrogate, so the escapes cannot collide with a real name,
 * and the mapping is reversible (`decodeName`). In JSON the escapes are written as `\udcXX`, which
 * keeps the signed payload valid UTF-8.
 *
 * Percent-encoding was rejected: any escape made of ordinary characters is also a valid UTF-8
 * name (`p%FF`), so it either collides with real names or has to change names that contain the
 * escape character.
 */
import { isUtf8 } from 'node:buffer';

const ESCAPE_BASE = 0xdc00;

/** Length of the well-formed UTF-8 sequence starting at `i`, or 0 when there is none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] as number;
  if (lead < 0x80) return 1;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f;
  } else return 0;
  if (i + length > bytes.length) return 0;
  const second = bytes[i + 1] as number;
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k] as number;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

/** Leaf-path text for raw name (or relative path) bytes. */
export function encodeName(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let text = '';
  let runStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    text += bytes.toString('utf8', runStart, i) + String.fromCharCode(ESCAPE_BASE + (bytes[i] as number));
    i += 1;
    runStart = i;
  }
  return text + bytes.toString('utf8', runStart);
}

/** The bytes `encodeName` was given. Throws on text `encodeName` cannot produce (another lone surrogate). */
export function decodeName(text: string): Buffer {
  const parts: Buffer[] = [];
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      if (code < ESCAPE_BASE + 0x80 || code > ESCAPE_BASE + 0xff) throw new Error(`"${text}" holds the lone surrogate U+${code.toString(16).toUpperCase()}, which is not a byte escape`);
      parts.push(Buffer.from([code - ESCAPE_BASE]));
    } else {
      parts.push(Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.concat(parts);
}
