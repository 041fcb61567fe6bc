import { describe, expect, it } from 'vitest';
import { RedactionPolicy } from '../../../src/redaction/policy.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../../src/redaction/sensitive-names.js';

describe('RedactionPolicy for traced processes', () => {
  const policy = RedactionPolicy.forRun({ env: { CI_TOKEN: 'run-level-token-1' }, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS });

  it('learns the secret values of a traced environ and applies them with the run-level ones', () => {
    const environ = { DB_PASSWORD: 'set-inside-script-9', HOME: '/root', AFLOCK_KEY_PASSPHRASE: 'never-recorded-1' };
    const traced = policy.including(environ);
    expect(traced.redactArgv(['psql', '--dsn=x:set-inside-script-9', 'run-level-token-1'])).toEqual(['psql', '--dsn=x:[REDACTED]', '[REDACTED]']);
    expect(policy.redact('set-inside-script-9')).toBe('set-inside-script-9');
    expect(traced.redactEnvironment(environ, false)).toEqual({ DB_PASSWORD: '******', HOME: '/root' });
    expect(traced.redactEnvironment(environ, true)).toEqual({ HOME: '/root' });
  });

  it('replaces the argument after a bare credential flag only', () => {
    expect(policy.redactArgv(['login', '--password', 'p', '--password-stdin', 'x', '--no-token', 'y'])).toEqual(['login', '--password', '[REDACTED]', '--password-stdin', 'x', '--no-token', 'y']);
  });
});
