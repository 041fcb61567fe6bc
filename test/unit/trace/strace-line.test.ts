/**
 * The strace line parser and the process tree built from it, on real strace 6.1 output shapes:
 * quoted names with escapes, `-y` paths, unfinished/resumed halves, threads, signals, exits; and,
 * property-based, on arbitrary and hostile lines (never a throw, never a wrong value).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProcessTree } from '../../../src/trace/process-tree.js';
import { parseQuoted, parseReturn, parseStraceLine, parseStringArray, splitArgs, unescapeBytes } from '../../../src/trace/strace-line.js';

/** How strace prints bytes in a quoted string (print_quoted_string: C escapes, octal for the rest). */
function straceQuote(bytes: Uint8Array): string {
  let out = '';
  for (const [i, b] of [...bytes].entries()) {
    const next = bytes[i + 1];
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    // Octal as short as possible unless a digit follows, as strace does.
    else out += next !== undefined && next >= 0x30 && next <= 0x37 ? `\\${b.toString(8).padStart(3, '0')}` : `\\${b.toString(8)}`;
  }
  return `"${out}"`;
}

const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('strace lines', () => {
  it('reads a complete execve with escaped quotes, backslashes, newlines and a non-UTF-8 byte', () => {
    const line = String.raw`27057 execve("/usr/bin/cat", ["cat", "/tmp/q/a>b\"c\\d\nnl\377.txt", "/tmp/q/sp ace<t>.txt"], 0x55baac52ed58 /* 35 vars */) = 0`;
    const parsed = parseStraceLine(line);
    expect(parsed).toMatchObject({ kind: 'call', pid: 27057, name: 'execve', ret: '0' });
    if (parsed.kind !== 'call') throw new Error('not a call');
    const args = splitArgs(parsed.args);
    expect(args).toHaveLength(3);
    const argv = parseStringArray(args[1] as string);
    expect(argv?.items.map((item) => item.bytes)).toEqual([latin1('cat'), Buffer.from([...latin1('/tmp/q/a>b"c\\d\nnl'), 0xff, ...latin1('.txt')]), latin1('/tmp/q/sp ace<t>.txt')]);
  });

  it('reads -y decorations with escaped angle brackets, and error returns', () => {
    expect(parseReturn(String.raw`3</tmp/q/sp ace\74t\76.txt>`)).toEqual({ value: 3, path: latin1('/tmp/q/sp ace<t>.txt') });
    expect(parseReturn('-1 ENOENT (No such file or directory)')).toEqual({ value: -1, error: 'ENOENT' });
    expect(parseReturn('?')).toBeUndefined();
    expect(parseReturn('3</unterminated')).toBeUndefined();
  });

  it('marks strings and arrays strace cut at its -s limit', () => {
    expect(parseQuoted('"12345678"...')).toEqual({ bytes: latin1('12345678'), truncated: true });
    expect(parseStringArray('["/bin/ech"..., "1", ...]')?.truncated).toBe(true);
    expect(parseQuoted('"abc"x')).toBeUndefined();
  });

  it('refuses bad escapes instead of guessing', () => {
    expect(unescapeBytes('\\q')).toBeUndefined();
    expect(unescapeBytes('\\')).toBeUndefined();
    expect(unescapeBytes('\\777')).toBeUndefined();
    expect(unescapeBytes('\\x4a\\101\\0')).toEqual(Buffer.from([0x4a, 0x41, 0]));
  });

  it('reads unfinished and resumed halves, signals, exits and kills', () => {
    expect(parseStraceLine('25874 vfork( <unfinished ...>')).toEqual({ kind: 'unfinished', pid: 25874, name: 'vfork', args: '' });
    expect(parseStraceLine('25874 <... vfork resumed>)              = 25875')).toEqual({ kind: 'resumed', pid: 25874, name: 'vfork', rest: ')              = 25875' });
    expect(parseStraceLine('25874 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=25875} ---')).toEqual({ kind: 'signal', pid: 25874, signal: 'SIGCHLD' });
    expect(parseStraceLine('25875 +++ exited with 3 +++')).toEqual({ kind: 'exited', pid: 25875, code: 3 });
    expect(parseStraceLine('25875 +++ killed by SIGSEGV (core dumped) +++')).toEqual({ kind: 'killed', pid: 25875, signal: 'SIGSEGV' });
    expect(parseStraceLine('strace: Process 1 attached').kind).toBe('unknown');
  });

  it('does not take a ") = " inside a string for the end of the call', () => {
    const parsed = parseStraceLine('7 execve("/bin/sh", ["sh", "-c", "f() = 1; echo ) = 0"], 0x1 /* 1 var */) = 0');
    expect(parsed.kind === 'call' && parseStringArray(splitArgs(parsed.args)[1] as string)?.items.map((i) => i.bytes.toString())).toEqual(['sh', '-c', 'f() = 1; echo ) = 0']);
  });
});

