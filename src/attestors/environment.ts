/**
 * environment/v0.1: OS, host, user and cilock's own environment variables, with sensitive keys
 * obfuscated to `******` (or dropped with --env-filter-sensitive-vars) and every other value passed
 * through the redaction policy (secret values copied into it, URL credentials, token shapes become
 * `[REDACTED]`). cilock's signing passphrase variables are not recorded at all.
 */
import { hostname, userInfo } from 'node:os';
import { sortedRecord } from '../attestation/json.js';
import { RedactionPolicy } from '../redaction/policy.js';
import type { AttestorImplementation, AttestorOutput, RunContext } from './types.js';

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
  const variables = RedactionPolicy.forRun(context).redactEnvironment(context.env, context.sensitiveEnv.filter);
  const body: EnvironmentBody = {
    os: GOOS[process.platform] ?? process.platform,
    hostname: hostname(),
    username: currentUsername(context.env),
  };
  if (Object.keys(variables).length > 0) body.variables = sortedRecord(variables);
  return body;
}

export const environmentAttestor: AttestorImplementation = {
  name: 'environment',
  async run(context): Promise<AttestorOutput> {
    return { body: environmentBody(context) };
  },
};
