/**
 * Where this project's tests get each program a documented example requires, from the manifests
 * that install them: the pinned tools of `npm run tools:install` (Go module proxy, PyPI), the npm
 * packages of package.json, and the Debian packages of the system-tools list. Compiled into the
 * catalog so every tool page can say which programs its examples run for real, and at which version.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SourceOfProgram } from '../catalog/compile.js';
import { SYSTEM_TOOLS } from './system-tools.js';
import { TOOLS } from './tools-manifest.js';

export function programSources(root: string): SourceOfProgram {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const npm: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };
  return (program) => {
    const pin = TOOLS.find((t) => 'binaries' in t && t.binaries.includes(program));
    if (pin && 'binaries' in pin) return { version: pin.version, from: pin.source === 'pypi' ? 'PyPI, via `npm run tools:install`' : 'the Go module proxy, via `npm run tools:install`' };
    if (npm[program]) return { version: npm[program], from: 'npm' };
    const system = SYSTEM_TOOLS.find((t) => t.command === program);
    if (system) return { from: `Debian package ${system.debianPackage}` };
    return undefined;
  };
}
