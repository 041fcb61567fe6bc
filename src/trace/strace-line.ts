/**
 * One line of `strace -f -y` output (the default, symbolic decoding), read as latin1 so that
 * each character is one byte, as data. The parser never
 * throws: a line it cannot read is returned as `unknown`, so a hostile or garbled trace can make
 * the record smaller, never crash cilock or put half a value into it.
 *
 * Shapes read (after the leading pid):
 *   name(args) = ret …             a complete call
 *   name(args <unfinished ...>     its first half (another process's line came in between)
 *   <... name resumed>args) = ret  its second half
 *   --- SIGNAME {…} ---            a signal delivered
 *   +++ exited with N +++ / +++ killed by SIGNAME [(core dumped)] +++
 *
 * Written here because no maintained JavaScript library parses strace output (the known ones are
 * abandoned and do not handle `-y` paths or unfinished calls).
 */

export type StraceLine =
  | { kind: 'call'; pid: number; name: string; args: string; ret: string }
  | { kind: 'unfinished'; pid: number; name: string; args: string }
  | { kind: 'resumed'; pid: number; name: string; rest: string }
  | { kind: 'signal'; pid: number; signal: string }
  | { kind: 'exited'; pid: number; code: number }
  | { kind: 'killed'; pid: number; signal: string }
  | { kind: 'unknown'; text: string };

const UNFINISHED = ' <unfinished ...>';

export function parseStraceLine(line: string): StraceLine {
  const unknown = { kind: 'unknown', text: line } as const;
  const head = /^(\d{1,10}) +/.exec(line);
  if (!head) return unknown;
  const pid = Number(head[1]);
  const body = line.slice(head[0].length);
  if (body.startsWith('+++ ')) {
    const exited = /^\+\+\+ exited with (\d{1,3}) \+\+\+$/.exec(body);
    if (exited) return { kind: 'exited', pid, code: Number(exited[1]) };
    const killed = /^\+\+\+ killed by (SIG[A-Z0-9+]+)(?: \(core dumped\))? \+\+\+$/.exec(body);
    if (killed) return { kind: 'killed', pid, signal: killed[1] as string };
    return unknown;
  }
  if (body.startsWith('--- ')) {
    const signal = /^--- (SIG[A-Z0-9+]+) /.exec(body);
    return signal ? { kind: 'signal', pid, signal: signal[1] as string } : unknown;
  }
  const resumed = /^<\.\.\. ([a-z0-9_]+) resumed>/.exec(body);
  if (resumed) return { kind: 'resumed', pid, name: resumed[1] as string, rest: body.slice(resumed[0].length) };
  const call = /^([a-z0-9_]+)\(/.exec(body);
  if (!call) return unknown;
  const name = call[1] as string;
  const afterParen = body.slice(call[0].length);
  if (afterParen.endsWith(UNFINISHED)) {
    // The arguments printed so far; the resumed half carries the rest.
    return { kind: 'unfinished', pid, name, args: afterParen.slice(0, -UNFINISHED.length) };
  }
  const complete = splitCall(afterParen);
  return complete ? { kind: 'call', pid, name, ...complete } : unknown;
}

/** `args) = ret` → its parts, the closing parenthesis found outside strings, paths and brackets. */
export function splitCall(text: string): { args: string; ret: string } | undefined {
  const end = scanArgs(text, 0, ')');
  if (end === undefined) return undefined;
  const ret = /^ *= (.*)$/.exec(text.slice(end + 1));
  return ret ? { args: text.slice(0, end), ret: ret[1] as string } : undefined;
}

/**
 * Index of the first `stop` character at nesting depth 0 from `start`, skipping quoted strings,
 * `<path>` decorations, comments and (), [], {} groups; undefined when the text ends first.
 */
function scanArgs(text: string, start: number, stop: string): number | undefined {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const close = skipEscaped(text, i + 1, '"');
      if (close === undefined) return undefined;
      i = close;
    } else if (c === '<' && i > 0 && /[\w\]]/.test(text[i - 1] as string)) {
      // `3</path>` and `AT_FDCWD</dir>`: strace escapes `<`, `>` and `"` inside, so `>` closes it.
      const close = skipEscaped(text, i + 1, '>');
      if (close === undefined) return undefined;
      i = close;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return undefined;
      i = close + 1;
    } else if (depth === 0 && c === stop) {
      return i;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return undefined;
      depth--;
    }
  }
  return undefined;
}

/** Index of the unescaped `close` character from `start`. */
function skipEscaped(text: string, start: number, close: string): number | undefined {
  for (let i = start; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === close) return i;
  }
  return undefined;
}

