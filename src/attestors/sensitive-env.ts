/** The sensitive-key options, re-exported where the attestors have always imported them from. */
export { DEFAULT_SENSITIVE_ENV_OPTIONS, type SensitiveEnvOptions } from '../redaction/sensitive-names.js';
