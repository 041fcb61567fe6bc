import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const cliMain = path.join(repoRoot, 'dist/cli/main.js');
export const standInBin = path.join(repoRoot, 'test/stand-ins/bin');
export const nodeModulesBin = path.join(repoRoot, 'node_modules/.bin');
/** The pinned real tools `npm run tools:install` builds (src/scripts/tools-manifest.ts). */
export const toolsDir = path.join(repoRoot, '.tools');
export const toolsBin = path.join(toolsDir, 'bin');
export const docsRoot = path.join(repoRoot, 'site/src/content/docs');
