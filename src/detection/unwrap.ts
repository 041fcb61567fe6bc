/**
 * Sees through the wrappers CI scripts put in front of a tool: `sh -c '…'` / `bash -c '…'` (the
 * script is tokenised by a shell parser and split on `&&`, `||`, `;`, `|`, `&`, with redirections
 * dropped), `env K=V cmd`, `sudo`, `time`, `nice`, `timeout`, `xargs`, `npx` and `npm exec`.
 * Upstream matches argv[0] only; here `sh -c 'kubectl get … && kubescape scan …'` detects both.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ParseEntry, parse as ParseShell } from 'shell-quote';

// Loaded on first use: most plans see no shell wrapper, and start-up time matters for `cilock plan`.
const require = createRequire(import.meta.url);
let shellParser: typeof ParseShell | undefined;
function parseShell(...args: Parameters<typeof ParseShell>): ParseEntry[] {
  shellParser ??= (require('shell-quote') as { parse: typeof ParseShell }).parse;
  return shellParser(...args);
}

export interface Invocation {
  argv: string[];
  /** How it was reached, outermost first, e.g. `["sudo", "sh -c[2]"]`; empty for the argv as given. */
  via: string[];
  /** `K=V` assignments made by `env` or a shell prefix on the way in. */
  env: Record<string, string>;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh', 'busybox-sh']);
const MAX_DEPTH = 8;

/** The given argv followed by every command found inside it (depth first, in script order). */
export function invocations(argv: string[]): Invocation[] {
  const out: Invocation[] = [{ argv, via: [], env: {} }];
  collect(out[0]!, out, 0);
  return out;
}

function collect(parent: Invocation, out: Invocation[], depth: number): void {
  if (depth >= MAX_DEPTH || parent.argv.length === 0) return;
  for (const child of unwrapOnce(parent.argv)) {
    const inv: Invocation = { argv: child.argv, via: [...parent.via, child.label], env: { ...parent.env, ...child.env } };
    out.push(inv);
    collect(inv, out, depth + 1);
  }
}

interface Unwrapped {
  argv: string[];
  label: string;
  env: Record<string, string>;
}

export function commandName(arg0: string): string {
  return path.posix.basename(arg0);
}

