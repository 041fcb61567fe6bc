/**
 * Limits on untrusted input, declared once. This module imports nothing, so the CLI's help text
 * can quote the figures without loading the verification code.
 */

/**
 * The deepest nesting of arrays and objects cilock accepts in an attestation body: the value a CEL
 * policy sees as `input`. `cilock run` refuses to attest anything deeper (a SARIF report, wrapped
 * as `{report: …}`, may therefore be one level less) and `cilock verify` fails any body deeper, so
 * whatever run accepts, verify and its policies can check. Real reports nest about 15 levels; the
 * limit keeps every consumer that recurses (schema validation, CEL, JSON.stringify) far from the
 * stack limit.
 */
export const MAX_JSON_DEPTH = 256;

/** Comprehension iterations one CEL expression may run, across all its loops (see cel.ts). */
export const CEL_MAX_ITERATIONS = 1_000_000;

/** Wall-clock time one CEL expression may take, in milliseconds: a backstop to the iteration count. */
export const CEL_MAX_MILLISECONDS = 5_000;
