/**
 * The pin policy, checked by what it guarantees rather than by literal version strings: every
 * dependency is pinned to one exact version, that version is what is installed, and the installed
 * docs-site stack supports the Node versions this package declares (Astro 6+ refuses Node 20).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const repoRoot = new URL('../../../', import.meta.url);

interface Manifest {
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const readJson = (file: string) => JSON.parse(readFileSync(new URL(file, repoRoot), 'utf8')) as Manifest;
/** Read straight from node_modules: some packages do not export their package.json. */
const installed = (pkg: string) => readJson(`node_modules/${pkg}/package.json`);

const root = readJson('package.json');
const pins = { ...root.dependencies, ...root.devDependencies };
// The semver Astro itself resolves versions with (untyped here: only these three calls are used).
interface Semver {
  valid(version: string): string | null;
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
}
const semver = createRequire(new URL('node_modules/astro/package.json', repoRoot))('semver') as Semver;

describe('dependency pins', () => {
  it('pins every dependency to one exact version', () => {
    const ranges = Object.entries(pins).filter(([, spec]) => semver.valid(spec) === null);
    expect(ranges.map(([name, spec]) => `${name}@${spec}`)).toEqual([]);
  });

  it('has exactly the pinned versions installed', () => {
    const drifted = Object.entries(pins).filter(([name, spec]) => installed(name).version !== spec);
    expect(drifted.map(([name, spec]) => `${name}: pinned ${spec}, installed ${installed(name).version}`)).toEqual([]);
  });

  it('runs the docs site on every Node this package accepts, and its plugins on this Astro', () => {
    const floor = semver.minVersion(root.engines!.node!)!.version;
    for (const pkg of ['astro', 'starlight-links-validator']) {
      const engines = installed(pkg).engines?.node ?? '*';
      expect(semver.satisfies(floor, engines), `${pkg} engines.node ${engines} excludes Node ${floor}`).toBe(true);
      expect(semver.satisfies(process.versions.node, engines), `${pkg} engines.node ${engines} excludes this Node ${process.versions.node}`).toBe(true);
    }
    for (const pkg of ['@astrojs/starlight', 'starlight-links-validator']) {
      for (const [peer, range] of Object.entries(installed(pkg).peerDependencies ?? {})) {
        if (!(peer in pins)) continue;
        expect(semver.satisfies(installed(peer).version, range), `${pkg} wants ${peer}@${range}`).toBe(true);
      }
    }
  });
});
