/** What the redaction policy writes in place of a secret, declared once for every attestor. */

/** Replaces a secret inside a recorded string (argv, output, a value copied into another variable). */
export const REDACTED_VALUE = '[REDACTED]';

/** Replaces the whole value of a sensitive environment variable (upstream's environment attestor writes this). */
export const OBFUSCATED_VALUE = '******';
