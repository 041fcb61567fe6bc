/**
 * A replay stand-in for a scanner that runs for real when `npm run tools:install` has built it:
 * it replays what the real tool printed, wrote and exited with for one recorded argv over one
 * recorded set of input files, and refuses anything else. Plain JavaScript on Node built-ins only,
 * so it runs without node_modules. Recordings are captured from the real tool by record.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

/** Exit code of a refused call: outside every code the replayed tools use for findings or errors. */
export const REFUSED = 125;

/** Folders the example workspace adds around the fixtures; never inputs of a scan. */
export const IGNORED_DIRS = ['.git', '_validation'];

export function notice(tool) {
  return `${tool} stand-in: this is the cilock test stand-in replaying recorded output (test/stand-ins/bin/${tool}), not the real ${tool}`;
}

export function recordingsFile(tool) {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'recordings', `${tool}.json`);
}

export function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every file under dir (relative, `/`-separated, sorted) except the ignored folders and `skip`. */
export function inputDigests(dir, skip = []) {
  const out = {};
  const walk = (rel) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!(rel === '' && IGNORED_DIRS.includes(entry.name))) walk(name);
      } else if (!skip.includes(name)) {
        out[name] = sha256(path.join(dir, name));
      }
    }
  };
  walk('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** What differs between the recorded inputs and the files found, one line each. */
function inputDifferences(recorded, found) {
  const lines = [];
  for (const [name, digest] of Object.entries(recorded)) {
    if (!(name in found)) lines.push(`missing ${name}`);
    else if (found[name] !== digest) lines.push(`changed ${name}`);
  }
  for (const name of Object.keys(found)) if (!(name in recorded)) lines.push(`not recorded ${name}`);
  return lines;
}

/**
 * io = { tool, argv, cwd, stdout(text), stderr(text) }; returns the exit code. Writes nothing
 * unless a recording matches both the argv and every input file.
 */
export function run(io) {
  const say = (text) => io.stderr(`${text}\n`);
  say(notice(io.tool));
  const file = recordingsFile(io.tool);
  if (!existsSync(file)) {
    say(`${io.tool} stand-in: no recordings at ${file}`);
    return REFUSED;
  }
  const { recordings } = JSON.parse(readFileSync(file, 'utf8'));
  const sameArgv = recordings.filter((r) => JSON.stringify(r.argv) === JSON.stringify(io.argv));
  const record = `record one with the real tool: npx tsx test/stand-ins/replay/record.ts ${io.tool}`;
  if (!sameArgv.length) {
    say(`${io.tool} stand-in: no recording for the arguments ${JSON.stringify(io.argv)}; recorded: ${recordings.map((r) => JSON.stringify(r.argv)).join(', ')}; ${record}`);
    return REFUSED;
  }
  const refusals = [];
  for (const r of sameArgv) {
    const found = inputDigests(io.cwd, [...Object.keys(r.files), ...r.redirects]);
    const differences = inputDifferences(r.inputs, found);
    if (differences.length) {
      refusals.push(`${r.example}: ${differences.join(', ')}`);
      continue;
    }
    for (const [name, content] of Object.entries(r.files)) {
      mkdirSync(path.dirname(path.join(io.cwd, name)), { recursive: true });
      writeFileSync(path.join(io.cwd, name), content);
    }
    io.stdout(r.stdout);
    say(`${io.tool} stand-in: replayed ${r.example} as recorded with ${r.recorded_with} (exit ${r.exit_code})`);
    return r.exit_code;
  }
  say(`${io.tool} stand-in: no recording for these input files (${refusals.join('; ')}); ${record}`);
  return REFUSED;
}

export function main(tool) {
  process.exitCode = run({
    tool,
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
