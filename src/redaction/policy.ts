/**
 * The redaction policy: the one place that decides what of a string may reach a signed payload.
 * Every attestor that records a string it did not produce itself (environment values, argv,
 * command output, git remotes and messages, and later traced command lines and environments)
 * passes it through `RedactionPolicy.redact`.
 *
 * Applied in this order, each step on the result of the previous one:
 * 1. the values of sensitive environment variables (sensitive-names.ts), wherever they appear;
 * 2. URL userinfo and credential query parameters (url-credentials.ts);
 * 3. well-known credential shapes: tokens, keys, headers, `--password` flags (credential-shapes.ts).
 * Redacting an already redacted string changes nothing.
 */
import { isBareCredentialFlag, redactCredentialShapes } from './credential-shapes.js';
import { OBFUSCATED_VALUE, REDACTED_VALUE } from './marker.js';
import { redactValues, secretValueList, withoutPartialValue } from './secret-values.js';
import { SensitiveKeyMatcher, SIGNING_PASSPHRASE_VARIABLES, type SensitiveEnvOptions } from './sensitive-names.js';
import { scrubUrlCredentials } from './url-credentials.js';

type Environment = Readonly<Record<string, string | undefined>>;

export class RedactionPolicy {
  /** The forms searched for (secret-values.ts), derived from `raw`. */
  private readonly values: readonly string[];

  private constructor(
    private readonly matcher: SensitiveKeyMatcher,
    private readonly raw: readonly string[],
  ) {
    this.values = secretValueList(raw);
  }

  /** The policy for one run: the sensitive-key options and the environment whose secret values are hunted. */
  static forRun(context: { readonly env: Environment; readonly sensitiveEnv: SensitiveEnvOptions }): RedactionPolicy {
    const matcher = new SensitiveKeyMatcher(context.sensitiveEnv);
    return new RedactionPolicy(matcher, sensitiveValues(context.env, matcher));
  }

  /** This policy, also hunting the secret values of another environment (a traced process's environ). */
  including(env: Environment): RedactionPolicy {
    return new RedactionPolicy(this.matcher, [...this.raw, ...sensitiveValues(env, this.matcher)]);
  }

  isSensitiveKey(key: string): boolean {
    return this.matcher.isSensitive(key);
  }

  /** The text with every secret the policy knows of replaced. */
  redact(text: string): string {
    const withoutValues = this.values.length > 0 ? redactValues(text, this.values) : text;
    return redactCredentialShapes(scrubUrlCredentials(withoutValues));
  }

  /** Text cut at a length limit: redacted, and a trailing first part of a secret value dropped. */
  redactTruncated(text: string): string {
    return withoutPartialValue(this.redact(text), this.values);
  }

  /** An argument vector: each argument redacted, and the argument after a bare `--password`/`--token` flag replaced whole. */
  redactArgv(argv: readonly string[]): string[] {
    return argv.map((arg, index) => (index > 0 && isBareCredentialFlag(argv[index - 1] as string) && arg !== '' ? REDACTED_VALUE : this.redact(arg)));
  }

  /**
   * An environment as recorded: sensitive keys obfuscated to `******` (or dropped when `filter`),
   * cilock's signing passphrase dropped always, every other value redacted. Keys keep their order.
   */
  redactEnvironment(env: Environment, filter: boolean): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined || (SIGNING_PASSPHRASE_VARIABLES as readonly string[]).includes(key)) continue;
      if (this.matcher.isSensitive(key)) {
        if (!filter) out[key] = OBFUSCATED_VALUE;
      } else {
        out[key] = this.redact(value);
      }
    }
    return out;
  }
}

function sensitiveValues(env: Environment, matcher: SensitiveKeyMatcher): string[] {
  return Object.entries(env)
    .filter(([key, value]) => value !== undefined && matcher.huntsValueOf(key))
    .map(([, value]) => value as string);
}
