/**
 * Which environment variable names hold secrets: one set, used by every attestor. The environment
 * attestor obfuscates (or drops) these keys; everywhere else their values are redacted wherever
 * they appear. The default lists are upstream's (rookery `attestation/sensitive_env_vars.go`).
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

/**
 * cilock's own signing passphrase: withheld from the wrapped command and from every git
 * invocation (nothing cilock starts needs it), and never recorded.
 */
export const SIGNING_PASSPHRASE_VARIABLES = ['AFLOCK_KEY_PASSPHRASE', 'WITNESS_KEY_PASSPHRASE'] as const;

/**
 * Sensitive by name only by accident of the globs (`*PAT*`, `*PWD*`, `*AUTH*` in PATH, GOPATH,
 * PWD, OLDPWD, GIT_AUTHOR_NAME), so the environment attestor obfuscates them like upstream. Their
 * values are locations and identities that appear in nearly every line a build prints and in the
 * git attestor's fields; hunting them elsewhere would replace the working directory in every
 * compiler message and the commit author without protecting a credential.
 */
const NOT_A_SECRET_VALUE = /^(?:PWD|OLDPWD|[A-Z0-9_]*PATH|GIT_AUTHOR_(?:NAME|EMAIL|DATE))$/i;

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
  private readonly allowed: Set<string>;
  private readonly added: Set<string>;

  constructor(options: SensitiveEnvOptions) {
    this.added = new Set(options.addKeys.map((key) => key.toUpperCase()));
    const keys = [...DEFAULT_SENSITIVE_KEYS, ...SIGNING_PASSPHRASE_VARIABLES, ...options.addKeys];
    this.exact = new Set(keys.filter((key) => !key.includes('*')).map((key) => key.toUpperCase()));
    this.globs = [...DEFAULT_SENSITIVE_GLOBS, ...options.addKeys.filter((key) => key.includes('*'))].map(globToRegExp);
    this.allowed = new Set(options.allowKeys);
  }

  /** Sensitive: defaults + additions, minus exact exemptions. */
  isSensitive(key: string): boolean {
    if (this.allowed.has(key)) return false;
    return this.exact.has(key.toUpperCase()) || this.globs.some((re) => re.test(key));
  }

  /** Whether the key's value is searched for and redacted in every other recorded string. */
  huntsValueOf(key: string): boolean {
    // A key the user named explicitly is hunted like any other.
    return this.isSensitive(key) && (!NOT_A_SECRET_VALUE.test(key) || this.added.has(key.toUpperCase()));
  }
}

/** The environment the wrapped command (and every git call) runs with: cilock's, minus its signing passphrase. */
export function childEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out = { ...env };
  for (const key of SIGNING_PASSPHRASE_VARIABLES) delete out[key];
  return out;
}
