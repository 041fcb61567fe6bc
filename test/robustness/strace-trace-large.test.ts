/**
 * Large and hostile traces: a long build's worth of lines, a multi-megabyte argv, deep brackets
 * and unbalanced quotes are read in bounded time without a throw (the time bounds are hang
 * guards, not performance claims; see bench/trace-overhead.ts for those).
 */
import { describe, expect, it } from 'vitest';
import { buildProcessTree } from '../../src/trace/process-tree.js';
import { parseStraceLine, parseStringArray, splitArgs } from '../../src/trace/strace-line.js';

describe('large strace input', () => {
  it('folds 200,000 lines from 2,000 processes', () => {
    const lines: string[] = ['1 execve("/bin/sh", ["sh", "build.sh"], 0x1 /* 3 vars */) = 0'];
    for (let p = 2; p < 2002; p++) {
      lines.push(`1 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD) = ${p}`);
      lines.push(`${p} execve("/usr/bin/cc", ["cc", "-c", "f${p}.c"], 0x1 /* 3 vars */) = 0`);
      for (let f = 0; f < 97; f++) lines.push(`${p} openat(AT_FDCWD</w>, "inc/h${f}.h", O_RDONLY) = 3</w/inc/h${f}.h>`);
      lines.push(`${p} +++ exited with 0 +++`);
    }
    const tree = buildProcessTree(lines, '/w', 0);
    expect(tree.processes).toHaveLength(2001);
    expect(tree.processes[2000]?.files.size).toBe(97);
    expect(tree.processes[2000]?.ppid).toBe(1);
  }, 30_000);

  it('reads a 4 MB argv element and a 100,000-element argv', () => {
    const big = 'a'.repeat(4 * 1024 * 1024);
    const one = parseStraceLine(`5 execve("/bin/echo", ["echo", "${big}"], 0x1 /* 1 var */) = 0`);
    expect(one.kind === 'call' && parseStringArray(splitArgs(one.args)[1] as string)?.items[1]?.bytes.length).toBe(big.length);
    const many = Array.from({ length: 100_000 }, (_, i) => `"${i}"`).join(', ');
    const two = parseStraceLine(`5 execve("/bin/echo", [${many}], 0x1 /* 1 var */) = 0`);
    expect(two.kind === 'call' && parseStringArray(splitArgs(two.args)[1] as string)?.items.length).toBe(100_000);
  }, 30_000);

  it('ends hostile lines (deep brackets, unbalanced quotes, endless escapes) as unknown or partial, never a throw', () => {
    const hostile = [
      `1 execve(${'['.repeat(200_000)}) = 0`,
      `1 execve("${'\\'.repeat(200_001)}) = 0`,
      `1 openat(AT_FDCWD<${'\\>'.repeat(100_000)}, "x", O_RDONLY) = 3<${'<'.repeat(100_000)}`,
      `1 ${'x('.repeat(100_000)}`,
    ];
    const tree = buildProcessTree(hostile, '/w', 0);
    expect(tree.processes.every((p) => p.execs.length === 0 && p.files.size === 0)).toBe(true);
  }, 30_000);
});
