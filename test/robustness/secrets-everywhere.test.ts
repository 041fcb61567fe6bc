/**
 * One set of sensitive variable names decides, and every such value is redacted from every
 * recorded string: the environment attestor's values, command-run's argv, stdout and stderr.
 */
import { describe, expect, it } from 'vitest';
import { commandRunBody } from '../../src/attestors/command-run.js';
import { wholeOutputResult } from '../../src/attestors/output-capture.js';
import { environmentBody } from '../../src/attestors/environment.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../src/attestors/sensitive-env.js';

/** Values whose names only the environment attestor's globs and exact names catch. */
const SECRETS = {
  DATABASE_URL: 'postgres://app:db-pass-123@db.internal:5432/app',
  DEPLOY_PAT: 'pat-value-0123456789',
  CI_JOB_JWT: 'jwt-value-abcdefghij',
  SENTRY_DSN: 'dsn-value-klmnopqrst',
  SLACK_WEBHOOK: 'webhook-value-uvwxyz01',
  REGISTRY_AUTH: 'auth-value-23456789',
  DEPLOY_KEY: 'key-value-abcdef0123',
  GITHUB_PAT: 'exact-name-value-4567',
} as const;

function run(argv: string[], stdout: string, stderr: string, env: Record<string, string>, sensitiveEnv = DEFAULT_SENSITIVE_ENV_OPTIONS) {
  return commandRunBody(wholeOutputResult(argv, 0, Buffer.from(stdout), Buffer.from(stderr)), { env, sensitiveEnv });
}

describe('sensitive variables are redacted everywhere', () => {
  it('redacts every value the environment attestor masks from argv, stdout and stderr', () => {
    const values = Object.values(SECRETS);
    const body = run(['deploy', ...values, `--url=${SECRETS.DATABASE_URL}`], values.join('\n'), `warning: ${values.join(' ')}`, { ...SECRETS });
    const recorded = JSON.stringify(body);
    for (const value of values) expect(recorded).not.toContain(value);
    expect(body.cmd.slice(1, -1)).toEqual(values.map(() => '[REDACTED]'));
    expect(body.stdout).toBe(values.map(() => '[REDACTED]').join('\n'));
    const environment = environmentBody({ env: { ...SECRETS }, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS });
    for (const key of Object.keys(SECRETS)) expect(environment.variables?.[key]).toBe('******');
  });

  it('redacts a secret copied into another variable and into URLs', () => {
    const env = { ...SECRETS, PGURL: SECRETS.DATABASE_URL, CALLBACK: `https://hooks.example.com/?t=${SECRETS.SLACK_WEBHOOK}`, NOTE: `key is ${SECRETS.DEPLOY_KEY}!` };
    const body = environmentBody({ env, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS });
    expect(body.variables?.PGURL).toBe('[REDACTED]');
    expect(body.variables?.CALLBACK).toBe('https://hooks.example.com/?t=[REDACTED]');
    expect(body.variables?.NOTE).toBe('key is [REDACTED]!');
  });

  it('redacts a value percent-encoded in a URL or escaped in JSON output', () => {
    const env = { API_TOKEN: 'p@ss/w"rd\\9' };
    const body = run(['x'], `url=https://h/?q=${encodeURIComponent(env.API_TOKEN)} json=${JSON.stringify({ t: env.API_TOKEN })}`, '', env);
    expect(body.stdout).toBe('url=https://h/?q=[REDACTED] json={"t":"[REDACTED]"}');
  });

  it('honours --env-add-sensitive-key and --env-allow-sensitive-key in every attestor', () => {
    const env = { MY_THING: 'custom-secret-value', API_TOKEN: 'allowed-token-value' };
    const sensitiveEnv = { filter: false, addKeys: ['MY_*'], allowKeys: ['API_TOKEN'] };
    const body = run(['x', env.MY_THING, env.API_TOKEN], `${env.MY_THING} ${env.API_TOKEN}`, '', env, sensitiveEnv);
    expect(body.cmd).toEqual(['x', '[REDACTED]', 'allowed-token-value']);
    expect(body.stdout).toBe('[REDACTED] allowed-token-value');
    expect(environmentBody({ env, sensitiveEnv }).variables).toEqual({ API_TOKEN: 'allowed-token-value', MY_THING: '******' });
  });

  it('leaves short values and location variables alone so ordinary output stays readable', () => {
    const env = { SHORT_TOKEN: 'abc123', PWD: '/home/runner/work/app', PATH: '/usr/local/bin:/usr/bin' };
    const body = run(['x'], 'abc123 at /home/runner/work/app/src/a.c:3 with /usr/local/bin:/usr/bin', '', env);
    expect(body.stdout).toBe('abc123 at /home/runner/work/app/src/a.c:3 with /usr/local/bin:/usr/bin');
  });

  it('leaves no fragment of secrets that contain or overlap each other, in any order', () => {
    const env = { A_TOKEN: 'abcdefgh', B_TOKEN: 'abcdefgh-longer', C_TOKEN: 'fgh-longer-tail', D_TOKEN: 'zzzzzzzz' };
    const body = run(['x'], 'abcdefgh-longer-tail | abcdefgh | zzzzzzzzzzz | xabcdefghx', '', env);
    expect(body.stdout).toBe('[REDACTED] | [REDACTED] | [REDACTED] | x[REDACTED]x');
  });
});