/** Top-level comma-separated arguments (`a, "b, c", [d, e]` → three). */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let start = 0;
  for (;;) {
    const comma = scanArgs(text, start, ',');
    if (comma === undefined) {
      const last = text.slice(start).trim();
      if (last !== '' || args.length > 0) args.push(last);
      return args;
    }
    args.push(text.slice(start, comma).trim());
    start = comma + 1;
  }
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, '\\': 92, '"': 34, "'": 39, '<': 60, '>': 62 };

/** The bytes of a C-escaped string body (what strace prints between quotes or in `<…>`); undefined on a bad escape. */
export function unescapeBytes(body: string): Buffer | undefined {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      // The trace is read as latin1 (one character per byte); strace escapes non-ASCII bytes anyway.
      const code = c.charCodeAt(0);
      if (code < 0x100) out.push(code);
      else out.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) return undefined;
    if (next === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 2, i + 4));
      if (!hex) return undefined;
      out.push(parseInt(hex[0], 16));
      i += 1 + hex[0].length;
    } else if (next >= '0' && next <= '7') {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1, i + 4)) as RegExpExecArray;
      const value = parseInt(oct[0], 8);
      if (value > 255) return undefined;
      out.push(value);
      i += oct[0].length;
    } else {
      const simple = SIMPLE_ESCAPES[next];
      if (simple === undefined) return undefined;
      out.push(simple);
      i += 1;
    }
  }
  return Buffer.from(out);
}

export interface QuotedString {
  readonly bytes: Buffer;
  /** strace cut it at its `-s` limit (`"abc"...`). */
  readonly truncated: boolean;
}

/** A quoted string argument (`"a\nb"` or `"abc"...`); undefined when the argument is not one. */
export function parseQuoted(arg: string): QuotedString | undefined {
  if (!arg.startsWith('"')) return undefined;
  const close = skipEscaped(arg, 1, '"');
  if (close === undefined) return undefined;
  const tail = arg.slice(close + 1);
  if (tail !== '' && tail !== '...') return undefined;
  const bytes = unescapeBytes(arg.slice(1, close));
  return bytes ? { bytes, truncated: tail === '...' } : undefined;
}

/** A string array argument (`["sh", "-c", …]`); `truncated` when strace left elements out. */
export function parseStringArray(arg: string): { items: QuotedString[]; truncated: boolean } | undefined {
  if (!arg.startsWith('[') || !arg.endsWith(']')) return undefined;
  const inner = arg.slice(1, -1);
  if (inner.trim() === '') return { items: [], truncated: false };
  const items: QuotedString[] = [];
  let truncated = false;
  for (const element of splitArgs(inner)) {
    if (element === '...') {
      truncated = true;
      continue;
    }
    const item = parseQuoted(element);
    if (!item) return undefined;
    items.push(item);
  }
  return { items, truncated };
}

/** The path `-y` printed after a descriptor (`3</tmp/x>`, `AT_FDCWD</dir>`); undefined when there is none. */
export function decoratedPath(arg: string): Buffer | undefined {
  const open = /^[\w-]+</.exec(arg);
  if (!open || !arg.endsWith('>')) return undefined;
  const body = arg.slice(open[0].length, -1);
  if (skipEscaped(body, 0, '>') !== undefined) return undefined;
  return unescapeBytes(body);
}

/** A return value: `3</path>` → {value: 3, path}, `-1 ENOENT (…)` → {value: -1, error: 'ENOENT'}, `?` → undefined. */
export function parseReturn(ret: string): { value: number; path?: Buffer; error?: string } | undefined {
  // Read left to right with the same escape rules as the arguments (a `>` inside the path is escaped).
  const number = /^(-?\d+|0x[0-9a-f]+)/.exec(ret);
  if (!number) return undefined;
  const value = Number(number[1]);
  if (!Number.isSafeInteger(value)) return undefined;
  let rest = ret.slice(number[0].length);
  let path: Buffer | undefined;
  if (rest.startsWith('<')) {
    const close = skipEscaped(rest, 1, '>');
    if (close === undefined) return undefined;
    path = unescapeBytes(rest.slice(1, close));
    if (path === undefined) return undefined;
    rest = rest.slice(close + 1);
  }
  const error = /^ ([A-Z][A-Z0-9_]*) \(/.exec(rest)?.[1];
  if (rest !== '' && !rest.startsWith(' ')) return undefined;
  return { value, ...(path ? { path } : {}), ...(error ? { error } : {}) };
}
