/**
 * The traced process tree as command-run's `processes` (upstream's ProcessInfo shape): program
 * and its digest, comm, cmdline, pid and parent pid, the files each process read
 * (`openedfiles`) and wrote (`writtenDigests`) with their digests, opens that could not be
 * hashed and why (`unhashedOpens`), renames, deletes and mode changes (`fileOps`), exit code.
 *
 * Files are hashed once the command has finished, so a digest is of the content the file had at
 * the end of the run; a file gone by then is listed in `unhashedOpens`. cmdlines pass through the
 * redaction policy. `environ` is never recorded (it is where secrets live).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import type { DigestSet } from '../attestation/statement.js';
import { decodeName } from '../files/path-encoding.js';
import { digestRegularFileSync, NotRegularFileError, type HashName } from '../files/digest.js';
import type { RedactionPolicy } from '../redaction/policy.js';
import type { ExecRecord, ProcessTree, TracedProcess } from './process-tree.js';
import { losesPrivilegesUnderTrace, setuidMessage } from './strace.js';

export interface ProcessInfo {
  program?: string;
  processid: number;
  parentpid: number;
  programdigest?: DigestSet;
  /** What the kernel ran: the program itself, or for a `#!` script its interpreter. */
  exedigest?: DigestSet;
  comm?: string;
  cmdline?: string;
  openedfiles?: Record<string, DigestSet>;
  writtenDigests?: Record<string, DigestSet>;
  unhashedOpens?: { path: string; reason: string }[];
  fileOps?: {
    renames?: { oldPath: string; newPath: string }[];
    deletes?: string[];
    permChanges?: { path: string; mode: string; setExec: boolean }[];
  };
  exitcode?: number;
}

/** One program a traced process executed, with its real argv: what post-gate detection reads (never recorded as is). */
export interface ObservedExec {
  readonly pid: number;
  readonly program: string;
  readonly argv: readonly string[];
}

export interface TraceRecord {
  readonly processes: ProcessInfo[];
  readonly execs: ObservedExec[];
  /** Things the record cannot show as the command saw them (setuid programs, unreadable lines). */
  readonly warnings: string[];
  /** Every file the tracee read, and every file it wrote and did not read back: absolute path → digest. */
  readonly read: Map<string, DigestSet>;
  readonly written: Map<string, DigestSet>;
}

/** Kernel-made files: their "content" is the state of a process or device, not a file to attest. */
const VIRTUAL_ROOTS = ['/proc/', '/sys/', '/dev/'];

/** The kernel's comm: the executed file's name, cut to 15 bytes. */
export function commOf(program: string): string {
  const name = Buffer.from(path.basename(program), 'utf8');
  return name.length <= 15 ? path.basename(program) : name.subarray(0, 15).toString('utf8').replace(/\uFFFD+$/, '');
}

type Hashed = { digest: DigestSet } | { reason: string };