function unwrapOnce(argv: string[]): Unwrapped[] {
  const name = commandName(argv[0] ?? '');
  const rest = argv.slice(1);
  if (SHELLS.has(name)) return unwrapShell(name, rest);
  switch (name) {
    case 'env':
      return single('env', skipEnvOptions(rest));
    case 'sudo':
      return single('sudo', skipOptions(rest, ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-T', '-U', '--user', '--group', '--chdir', '--prompt'], true));
    case 'time':
      return single('time', skipOptions(rest, ['-f', '-o', '--format', '--output']));
    case 'nice':
      return single('nice', skipOptions(rest, ['-n', '--adjustment']));
    case 'timeout': {
      const after = skipOptions(rest, ['-s', '-k', '--signal', '--kill-after']);
      return single('timeout', { argv: after.argv.slice(1), env: after.env });
    }
    case 'xargs':
      return single('xargs', skipOptions(rest, ['-n', '-I', '-L', '-P', '-d', '-a', '-s', '-E', '-i', '--max-args', '--replace', '--max-lines', '--max-procs', '--delimiter', '--arg-file', '--max-chars', '--eof']));
    case 'npx':
      return unwrapPackageRunner('npx', rest);
    case 'npm':
      return rest[0] === 'exec' || rest[0] === 'x' ? unwrapPackageRunner(`npm ${rest[0]}`, rest.slice(1)) : [];
    default:
      return [];
  }
}

function single(label: string, found: { argv: string[]; env: Record<string, string> }): Unwrapped[] {
  return found.argv.length ? [{ label, argv: found.argv, env: found.env }] : [];
}

/** Skips leading options (and the values of `valueFlags`), `--`, and optionally `K=V` assignments. */
function skipOptions(args: string[], valueFlags: string[], assignments = false): { argv: string[]; env: Record<string, string> } {
  let i = 0;
  const env: Record<string, string> = {};
  while (i < args.length) {
    const a = args[i]!;
    if (a === '--') { i++; break; }
    if (a.startsWith('-') && a.length > 1) {
      i += valueFlags.includes(a) ? 2 : 1;
      continue;
    }
    if (assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
      const eq = a.indexOf('=');
      env[a.slice(0, eq)] = a.slice(eq + 1);
      i++;
      continue;
    }
    break;
  }
  return { argv: args.slice(i), env };
}

function skipEnvOptions(args: string[]): { argv: string[]; env: Record<string, string> } {
  return skipOptions(args, ['-u', '-C', '-S', '--unset', '--chdir', '--split-string'], true);
}

function unwrapPackageRunner(label: string, args: string[]): Unwrapped[] {
  // `npx -c '<script>'` / `npm exec -c '<script>'` run a script through a shell.
  const c = args.findIndex((a) => a === '-c' || a === '--call');
  if (c >= 0 && args[c + 1] !== undefined) return splitScript(args[c + 1]!, `${label} -c`);
  const found = skipOptions(args, ['-p', '--package', '--call']);
  const [head, ...tail] = found.argv;
  if (!head) return [];
  return [{ label, argv: [stripVersion(head), ...tail], env: {} }];
}

/** `eslint@9.1.0` → `eslint`, `@scope/tool@1` → `@scope/tool`. */
function stripVersion(spec: string): string {
  const at = spec.lastIndexOf('@');
  return at > 0 ? spec.slice(0, at) : spec;
}

function unwrapShell(shell: string, args: string[]): Unwrapped[] {
  // Options come before the script: `sh -c`, `bash -ec`, `bash -o pipefail -c`, `sh -xc`.
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-o' || a === '+o') { i++; continue; }
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) {
      const script = args[i + 1];
      return script === undefined ? [] : splitScript(script, `${shell} -c`);
    }
    if (!a.startsWith('-') && !a.startsWith('+')) return []; // `sh script.sh`: a file, not inline text
  }
  return [];
}

const SEPARATORS = new Set(['&&', '||', ';', ';;', '|', '|&', '&', '(', ')', '\n']);
const REDIRECTS = new Set(['>', '>>', '<', '>&', '<&', '<>', '>|', '<<', '<<<', '&>', '&>>']);

/** Splits a shell script into its simple commands, each labelled `sh -c[N]` (1-based). */
export function splitScript(script: string, label: string): Unwrapped[] {
  let tokens: ParseEntry[];
  try {
    // Keep `$VAR` literal: detection must not depend on the values of the caller's variables.
    tokens = parseShell(script.replace(/\n/g, ' ; '), (key) => `$${key}`);
  } catch {
    return [];
  }
  const commands: string[][] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) commands.push(current);
    current = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (typeof t === 'string') {
      current.push(t);
      continue;
    }
    if ('comment' in t) continue;
    if ('op' in t) {
      if (t.op === 'glob') {
        current.push((t as { pattern: string }).pattern);
      } else if (REDIRECTS.has(t.op)) {
        // `2>&1`: the fd number was tokenised as a word of the command; drop it with the target.
        const prev = current.at(-1);
        if (prev !== undefined && /^\d+$/.test(prev)) current.pop();
        i++; // the redirection target
      } else if (SEPARATORS.has(t.op)) {
        flush();
      }
    }
  }
  flush();
  return commands
    .map((words, n) => {
      const env: Record<string, string> = {};
      let start = 0;
      while (start < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start]!)) {
        const eq = words[start]!.indexOf('=');
        env[words[start]!.slice(0, eq)] = words[start]!.slice(eq + 1);
        start++;
      }
      return { label: `${label}[${n + 1}]`, argv: words.slice(start), env };
    })
    .filter((c) => c.argv.length > 0);
}
