/**
 * The docs site runs on the last Astro/Starlight lines that support Node 20. A floating install
 * pulls Astro 6+ (which refuses Node 20) or a Starlight/validator release for it: fail loudly here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const repoRoot = new URL('../../../', import.meta.url);

/** Read straight from node_modules: some of these packages do not export their package.json. */
function installedVersion(pkg: string): string {
  const manifest = JSON.parse(readFileSync(new URL(`node_modules/${pkg}/package.json`, repoRoot), 'utf8')) as { version: string };
  return manifest.version;
}

describe('docs site stack pins', () => {
  it('astro is exactly 5.18.2', () => {
    expect(installedVersion('astro')).toBe('5.18.2');
  });

  it('@astrojs/starlight is 0.37.x', () => {
    expect(installedVersion('@astrojs/starlight')).toMatch(/^0\.37\.\d+$/);
  });

  it('starlight-links-validator is 0.19.x', () => {
    expect(installedVersion('starlight-links-validator')).toMatch(/^0\.19\.\d+$/);
  });

  it('package.json pins the three exactly', () => {
    const root = JSON.parse(readFileSync(new URL('package.json', repoRoot), 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const all = { ...root.dependencies, ...root.devDependencies };
    expect(all['astro']).toBe('5.18.2');
    expect(all['@astrojs/starlight']).toBe('0.37.7');
    expect(all['starlight-links-validator']).toBe('0.19.2');
  });
});
