/**
 * Folds parsed strace lines into the traced process tree: one entry per process (thread-group
 * leader; a thread's calls count for its process), with its parent, every program it executed,
 * the files it read and wrote, its renames, deletes and mode changes, and how it ended.
 *
 * Paths are absolute: taken from `-y`'s decoration of the returned descriptor (the file the
 * kernel really opened, symlinks resolved) and otherwise resolved against the directory strace
 * printed for the call or the process's tracked working directory.
 */
import path from 'node:path';
import { encodeName } from '../files/path-encoding.js';
import { decoratedPath, parseQuoted, parseReturn, parseStraceLine, parseStringArray, splitArgs, splitCall, type StraceLine } from './strace-line.js';

export interface ExecRecord {
  /** Absolute path of the executed file, in the leaf-path encoding. */
  readonly program: string;
  readonly argv: readonly string[];
  /** strace cut an argument or left some out (its `-s` limit). */
  readonly argvTruncated: boolean;
}

export interface FileAccess {
  read: boolean;
  write: boolean;
}

export interface TracedProcess {
  readonly pid: number;
  ppid: number;
  cwd: string;
  /** Every successful exec, in order; the last one is what the process was when it ended. */
  readonly execs: ExecRecord[];
  /** Absolute path → how the process opened it, in first-open order. */
  readonly files: Map<string, FileAccess>;
  readonly renames: { oldPath: string; newPath: string }[];
  readonly deletes: string[];
  readonly permChanges: { path: string; mode: number }[];
  exitCode?: number;
  signal?: string;
}

export interface ProcessTree {
  /** In order of first appearance; the first is the traced command itself. */
  readonly processes: TracedProcess[];
  /** Lines that were not strace output cilock understands (they change nothing). */
  readonly unreadLines: number;
}

const CLONE_CALLS = new Set(['clone', 'clone3', 'fork', 'vfork']);
const OPEN_CALLS = new Set(['open', 'openat', 'openat2', 'creat']);

/** Builds the tree; `rootParent` is the pid of the process that started the traced command. */
export class ProcessTreeBuilder {
  private readonly byPid = new Map<number, TracedProcess>();
  /** Thread id → its thread-group leader. */
  private readonly leaders = new Map<number, number>();
  /** First halves of calls, by thread id. */
  private readonly pending = new Map<number, { name: string; args: string }>();
  private unread = 0;

  constructor(
    private readonly rootCwd: string,
    private readonly rootParent: number,
  ) {}

  add(text: string): void {
    const line = parseStraceLine(text);
    if (line.kind === 'unknown') {
      if (text.trim() !== '') this.unread++;
      return;
    }
    this.apply(line);
  }

  private apply(line: Exclude<StraceLine, { kind: 'unknown' }>): void {
    switch (line.kind) {
      case 'unfinished':
        this.pending.set(line.pid, { name: line.name, args: line.args });
        return;
      case 'resumed': {
        const first = this.pending.get(line.pid);
        this.pending.delete(line.pid);
        const rest = first && first.name === line.name ? splitCall(first.args + line.rest) : undefined;
        if (!rest) {
          this.unread++;
          return;
        }
        this.call(line.pid, line.name, rest.args, rest.ret);
        return;
      }
      case 'call':
        this.call(line.pid, line.name, line.args, line.ret);
        return;
      case 'exited':
      case 'killed': {
        if (this.leaders.has(line.pid)) return; // a thread ending says nothing about its process
        const proc = this.process(line.pid);
        if (line.kind === 'exited') proc.exitCode = line.code;
        else proc.signal = line.signal;
        return;
      }
      case 'signal':
        return;
    }
  }

  /** The process a thread id belongs to, created on first sight. */
  private process(tid: number): TracedProcess {
    const pid = this.leaders.get(tid) ?? tid;
    let proc = this.byPid.get(pid);
    if (!proc) {
      const root = this.byPid.size === 0;
      proc = { pid, ppid: root ? this.rootParent : -1, cwd: this.rootCwd, execs: [], files: new Map(), renames: [], deletes: [], permChanges: [] };
      this.byPid.set(pid, proc);
    }
    return proc;
  }

