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

/** What the operations work on: the argv, the env to set, and one line per change for the summary. */
interface FixState {
  argv: string[];
  env: Record<string, string>;
  parts: string[];
}

type Operations = { [K in keyof SuggestedFix]-?: (state: FixState, op: NonNullable<SuggestedFix[K]>) => void };

/** Each operation, applied in this order (upstream's, then this project's two extra ones). */
const OPERATIONS: Operations = {
  replace_argv(state, { from, to }) {
    const at = findSublist(state.argv, from);
    if (at < 0) return;
    state.argv.splice(at, from.length, ...to);
    state.parts.push(`replaced [${from.join(' ')}] → [${to.join(' ')}]`);
  },
  insert_arg(state, { value, after_subcommand = [], position }) {
    const { argv } = state;
    if (position !== undefined) {
      const at = Math.min(Math.max(position, 0), argv.length);
      argv.splice(at, 0, value);
      state.parts.push(`inserted "${value}" at position ${at}`);
      return;
    }
    const anchor = lastIndexWhere(argv, (a) => after_subcommand.includes(a));
    if (anchor >= 0) {
      argv.splice(anchor + 1, 0, value);
      state.parts.push(`inserted "${value}" after "${argv[anchor]}"`);
    } else {
      argv.push(value);
      state.parts.push(`inserted "${value}" appended (anchor not found)`);
    }
  },
  prepend_args(state, args) {
    state.argv.splice(1, 0, ...args);
    state.parts.push(`prepended [${args.join(' ')}] after "${state.argv[0]}"`);
  },
  append_args(state, args) {
    state.argv.push(...args);
    state.parts.push(`appended [${args.join(' ')}]`);
  },
  ensure_flag_suffix(state, { flags, suffix }) {
    const lacks = (value: string) => !value.toLowerCase().endsWith(suffix.toLowerCase());
    state.argv = state.argv.map((a, i, argv) => {
      const eq = a.indexOf('=');
      if (eq > 0 && flags.includes(a.slice(0, eq)) && lacks(a)) {
        state.parts.push(`renamed ${a.slice(eq + 1)} → ${a.slice(eq + 1)}${suffix}`);
        return `${a}${suffix}`;
      }
      const prev = argv[i - 1];
      if (prev !== undefined && flags.includes(prev) && lacks(a)) {
        state.parts.push(`renamed ${a} → ${a}${suffix}`);
        return `${a}${suffix}`;
      }
      return a;
    });
  },
  set_env(state, { var: key, value }) {
    state.env[key] = value;
    state.parts.push(`set ${key}=${value}`);
  },
  wrap_in_shell(state, { before }) {
    state.argv = ['sh', '-c', `${before} && ${formatCommand(state.argv)}`];
    state.parts.push(`ran "${before}" first, under sh -c`);
  },
};

export function applyFix(original: string[], fix: SuggestedFix): RenderedFix {
  const state: FixState = { argv: [...original], env: {}, parts: [] };
  for (const [name, apply] of Object.entries(OPERATIONS) as [keyof SuggestedFix, (state: FixState, op: unknown) => void][]) {
    if (fix[name] !== undefined) apply(state, fix[name]);
  }
  return { argv: state.argv, command: formatCommand(state.argv, state.env), diffSummary: state.parts.join('; '), envOverride: state.env };
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
