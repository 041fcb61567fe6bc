/**
 * The replay stand-ins for the scanners `npm run tools:install` builds: each recording matches its
 * documented example (argv and fixture files), a matching call replays exactly what the real tool
 * did, and any other argv or input is refused without writing anything.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toolCall, type Recording } from '../../stand-ins/replay/record.js';
import { inputDigests, notice, recordingsFile, REFUSED } from '../../stand-ins/replay/replay.mjs';
import { catalogExamples } from '../../e2e/lib/catalog.js';
import { repoRoot, standInBin } from '../../e2e/lib/paths.js';

const TOOLS = ['gosec', 'gitleaks', 'bandit', 'semgrep', 'cfn-lint', 'checkov', 'conftest', 'trivy'];

interface CatalogExample {
  id: string;
  fixtures?: string;
  expect: { cmd: string[] };
}

/** The examples as the built binary reports them (argv derived from each command). */
function examplesOf(tool: string): CatalogExample[] {
  return catalogExamples(tool).flatMap((t) => t.examples);
}

function recordingsOf(tool: string): Recording[] {
  return (JSON.parse(readFileSync(recordingsFile(tool), 'utf8')) as { recordings: Recording[] }).recordings;
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function fixtureCopy(tool: string, example: CatalogExample): string {
  const dir = mkdtempSync(path.join(tmpdir(), `replay-stand-in-${tool}-`));
  temps.push(dir);
  cpSync(path.join(repoRoot, 'catalog/tools', tool, example.fixtures!), dir, { recursive: true });
  return dir;
}

/** Through a shell with only the stand-ins on PATH (plus sh itself), as the documented commands run. */
function shell(script: string, cwd: string) {
  const r = spawnSync('sh', ['-c', script], { cwd, encoding: 'utf8', env: { PATH: [standInBin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter), HOME: cwd } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const quoted = (argv: string[]) => argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

describe('replay stand-ins', () => {
  for (const tool of TOOLS) {
    describe(tool, () => {
      const [example] = examplesOf(tool);
      const [recording] = recordingsOf(tool);

      it('has a recording of its documented example, over the same argv and fixture files', () => {
        expect(example, `catalog/tools/${tool}/tool.yaml has no example`).toBeDefined();
        expect(recording!.example).toBe(`${tool}/${example!.id}`);
        const call = toolCall(tool, example!.expect.cmd);
        expect(recording!.argv).toEqual(call.argv);
        expect(recording!.redirects).toEqual(call.redirects);
        const fixtures = path.join(repoRoot, 'catalog/tools', tool, example!.fixtures!);
        expect(recording!.inputs, `fixtures changed since the recording: npx tsx test/stand-ins/replay/record.ts ${tool}`).toEqual(inputDigests(fixtures));
      });

      it('replays the recorded exit code, files and stdout, and says it is a stand-in', () => {
        const dir = fixtureCopy(tool, example!);
        const redirect = recording!.redirects.map((f) => ` > ${f}`).join('');
        const r = shell(`${tool} ${quoted(recording!.argv)}${redirect}`, dir);
        expect(r.stderr).toContain(notice(tool));
        expect(r.status).toBe(recording!.exit_code);
        for (const [name, content] of Object.entries(recording!.files)) expect(readFileSync(path.join(dir, name), 'utf8')).toBe(content);
        if (recording!.redirects.length) expect(readFileSync(path.join(dir, recording!.redirects[0]!), 'utf8')).toBe(recording!.stdout);
        else expect(r.stdout).toBe(recording!.stdout);
      });

      it('refuses arguments it has no recording for, and writes nothing', () => {
        const dir = fixtureCopy(tool, example!);
        const before = inputDigests(dir);
        const r = shell(`${tool} ${quoted([...recording!.argv, '--extra'])}`, dir);
        expect(r.status).toBe(REFUSED);
        expect(r.stderr).toContain('no recording for the arguments');
        expect(r.stderr).toContain(`record.ts ${tool}`);
        expect(inputDigests(dir)).toEqual(before);
      });

      it('refuses changed, missing and unrecorded input files, and writes nothing', () => {
        const [first] = Object.keys(recording!.inputs);
        const changed = fixtureCopy(tool, example!);
        writeFileSync(path.join(changed, first!), 'edited\n');
        const missing = fixtureCopy(tool, example!);
        rmSync(path.join(missing, first!));
        const extra = fixtureCopy(tool, example!);
        writeFileSync(path.join(extra, 'added.txt'), 'not in the recording\n');
        for (const [dir, why] of [[changed, `changed ${first}`], [missing, `missing ${first}`], [extra, 'not recorded added.txt']] as const) {
          const r = shell(`${tool} ${quoted(recording!.argv)}`, dir);
          expect(r.status, r.stderr).toBe(REFUSED);
          expect(r.stderr).toContain(why);
          for (const name of Object.keys(recording!.files)) expect(existsSync(path.join(dir, name))).toBe(false);
        }
      });
    });
  }

  it('the recorder finds the tool call only in a single command with a stdout redirect', () => {
    expect(toolCall('gosec', ['gosec', './...'])).toEqual({ argv: ['./...'], redirects: [] });
    expect(toolCall('conftest', ['sh', '-c', 'conftest test manifests/ > out.sarif'])).toEqual({ argv: ['test', 'manifests/'], redirects: ['out.sarif'] });
    expect(() => toolCall('conftest', ['sh', '-c', 'conftest test manifests/ > out.sarif && rm out.sarif'])).toThrow(/more than one conftest call/);
    expect(() => toolCall('conftest', ['sh', '-c', 'cd x; conftest test'])).toThrow(/more than one conftest call/);
    expect(() => toolCall('conftest', ['sh', '-c', 'opa eval x'])).toThrow(/does not start with conftest/);
    expect(() => toolCall('conftest', ['bash', '-lc', 'conftest test'])).toThrow(/cannot find the conftest call/);
  });
});
