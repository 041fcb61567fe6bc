/**
 * Applies a warning's suggested fix to an argv and renders the result as a shell command line,
 * in upstream's fixed order (replace → insert → prepend → append → env), then this project's two
 * extra operations (flag suffix, shell wrap).
 */
import type { SuggestedFix } from '../catalog/schema.js';

export interface RenderedFix {
  argv: string[];
  /** The command as a user would paste it. */
  command: string;
  diffSummary: string;
  envOverride: Record<string, string>;
}

const NEEDS_QUOTING = /[\s"'\\$`&;|<>(){}[\]*?#~!]/;

/**
 * Single-quotes a word only when the shell would otherwise change it. Written here rather than
 * with shell-quote's `quote`, which backslash-escapes `,`, `=` and `:` (`-a git\,sarif`,
 * `--output\=r.sarif`, `https\://…`): correct, but the command lines `cilock plan` suggests and
 * the pages show are meant to be read and pasted. The round trip through a real shell is tested.
 */
export function shellQuote(word: string): string {
  if (word !== '' && !NEEDS_QUOTING.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(argv: string[], env: Record<string, string> = {}): string {
  const prefix = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return [...prefix, ...argv.map(shellQuote)].join(' ');
}

export function applyFix(original: string[], fix: SuggestedFix): RenderedFix {
  let argv = [...original];
  const parts: string[] = [];
  const envOverride: Record<string, string> = {};

  if (fix.replace_argv) {
    const { from, to } = fix.replace_argv;
    const at = findSublist(argv, from);
    if (at >= 0) {
      argv.splice(at, from.length, ...to);
      parts.push(`replaced [${from.join(' ')}] → [${to.join(' ')}]`);
    }
  }
  if (fix.insert_arg) {
    const { value, after_subcommand = [], position } = fix.insert_arg;
    if (position !== undefined) {
      const at = Math.min(Math.max(position, 0), argv.length);
      argv.splice(at, 0, value);
      parts.push(`inserted "${value}" at position ${at}`);
    } else {
      const anchor = lastIndexWhere(argv, (a) => after_subcommand.includes(a));
      if (anchor >= 0) {
        argv.splice(anchor + 1, 0, value);
        parts.push(`inserted "${value}" after "${argv[anchor]}"`);
      } else {
        argv.push(value);
        parts.push(`inserted "${value}" appended (anchor not found)`);
      }
    }
  }
  if (fix.prepend_args) {
    argv.splice(1, 0, ...fix.prepend_args);
    parts.push(`prepended [${fix.prepend_args.join(' ')}] after "${argv[0]}"`);
  }
  if (fix.append_args) {
    argv.push(...fix.append_args);
    parts.push(`appended [${fix.append_args.join(' ')}]`);
  }
  if (fix.ensure_flag_suffix) {
    const { flags, suffix } = fix.ensure_flag_suffix;
    argv = argv.map((a, i) => {
      const eq = a.indexOf('=');
      if (eq > 0 && flags.includes(a.slice(0, eq)) && !a.toLowerCase().endsWith(suffix.toLowerCase())) {
        parts.push(`renamed ${a.slice(eq + 1)} → ${a.slice(eq + 1)}${suffix}`);
        return `${a}${suffix}`;
      }
      const prev = argv[i - 1];
      if (prev !== undefined && flags.includes(prev) && !a.toLowerCase().endsWith(suffix.toLowerCase())) {
        parts.push(`renamed ${a} → ${a}${suffix}`);
        return `${a}${suffix}`;
      }
      return a;
    });
  }
  if (fix.set_env) {
    envOverride[fix.set_env.var] = fix.set_env.value;
    parts.push(`set ${fix.set_env.var}=${fix.set_env.value}`);
  }
  if (fix.wrap_in_shell) {
    const script = `${fix.wrap_in_shell.before} && ${formatCommand(argv)}`;
    argv = ['sh', '-c', script];
    parts.push(`ran "${fix.wrap_in_shell.before}" first, under sh -c`);
  }
  return { argv, command: formatCommand(argv, envOverride), diffSummary: parts.join('; '), envOverride };
}

function findSublist(list: string[], sub: string[]): number {
  outer: for (let i = 0; i + sub.length <= list.length; i++) {
    for (let j = 0; j < sub.length; j++) if (list[i + j] !== sub[j]) continue outer;
    return i;
  }
  return -1;
}

function lastIndexWhere<T>(list: T[], pred: (x: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (pred(list[i]!)) return i;
  return -1;
}
