/**
 * Properties of the redaction policy over arbitrary text: a planted secret (a sensitive variable's
 * value, URL credentials, a credential shape) never survives in what command-run records, and
 * redacting the recorded text again changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandRunBody } from '../../src/attestors/command-run.js';
import { wholeOutputResult } from '../../src/attestors/output-capture.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../src/attestors/sensitive-env.js';

const RUNS = { numRuns: 300 };

function record(stdout: string, env: Record<string, string> = {}): string {
  const body = commandRunBody(wholeOutputResult(['tool', stdout], 0, Buffer.from(stdout)), { env, sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS });
  expect(body.cmd[1]).toBe(body.stdout ?? '');
  return body.stdout ?? '';
}

/** Surrounding text: anything, unicode and control characters included. */
const text = fc.string({ unit: 'binary', maxLength: 80 });
/**
 * Secret values of at least the minimum length. `[` and `]` are left out: a value overlapping the
 * marker's own text could be re-formed by the marker and its neighbours, which is not a leak.
 */
const secretValue = fc.string({ unit: fc.constantFrom(...'abcdefXYZ0189@/:?#&=%+-_.~ é"\\\n'.split('')), minLength: 8, maxLength: 40 });
/** Names the environment attestor's globs and exact names make sensitive. */
const sensitiveName = fc.constantFrom('DATABASE_URL', 'SENTRY_DSN', 'DEPLOY_PAT', 'CI_JOB_JWT', 'SLACK_WEBHOOK', 'REGISTRY_AUTH', 'DEPLOY_KEY', 'API_TOKEN', 'GITHUB_PAT');
const b62 = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('')), minLength: min, maxLength: max });
const upper = (length: number) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.split('')), minLength: length, maxLength: length });

/** Tokens in the shapes the policy knows, with random bodies. */
const token = fc.oneof(
  fc.tuple(fc.constantFrom('ghp', 'gho', 'ghu', 'ghs'), b62(36, 40)).map(([prefix, body]) => `${prefix}_${body}`),
  b62(22, 82).map((body) => `github_pat_${body}`),
  b62(20, 30).map((body) => `glpat-${body}`),
  fc.tuple(fc.constantFrom('AKIA', 'ASIA'), upper(16)).map(([prefix, body]) => prefix + body),
  fc.tuple(fc.constantFrom('xoxb', 'xoxp', 'xoxa', 'xoxr', 'xoxs'), b62(10, 40)).map(([prefix, body]) => `${prefix}-${body}`),
  b62(16, 40).map((body) => `sk_live_${body}`),
  fc.tuple(b62(4, 40), b62(4, 60), b62(0, 43)).map(([h, p, s]) => `eyJ${h}.${p}.${s}`),
);

/** URL credentials: a user name, and a password that may hold `@`, `/`, `?`, `#` and `:`. */
const password = fc.string({ unit: fc.constantFrom(...'abcXYZ019@/?#:%!$&*+=~-._,;()'.split('')), minLength: 1, maxLength: 24 }).filter((value) => /[A-Za-z]/.test(value));
const user = fc.string({ unit: fc.constantFrom(...'abcxyz019._-'.split('')), minLength: 1, maxLength: 10 });

describe('redaction properties', () => {
  it('never records a sensitive variable planted anywhere in the output', () => {
    fc.assert(
      fc.property(sensitiveName, text, secretValue, text, (name, before, secret, after) => {
        expect(record(`${before}${secret}${after}`, { [name]: secret })).not.toContain(secret);
      }),
      RUNS,
    );
  });

  it('never records the userinfo or a credential query value of a planted URL', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('https', 'http', 'postgres', 'redis', 'git+ssh'), user, password, b62(6, 20), text, (before, scheme, name, pass, query, after) => {
        const out = record(`${before} ${scheme}://${name}:${pass}@db.example.com:5432/path?access_token=${query} ${after}`);
        expect(out).not.toContain(`${name}:${pass}@`);
        expect(out).not.toContain(`access_token=${query}`);
      }),
      RUNS,
    );
  });

  it('never records a planted credential shape', () => {
    fc.assert(
      fc.property(text, token, text, (before, planted, after) => {
        expect(record(`${before} ${planted} ${after}`)).not.toContain(planted);
      }),
      RUNS,
    );
  });

  it('is idempotent', () => {
    const mixed = fc.array(fc.oneof(text, token, secretValue, fc.tuple(user, password).map(([n, p]) => `https://${n}:${p}@h.example/x`), fc.constantFrom('--password ', '--token=', 'Authorization: Bearer ', '[REDACTED]', '-----BEGIN PRIVATE KEY-----\n')), { maxLength: 8 });
    fc.assert(
      fc.property(mixed, secretValue, (parts, secret) => {
        const env = { API_TOKEN: secret };
        const once = record(parts.join(''), env);
        expect(record(once, env)).toBe(once);
      }),
      RUNS,
    );
  });
});
