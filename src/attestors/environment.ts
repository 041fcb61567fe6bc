/**
 * environment/v0.1: OS, host, user and cilock's own environment variables, with secret-looking
 * keys obfuscated to `******` (or dropped with --env-filter-sensitive-vars). Secret values that
 * were copied into other variables are replaced with `[REDACTED]` as well.
 */
import { hostname, userInfo } from 'node:os';
import { sortedRecord } from '../attestation/json.js';
import { OBFUSCATED_VALUE, SensitiveKeyMatcher, redact, redactableValues } from './sensitive-env.js';
import type { Attestor, AttestorOutput, RunContext } from './types.js';

export const ENVIRONMENT_TYPE = 'https://aflock.ai/attestations/environment/v0.1';

export interface EnvironmentBody {
  os: string;
  hostname: string;
  username: string;
  variables?: Record<string, string>;
}

/** Go GOOS names for Node's platform ids. */
const GOOS: Partial<Record<NodeJS.Platform, string>> = { win32: 'windows', sunos: 'solaris' };

function currentUsername(env: RunContext['env']): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? '';
  }
}

export function environmentBody(context: Pick<RunContext, 'env' | 'sensitiveEnv'>): EnvironmentBody {
  const matcher = new SensitiveKeyMatcher(context.sensitiveEnv);
  const secrets = redactableValues(context.env, matcher);
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(context.env)) {
    if (value === undefined) continue;
    if (matcher.isSensitive(key)) {
      if (!context.sensitiveEnv.filter) variables[key] = OBFUSCATED_VALUE;
    } else {
      variables[key] = redact(value, secrets);
    }
  }
  const body: EnvironmentBody = {
    os: GOOS[process.platform] ?? process.platform,
    hostname: hostname(),
    username: currentUsername(context.env),
  };
  if (Object.keys(variables).length > 0) body.variables = sortedRecord(variables);
  return body;
}

export const environmentAttestor: Attestor = {
  name: 'environment',
  type: ENVIRONMENT_TYPE,
  phase: 'prematerial',
  async run(context): Promise<AttestorOutput> {
    return { body: environmentBody(context) };
  },
};
