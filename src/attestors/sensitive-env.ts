/**
 * Which environment variables are secrets.
 *
 * The environment attestor obfuscates (or, with --env-filter-sensitive-vars, drops) every key that
 * matches the block list; the command-run attestor redacts secret *values* from captured output
 * and argv. The default lists are upstream's (rookery `attestation/sensitive_env_vars.go`).
 */

/** Glob entries (contain `*`), matched case-insensitively. */
export const DEFAULT_SENSITIVE_GLOBS = [
  '*TOKEN*', '*SECRET*', '*API_KEY*', '*APIKEY*', '*KEY*',
  '*PASSWORD*', '*PASSWD*', '*PWD*', '*PASSPHRASE*',
  '*JWT*', '*sshKey*', '*PAT*',
  '*CREDENTIAL*', '*CRED*', '*AUTH*', '*OAUTH*', '*BEARER*',
  '*PRIVATE*', '*SIGNING*', '*ACCESS_KEY*', '*SESSION_TOKEN*',
  '*WEBHOOK*', '*DSN*', '*CONNECTION_STRING*', '*DATABASE_URL*', '*passphrase*',
] as const;

/** Exact key names, matched case-insensitively. */
export const DEFAULT_SENSITIVE_KEYS = [
  'GITHUB_PAT', 'GH_PAT', 'GH_TOKEN', 'GH_ENTERPRISE_TOKEN', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AMAZON_AWS_ACCESS_KEY_ID', 'AMAZON_AWS_SECRET_ACCESS_KEY',
  'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_USERNAME', 'AZURE_PASSWORD', 'MSI_ENDPOINT', 'MSI_SECRET',
  'GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_API_KEY', 'DIGITALOCEAN_ACCESS_TOKEN', 'HEROKU_API_KEY', 'HEROKU_API_USER',
  'OS_USERNAME', 'OS_PASSWORD', 'VULTR_ACCESS', 'VULTR_SECRET', 'CF_PASSWORD', 'CF_USERNAME',
  'CI_DEPLOY_USER', 'CI_DEPLOY_PASSWORD', 'GITLAB_USER_LOGIN', 'CI_JOB_JWT', 'CI_JOB_JWT_V2', 'CI_JOB_TOKEN',
  'CIRCLE_TOKEN', 'TRAVIS_SUDO', 'TRAVIS_OS_NAME', 'TRAVIS_SECURE_ENV_VARS', 'CODECLIMATE_REPO_TOKEN',
  'COVERALLS_REPO_TOKEN', 'PERCY_TOKEN',
  'DOCKER_EMAIL', 'DOCKER_PASSWORD', 'DOCKER_USERNAME', 'DOCKERHUB_PASSWORD', 'NPM_AUTH_TOKEN', 'FIREBASE_TOKEN',
  'FOSSA_API_KEY', 'ALGOLIA_API_KEY', 'MAILGUN_API_KEY', 'MCLI_PRIVATE_API_KEY', 'MCLI_PUBLIC_API_KEY', 'NGROK_TOKEN',
  'NGROK_AUTH_TOKEN', 'SAUCE_ACCESS_KEY', 'SAUCE_USERNAME', 'SENTRY_AUTH_TOKEN', 'SLACK_TOKEN', 'SNYK_TOKEN',
  'STRIPE_API_KEY', 'STRIPE_DEVICE_NAME', 'SURGE_TOKEN', 'SURGE_LOGIN', 'TWILIO_ACCOUNT_SID', 'VAULT_TOKEN',
  'VAULT_CLIENT_KEY',
  'FACEBOOK_APP_ID', 'FACEBOOK_APP_SECRET', 'FACEBOOK_ACCESS_TOKEN', 'OKTA_CLIENT_ORGURL', 'OKTA_CLIENT_TOKEN',
  'OKTA_OAUTH2_CLIENTSECRET', 'OKTA_OAUTH2_CLIENTID', 'OKTA_AUTHN_GROUPID', 'binance_api', 'binance_secret',
  'BITTREX_API_KEY', 'BITTREX_API_SECRET', 'square_access_token', 'square_oauth_secret', 'CONSUMER_KEY',
  'CONSUMER_SECRET', 'TOKEN',
] as const;

/** Substrings (case-insensitive) whose keys have their values redacted from command output and argv. */
export const REDACT_KEY_SUBSTRINGS = [
  'TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'PASSPHRASE', 'CREDENTIAL', 'PRIVATE_KEY', 'ACCESS_KEY', 'APIKEY',
  'API_KEY', 'SIGNING_KEY', 'SSH_KEY',
] as const;

/** Values shorter than this are not redacted: replacing short strings would shred ordinary output. */
export const REDACT_MIN_LENGTH = 8;
export const OBFUSCATED_VALUE = '******';
export const REDACTED_VALUE = '[REDACTED]';

export interface SensitiveEnvOptions {
  /** `--env-filter-sensitive-vars`: drop matching keys instead of obfuscating them. */
  readonly filter: boolean;
  /** `--env-add-sensitive-key`: extra exact keys or globs. */
  readonly addKeys: readonly string[];
  /** `--env-allow-sensitive-key`: exact, case-sensitive exemptions. */
  readonly allowKeys: readonly string[];
}

export const DEFAULT_SENSITIVE_ENV_OPTIONS: SensitiveEnvOptions = { filter: false, addKeys: [], allowKeys: [] };

function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/** Decides whether an environment key is sensitive under the defaults plus the user's additions. */
export class SensitiveKeyMatcher {
  private readonly exact: Set<string>;
  private readonly globs: RegExp[];
  private readonly added: { exact: Set<string>; globs: RegExp[] };
  private readonly allowed: Set<string>;

  constructor(options: SensitiveEnvOptions) {
    this.exact = new Set(DEFAULT_SENSITIVE_KEYS.map((key) => key.toUpperCase()));
    this.globs = DEFAULT_SENSITIVE_GLOBS.map(globToRegExp);
    this.added = {
      exact: new Set(options.addKeys.filter((key) => !key.includes('*')).map((key) => key.toUpperCase())),
      globs: options.addKeys.filter((key) => key.includes('*')).map(globToRegExp),
    };
    this.allowed = new Set(options.allowKeys);
  }

  /** Sensitive for the environment attestor (defaults + additions, minus exemptions). */
  isSensitive(key: string): boolean {
    if (this.allowed.has(key)) return false;
    const upper = key.toUpperCase();
    return this.exact.has(upper) || this.globs.some((re) => re.test(key)) || this.isAdded(key);
  }

  /** Whether the key's value must be redacted from command output: secret-ish names or user additions. */
  isRedactable(key: string): boolean {
    if (this.allowed.has(key)) return false;
    const upper = key.toUpperCase();
    return REDACT_KEY_SUBSTRINGS.some((part) => upper.includes(part)) || this.isAdded(key);
  }

  private isAdded(key: string): boolean {
    return this.added.exact.has(key.toUpperCase()) || this.added.globs.some((re) => re.test(key));
  }
}

/** Secret values to scrub from command output, longest first so overlapping secrets redact fully. */
export function redactableValues(env: Readonly<Record<string, string | undefined>>, matcher: SensitiveKeyMatcher): string[] {
  const values = new Set<string>();
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.length >= REDACT_MIN_LENGTH && matcher.isRedactable(key)) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED_VALUE);
  return out;
}