/** The interpreter a `#!` line names (`#! /usr/bin/python3 -u` → /usr/bin/python3), or undefined for a binary. */
export function interpreterOf(program: string): string | undefined {
  let head: Buffer;
  try {
    const fd = openSync(decodeName(program), 'r');
    try {
      head = Buffer.alloc(256);
      head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  if (head[0] !== 0x23 || head[1] !== 0x21) return undefined;
  const line = head.subarray(2).toString('latin1').split('\n')[0] ?? '';
  const interpreter = line.trim().split(/[ \t]+/)[0];
  return interpreter !== undefined && interpreter.startsWith('/') ? interpreter : undefined;
}

class FileHasher {
  private readonly cache = new Map<string, Hashed>();

  constructor(private readonly hashes: readonly HashName[]) {}

  hash(file: string): Hashed {
    let known = this.cache.get(file);
    if (!known) {
      known = this.compute(file);
      this.cache.set(file, known);
    }
    return known;
  }

  private compute(file: string): Hashed {
    if (VIRTUAL_ROOTS.some((root) => file.startsWith(root))) return { reason: 'kernel virtual file (/proc, /sys or /dev): not hashed' };
    try {
      return { digest: digestRegularFileSync(decodeName(file), this.hashes).digest };
    } catch (error) {
      if (error instanceof NotRegularFileError) return { reason: 'not a regular file (directory, FIFO, socket or device)' };
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { reason: 'gone by the end of the run (deleted or renamed)' };
      return { reason: `could not be read after the run (${code ?? (error as Error).message})` };
    }
  }
}

export function traceRecord(tree: ProcessTree, hashes: readonly HashName[], policy: RedactionPolicy): TraceRecord {
  const hasher = new FileHasher(hashes);
  const warnings: string[] = [];
  const read = new Map<string, DigestSet>();
  const written = new Map<string, DigestSet>();
  const execs: ObservedExec[] = [];
  const flagged = new Set<string>();
  const processes = tree.processes.map((proc) => {
    for (const exec of proc.execs) {
      execs.push({ pid: proc.pid, program: exec.program, argv: exec.argv });
      const how = flagged.has(exec.program) ? undefined : losesPrivilegesUnderTrace(exec.program);
      if (how) {
        flagged.add(exec.program);
        warnings.push(setuidMessage(exec.program, how));
      }
    }
    return processInfo(proc, hasher, policy, read, written);
  });
  // A file some process read is a material even if another wrote it: only what nobody read back is a product.
  for (const file of read.keys()) written.delete(file);
  if (tree.unreadLines > 0) warnings.push(`${tree.unreadLines} trace line(s) were not understood and left out of the process record`);
  return { processes, execs, warnings, read, written };
}

function processInfo(proc: TracedProcess, hasher: FileHasher, policy: RedactionPolicy, read: Map<string, DigestSet>, written: Map<string, DigestSet>): ProcessInfo {
  const last: ExecRecord | undefined = proc.execs.at(-1);
  const info: ProcessInfo = { processid: proc.pid, parentpid: proc.ppid };
  if (last) {
    info.program = last.program;
    const program = hasher.hash(last.program);
    if ('digest' in program) info.programdigest = program.digest;
    const interpreter = interpreterOf(last.program);
    const exe = interpreter === undefined ? program : hasher.hash(interpreter);
    if ('digest' in exe) info.exedigest = exe.digest;
    info.comm = commOf(last.program);
    info.cmdline = policy.redactArgv(last.argv).join(' ') + (last.argvTruncated ? ' …[cut by strace]' : '');
  }
  const opened: Record<string, DigestSet> = {};
  const wrote: Record<string, DigestSet> = {};
  const unhashed: { path: string; reason: string }[] = [];
  for (const [file, access] of [...proc.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const result = hasher.hash(file);
    if (!('digest' in result)) {
      unhashed.push({ path: file, reason: result.reason });
      continue;
    }
    if (access.read) {
      opened[file] = result.digest;
      read.set(file, result.digest);
    }
    if (access.write) {
      wrote[file] = result.digest;
      written.set(file, result.digest);
    }
  }
  if (Object.keys(opened).length > 0) info.openedfiles = opened;
  if (Object.keys(wrote).length > 0) info.writtenDigests = wrote;
  if (unhashed.length > 0) info.unhashedOpens = unhashed;
  const fileOps: NonNullable<ProcessInfo['fileOps']> = {};
  if (proc.renames.length > 0) fileOps.renames = proc.renames;
  if (proc.deletes.length > 0) fileOps.deletes = proc.deletes;
  if (proc.permChanges.length > 0) fileOps.permChanges = proc.permChanges.map(({ path: file, mode }) => ({ path: file, mode: `0${mode.toString(8)}`, setExec: (mode & 0o111) !== 0 }));
  if (Object.keys(fileOps).length > 0) info.fileOps = fileOps;
  const exitcode = proc.exitCode ?? (proc.signal ? 128 + ((constants.signals as Record<string, number | undefined>)[proc.signal] ?? 0) : undefined);
  if (exitcode !== undefined && exitcode !== 0) info.exitcode = exitcode;
  return info;
}
