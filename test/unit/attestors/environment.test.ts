import { describe, expect, it } from 'vitest';
import { environmentBody } from '../../../src/attestors/environment.js';
import { RedactionPolicy } from '../../../src/redaction/policy.js';
import { SensitiveKeyMatcher, DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../../src/redaction/sensitive-names.js';

describe('sensitive keys', () => {
  const matcher = new SensitiveKeyMatcher({ filter: false, addKeys: ['MY_CUSTOM', 'corp_*'], allowKeys: ['PATH'] });

  it('uses the default globs and exact names case-insensitively', () => {
    const defaults = new SensitiveKeyMatcher(DEFAULT_SENSITIVE_ENV_OPTIONS);
    for (const key of ['GITHUB_TOKEN', 'aws_secret_access_key', 'PATH', 'PWD', 'OLDPWD', 'SSH_AUTH_SOCK', 'TWILIO_ACCOUNT_SID', 'my_sshkey']) expect(defaults.isSensitive(key)).toBe(true);
    for (const key of ['HOME', 'CI', 'LANG', 'SHELL']) expect(defaults.isSensitive(key)).toBe(false);
  });

  it('adds keys and globs, and exempts exact case-sensitive keys', () => {
    expect(matcher.isSensitive('MY_CUSTOM')).toBe(true);
    expect(matcher.isSensitive('CORP_THING')).toBe(true);
    expect(matcher.isSensitive('PATH')).toBe(false);
    expect(matcher.isSensitive('Path')).toBe(true);
  });

  it('redacts values of 8+ characters whose keys look secret', () => {
    const env = { GITHUB_TOKEN: 'ghp_0123456789', SHORT_TOKEN: 'abc', MY_CUSTOM: 'custom-value-1', HOME: '/home/user' };
    const policy = RedactionPolicy.forRun({ env, sensitiveEnv: { filter: false, addKeys: ['MY_CUSTOM', 'corp_*'], allowKeys: ['PATH'] } });
    expect(policy.redact('token=ghp_0123456789 and custom-value-1, abc, /home/user')).toBe('token=[REDACTED] and [REDACTED], abc, /home/user');
  });
});

describe('environment body', () => {
  const env = { HOME: '/home/u', GITHUB_TOKEN: 'ghp_secretsecret', PATH: '/usr/bin', COPY: 'prefix-ghp_secretsecret', LANG: 'C' };

  it('obfuscates sensitive keys to six asterisks and scrubs copied secrets', () => {
    const body = environmentBody({ env, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS });
    expect(body.os).toBe(process.platform === 'win32' ? 'windows' : process.platform);
    expect(body.variables).toEqual({ COPY: 'prefix-[REDACTED]', GITHUB_TOKEN: '******', HOME: '/home/u', LANG: 'C', PATH: '******' });
    expect(Object.keys(body.variables ?? {})).toEqual(Object.keys(body.variables ?? {}).sort());
  });

  it('drops sensitive keys with --env-filter-sensitive-vars and honours the allow list', () => {
    const body = environmentBody({ env, sensitiveEnv: { filter: true, addKeys: ['LANG'], allowKeys: ['PATH'] } });
    expect(body.variables).toEqual({ COPY: 'prefix-[REDACTED]', HOME: '/home/u', PATH: '/usr/bin' });
  });
});