describe('strace lines, property-based', () => {
  it('never throws on arbitrary text, and unknown lines change no tree', () => {
    const fragment = fc.constantFrom('1 ', '23 ', 'execve(', 'openat(', 'clone3(', '"', '\\', '\\"', '<', '>', '</x>', '(', ')', '[', ']', '{', '}', ', ', ' = ', '0', '-1 ENOENT (x)', '...', ' <unfinished ...>', '<... execve resumed>', '+++ ', '--- ', '/*', '*/', 'CLONE_THREAD', 'O_WRONLY', 'AT_FDCWD');
    const line = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fragment, { maxLength: 40 }).map((p) => p.join('')));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        for (const l of lines) parseStraceLine(l);
        const tree = buildProcessTree(lines, '/w', 1);
        for (const proc of tree.processes) for (const file of proc.files.keys()) expect(file.startsWith('/')).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('gives back exactly the argv bytes strace quoted, whatever they are', () => {
    const arg = fc.uint8Array({ maxLength: 40 });
    fc.assert(
      fc.property(fc.array(arg, { minLength: 1, maxLength: 6 }), (argv) => {
        const line = `42 execve(${straceQuote(argv[0] as Uint8Array)}, [${argv.map(straceQuote).join(', ')}], 0x7ffd /* 3 vars */) = 0`;
        const parsed = parseStraceLine(line);
        if (parsed.kind !== 'call') throw new Error(`not read: ${line}`);
        const items = parseStringArray(splitArgs(parsed.args)[1] as string)?.items.map((item) => [...item.bytes]);
        expect(items).toEqual(argv.map((a) => [...a]));
      }),
      { numRuns: 300 },
    );
  });
});

describe('process tree', () => {
  const trace = [
    '100 execve("/usr/bin/sh", ["sh", "-c", "cd sub; cat in.txt > out.txt"], 0x7ffe /* 35 vars */) = 0',
    '100 openat(AT_FDCWD</w>, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache>',
    '100 chdir("sub")                     = 0',
    '100 openat(AT_FDCWD</w/sub>, "out.txt", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</w/sub/out.txt>',
    '100 vfork( <unfinished ...>',
    // The child's exec is printed before the parent's vfork returns.
    '101 execve("./tool", ["./tool", "in.txt"], 0x559d /* 35 vars */ <unfinished ...>',
    '100 <... vfork resumed>)              = 101',
    '101 <... execve resumed>)             = 0',
    '101 openat(AT_FDCWD</w/sub>, "in.txt", O_RDONLY) = 3</w/sub/in.txt>',
    '101 openat(AT_FDCWD</w/sub>, "/w/sub", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 4</w/sub>',
    '101 openat(AT_FDCWD</w/sub>, "missing", O_RDONLY) = -1 ENOENT (No such file or directory)',
    // A thread whose first call appears before clone3 says it is a thread.
    '102 openat(AT_FDCWD</w/sub>, "cache.bin", O_RDWR|O_CREAT, 0644) = 5</w/sub/cache.bin>',
    '101 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, exit_signal=0} => {parent_tid=[102]}, 88) = 102',
    '102 +++ exited with 0 +++',
    '101 renameat2(AT_FDCWD</w/sub>, "a.tmp", AT_FDCWD</w/sub>, "a", RENAME_NOREPLACE) = 0',
    '101 unlinkat(AT_FDCWD</w/sub>, "old", 0) = 0',
    '101 fchmodat(AT_FDCWD</w/sub>, "run.sh", 0755) = 0',
    '101 +++ killed by SIGTERM +++',
    '100 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=101} ---',
    '100 +++ exited with 143 +++',
  ];

  it('links parents, resolves relative paths against the tracked directory, folds threads into their process', () => {
    const { processes, unreadLines } = buildProcessTree(trace, '/w', 99);
    expect(unreadLines).toBe(0);
    expect(processes.map((p) => [p.pid, p.ppid])).toEqual([
      [100, 99],
      [101, 100],
    ]);
    const [sh, tool] = processes;
    expect(sh?.execs).toEqual([{ program: '/usr/bin/sh', argv: ['sh', '-c', 'cd sub; cat in.txt > out.txt'], argvTruncated: false }]);
    expect(sh?.exitCode).toBe(143);
    expect([...(sh?.files ?? [])]).toEqual([
      ['/etc/ld.so.cache', { read: true, write: false }],
      ['/w/sub/out.txt', { read: false, write: true }],
    ]);
    expect(tool?.execs[0]?.program).toBe('/w/sub/tool');
    expect([...(tool?.files ?? [])]).toEqual([
      ['/w/sub/in.txt', { read: true, write: false }],
      ['/w/sub/cache.bin', { read: true, write: true }],
    ]);
    expect(tool?.renames).toEqual([{ oldPath: '/w/sub/a.tmp', newPath: '/w/sub/a' }]);
    expect(tool?.deletes).toEqual(['/w/sub/old']);
    expect(tool?.permChanges).toEqual([{ path: '/w/sub/run.sh', mode: 0o755 }]);
    expect(tool?.signal).toBe('SIGTERM');
  });

  it('counts a resumed half without its first half as unread instead of inventing a call', () => {
    const { processes, unreadLines } = buildProcessTree(['7 <... execve resumed>) = 0', '7 +++ exited with 0 +++'], '/w', 1);
    expect(unreadLines).toBe(1);
    expect(processes[0]?.execs).toEqual([]);
  });
});
