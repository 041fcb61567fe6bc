/**
 * Every command's `--help` text, gathered in one process: what `cilock … --help` prints to a pipe
 * (80 columns, no colour), including the text added with addHelpText.
 */
import type { Command } from 'commander';
import type { CommandHelp } from './contract.js';

export type { CommandHelp };


function helpOf(cmd: Command): string {
  let text = '';
  const saved = cmd.configureOutput();
  cmd.configureOutput({ ...saved, writeOut: (s) => (text += s), getOutHelpWidth: () => 80, getOutHasColors: () => false });
  try {
    cmd.outputHelp();
  } finally {
    cmd.configureOutput(saved);
  }
  return text.trimEnd();
}

/** The command tree in registration order (the order `--help` lists sub-commands in), without `help`. */
export function helpTexts(root: Command): CommandHelp[] {
  const out: CommandHelp[] = [];
  const walk = (cmd: Command, words: string[]) => {
    out.push({ command: words, text: helpOf(cmd) });
    for (const sub of cmd.commands) if (sub.name() !== 'help') walk(sub, [...words, sub.name()]);
  };
  walk(root, []);
  return out;
}
