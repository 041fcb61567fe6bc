// Types for prebuilt.mjs (plain JavaScript: it runs before anything is compiled).
import type { BuildOptions } from 'esbuild';

export function bundleIfStale(options: BuildOptions & { outdir: string; alsoDependsOn?: string[] }): Promise<boolean>;

/** Banner for ESM bundles holding CommonJS packages: `require`, `__filename`, `__dirname`. */
export const COMMONJS_SHIM: string;
