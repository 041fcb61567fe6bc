/**
 * The closed set of step categories, in canonical order (tier 1 "core" first, then tier 2
 * "specialized"). A catalog entry may only use these names.
 */
export const CORE_CATEGORIES = [
  'source-checkout', 'ci-context', 'dependency-resolve', 'dependency-verify', 'build', 'unit-test',
  'integration-test', 'code-review', 'threat-model', 'vulnerability-scan', 'secret-scan',
  'compliance-scan', 'sbom-generate', 'sbom-consume', 'provenance', 'policy-eval', 'sign', 'publish',
  'deploy',
] as const;

export const SPECIALIZED_CATEGORIES = [
  'lint', 'release-approve', 'archive', 'iac-plan', 'iac-apply', 'manifest-validate', 'image-build',
  'image-scan', 'image-sign', 'package-publish', 'runtime-event', 'runtime-vulnerability-detect',
  'drift-detect', 'asset-inventory', 'vex-consume', 'vulnerability-disclosure', 'incident-response',
  'rollback', 'key-ceremony', 'api-surface-check', 'model-train', 'model-eval', 'dataset-snapshot',
  'firmware-sign', 'mobile-sign', 'mobile-submit',
] as const;

export const CATEGORIES = [...CORE_CATEGORIES, ...SPECIALIZED_CATEGORIES] as const;
export type Category = (typeof CATEGORIES)[number];
