/**
 * Well-known credential shapes are redacted wherever they appear, whether or not they are the
 * value of one of cilock's variables. secretlint's recommended preset (a development dependency)
 * checks the result: nothing it recognises may survive.
 */
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { describe, expect, it } from 'vitest';
import { commandRunBody } from '../../src/attestors/command-run.js';
import { wholeOutputResult } from '../../src/attestors/output-capture.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../src/attestors/sensitive-env.js';

const alnum = (length: number, seed = 7) => Array.from({ length }, (_, i) => 'A1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvWxYz'[(i * seed) % 36]).join('');

/** [what, as printed, as recorded] */
const SHAPES: [string, string, string][] = [
  ['GitHub classic token', `token ghp_${alnum(36)} ok`, 'token [REDACTED] ok'],
  ['GitHub OAuth token', `gho_${alnum(36)}`, '[REDACTED]'],
  ['GitHub user-to-server token', `ghu_${alnum(36)}`, '[REDACTED]'],
  ['GitHub server-to-server token', `ghs_${alnum(36)}`, '[REDACTED]'],
  ['GitHub fine-grained token', `github_pat_11${alnum(20)}_${alnum(59, 5)}`, '[REDACTED]'],
  ['GitLab token', `glpat-${alnum(20)}`, '[REDACTED]'],
  ['AWS access key id', 'key AKIA2OGYBAH6STMMNXNN in use', 'key [REDACTED] in use'],
  ['AWS session key id', 'ASIA2OGYBAH6STMMNXNN', '[REDACTED]'],
  ['AWS secret access key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzKEY1', 'aws_secret_access_key = [REDACTED]'],
  ['Slack bot token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', '[REDACTED]'],
  ['Slack user token', 'xoxp-123456789012-1234567890123-AbCdEfGhIj', '[REDACTED]'],
  ['Stripe live key', `sk_live_${alnum(24)}`, '[REDACTED]'],
  ['JSON Web Token', 'jwt=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c;', 'jwt=[REDACTED];'],
  ['Bearer header', 'curl -H "Authorization: Bearer abc.def-ghi_123" https://x', 'curl -H "Authorization: Bearer [REDACTED]" https://x'],
  ['Basic header', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic [REDACTED]'],
  ['lower-case header', 'authorization: token abcdef0123456789', 'authorization: token [REDACTED]'],
  ['GitLab header', 'PRIVATE-TOKEN: some-private-token', 'PRIVATE-TOKEN: [REDACTED]'],
  ['--password=', 'mysql --password=hunter2 -h db', 'mysql --password=[REDACTED] -h db'],
  ['--password value', 'mysql --password hunter2 -h db', 'mysql --password [REDACTED] -h db'],
  ['--token value', 'deploy --token "two words" now', 'deploy --token [REDACTED] now'],
  ['--registry-token=', 'push --registry-token=xyz', 'push --registry-token=[REDACTED]'],
  ['npm token', `npm_${alnum(36)}`, '[REDACTED]'],
  ['npmrc auth', '//registry.npmjs.org/:_authToken=abcdef-0123', '//registry.npmjs.org/:_authToken=[REDACTED]'],
  ['private key block', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nnext', '-----BEGIN RSA PRIVATE KEY-----[REDACTED]-----END RSA PRIVATE KEY-----\nnext'],
  ['truncated private key', '-----BEGIN PRIVATE KEY-----\nMIIEowIBAAKCAQEA', '-----BEGIN PRIVATE KEY-----[REDACTED]'],
  ['Slack webhook', 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXX', 'https://hooks.slack.com/services/[REDACTED]'],
  ['Google API key', `AIza${alnum(35)}`, '[REDACTED]'],
  ['Anthropic key', `sk-ant-api03-${alnum(93)}AA`, '[REDACTED]'],
];

/** Look-alikes that are not credentials. */
const ORDINARY = ['--password-stdin', '--no-token', 'Basic setup complete', 'ghp_short', 'task-runner sk-8', 'authorization failed for user bob', 'AKIA is a prefix'];

function recorded(text: string) {
  return commandRunBody(wholeOutputResult(['tool', text], 0, Buffer.from(text)), { env: {}, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS });
}

async function secretlintFindings(content: string): Promise<string[]> {
  const config = { rules: [{ id: recommended.meta.id, rule: recommended, options: { 'aws': { enableIDScanRule: true } } }] };
  const result = await lintSource({ source: { content, filePath: '/output.txt', ext: '.txt', contentType: 'text' }, options: { config, noPhysicFilePath: true } });
  return result.messages.map((message) => `${message.ruleId}: ${content.slice(message.range[0], message.range[1])}`);
}

describe('credential shapes are redacted wherever they appear', () => {
  it.each(SHAPES)('%s in stdout and argv', (_, printed, expected) => {
    const body = recorded(printed);
    expect(body.stdout).toBe(expected);
    expect(body.cmd[1]).toBe(expected);
  });

  it('replaces the argument after a bare --password / --token flag', () => {
    const body = commandRunBody(wholeOutputResult(['login', '--password', 'hunter2', '--token', 'tkn-1', 'next'], 0, Buffer.alloc(0)), { env: {}, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS });
    expect(body.cmd).toEqual(['login', '--password', '[REDACTED]', '--token', '[REDACTED]', 'next']);
  });

  it('leaves look-alikes alone', () => {
    for (const text of ORDINARY) expect(recorded(text).stdout).toBe(text);
  });

  it('leaves nothing secretlint recognises', async () => {
    const text = SHAPES.map(([, printed]) => printed).join('\n');
    expect((await secretlintFindings(text)).length).toBeGreaterThan(5);
    expect(await secretlintFindings(recorded(text).stdout ?? '')).toEqual([]);
  });
});