  private call(tid: number, name: string, argText: string, retText: string): void {
    const ret = parseReturn(retText);
    if (!ret || ret.value < 0) return; // failed calls changed nothing
    const proc = this.process(tid);
    const args = splitArgs(argText);
    if (CLONE_CALLS.has(name)) return this.cloned(proc, args, ret.value);
    if (name === 'execve' || name === 'execveat') return this.executed(proc, name, args);
    if (OPEN_CALLS.has(name)) return this.opened(proc, name, args, ret.path);
    if (name === 'chdir' || name === 'fchdir') {
      const dir = name === 'chdir' ? this.pathArg(proc, args[0]) : this.fdPath(args[0]);
      if (dir !== undefined) proc.cwd = dir;
      return;
    }
    if (name === 'rename' || name === 'renameat' || name === 'renameat2') {
      const [oldPath, newPath] = name === 'rename' ? [this.pathArg(proc, args[0]), this.pathArg(proc, args[1])] : [this.pathArg(proc, args[1], args[0]), this.pathArg(proc, args[3], args[2])];
      if (oldPath !== undefined && newPath !== undefined) proc.renames.push({ oldPath, newPath });
      return;
    }
    if (name === 'unlink' || name === 'unlinkat' || name === 'rmdir') {
      const target = name === 'unlinkat' ? this.pathArg(proc, args[1], args[0]) : this.pathArg(proc, args[0]);
      if (target !== undefined) proc.deletes.push(target);
      return;
    }
    if (name === 'chmod' || name === 'fchmodat' || name === 'fchmod') {
      const target = name === 'chmod' ? this.pathArg(proc, args[0]) : name === 'fchmod' ? this.fdPath(args[0]) : this.pathArg(proc, args[1], args[0]);
      const mode = Number.parseInt(args[name === 'fchmodat' ? 2 : 1] ?? '', 8);
      if (target !== undefined && Number.isInteger(mode)) proc.permChanges.push({ path: target, mode });
    }
  }

  private cloned(proc: TracedProcess, args: string[], child: number): void {
    if (child === 0) return; // the child's own return
    const flags = args.join(',');
    if (/\bCLONE_THREAD\b/.test(flags)) {
      const leader = proc.pid;
      this.leaders.set(child, leader);
      // Its calls may have been printed before this return: they were the process's all along.
      const early = this.byPid.get(child);
      if (early && early !== proc) {
        this.byPid.delete(child);
        for (const [file, access] of early.files) mergeAccess(proc.files, file, access);
        proc.execs.push(...early.execs);
        proc.renames.push(...early.renames);
        proc.deletes.push(...early.deletes);
        proc.permChanges.push(...early.permChanges);
      }
      return;
    }
    const created = this.process(child);
    created.ppid = /\bCLONE_PARENT\b/.test(flags) ? proc.ppid : proc.pid;
    if (created.execs.length === 0 && created.files.size === 0) created.cwd = proc.cwd;
  }

  private executed(proc: TracedProcess, name: string, args: string[]): void {
    const [fileArg, argvArg] = name === 'execve' ? [args[0], args[1]] : [args[1], args[2]];
    const file = this.pathArg(proc, fileArg, name === 'execveat' ? args[0] : undefined);
    const argv = argvArg === undefined ? undefined : parseStringArray(argvArg);
    if (file === undefined || argv === undefined) return;
    const fileTruncated = parseQuoted(fileArg ?? '')?.truncated ?? false;
    proc.execs.push({
      program: file,
      argv: argv.items.map((item) => encodeName(item.bytes)),
      argvTruncated: argv.truncated || fileTruncated || argv.items.some((item) => item.truncated),
    });
  }

  private opened(proc: TracedProcess, name: string, args: string[], resolved: Buffer | undefined): void {
    const [dirArg, pathArg, flagArg] = name === 'openat' || name === 'openat2' ? [args[0], args[1], args[2]] : [undefined, args[0], name === 'creat' ? 'O_WRONLY|O_CREAT' : args[1]];
    const file = resolved ? encodeName(resolved) : this.pathArg(proc, pathArg, dirArg);
    if (file === undefined) return;
    const flags = flagArg ?? '';
    // Opening a directory lists it; its entries' contents are opened (and recorded) one by one.
    if (/\bO_DIRECTORY\b/.test(flags)) return;
    const write = /\bO_(WRONLY|RDWR|CREAT|TRUNC|APPEND)\b/.test(flags);
    const read = !/\bO_WRONLY\b/.test(flags);
    mergeAccess(proc.files, file, { read, write });
  }

  /** A path argument made absolute against `dirArg`'s `-y` path (or the process's working directory). */
  private pathArg(proc: TracedProcess, arg: string | undefined, dirArg?: string): string | undefined {
    const quoted = arg === undefined ? undefined : parseQuoted(arg);
    if (!quoted || quoted.truncated) return undefined;
    const name = encodeName(quoted.bytes);
    if (path.isAbsolute(name)) return path.normalize(name);
    const base = (dirArg !== undefined ? this.fdPath(dirArg) : undefined) ?? proc.cwd;
    return path.resolve(base, name);
  }

  private fdPath(arg: string | undefined): string | undefined {
    const bytes = arg === undefined ? undefined : decoratedPath(arg);
    return bytes ? encodeName(bytes) : undefined;
  }

  finish(): ProcessTree {
    return { processes: [...this.byPid.values()], unreadLines: this.unread };
  }
}

function mergeAccess(files: Map<string, FileAccess>, file: string, access: FileAccess): void {
  const known = files.get(file);
  if (known) {
    known.read ||= access.read;
    known.write ||= access.write;
  } else {
    files.set(file, { ...access });
  }
}

/** Every line of a whole trace at once (tests; the run streams lines through the builder). */
export function buildProcessTree(lines: Iterable<string>, rootCwd: string, rootParent: number): ProcessTree {
  const builder = new ProcessTreeBuilder(rootCwd, rootParent);
  for (const line of lines) builder.add(line);
  return builder.finish();
}
