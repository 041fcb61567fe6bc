/**
 * Test processes find the pinned real tools that `npm run tools:install` put in `.tools/bin`
 * (OPA, Kubescape, scanners) before anything else on PATH. The product itself never looks there:
 * it takes what PATH or its variables (CILOCK_OPA, …) give it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const toolsBin = path.resolve(import.meta.dirname, '../../.tools/bin');
if (existsSync(toolsBin) && !(process.env.PATH ?? '').split(path.delimiter).includes(toolsBin)) {
  process.env.PATH = `${toolsBin}${path.delimiter}${process.env.PATH ?? ''}`;
}
