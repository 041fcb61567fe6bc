/** The command lines cilock suggests survive a real shell word for word, hostile words included. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatCommand } from '../../../src/detection/suggest.js';

const HOSTILE = ['plain', '', ' ', "it's", 'a b', '$HOME', '`id`', '$(id)', '*.tf', '~', '!x', 'a\\b', 'x;y', 'x|y', 'x&y', '<in', '>out', '(x)', '{a,b}', '[ab]', '#c', '"q"', "''", '\n', 'tab\there', 'ünï', '-a', 'git,sarif', '--output=r.sarif', 'https://x:1/y?a=b'];

describe('formatCommand', () => {
  it('gives every word back unchanged through sh', () => {
    const line = formatCommand(['printf', '%s\\0', ...HOSTILE]);
    const r = spawnSync('sh', ['-c', line], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/nonexistent-home' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE);
  });

  it('leaves readable words as they are', () => {
    expect(formatCommand(['cilock', 'run', '-a', 'git,sarif', '--', 'scan', '--output=r.sarif', 'https://x:1/y'])).toBe('cilock run -a git,sarif -- scan --output=r.sarif https://x:1/y');
    expect(formatCommand(['echo', "it's"], { TOKEN: 'a b' })).toBe(`TOKEN='a b' echo 'it'\\''s'`);
  });
});
