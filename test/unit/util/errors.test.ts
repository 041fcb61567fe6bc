/**
 * One error type: every failure cilock reports carries its exit code, and `main` recognises it
 * even when it comes from another copy of the class (the CLI's lazily loaded chunks bundle
 * their own).
 */
import { describe, expect, it, vi } from 'vitest';
import { KeyError } from '../../../src/attestation/keys.js';
import { PolicyError } from '../../../src/attestation/policy.js';
import { CatalogError } from '../../../src/catalog/problems.js';
import { CilockError, isCilockError } from '../../../src/util/errors.js';

describe('CilockError', () => {
  it('is recognised across copies of the module, and nothing else is', async () => {
    vi.resetModules();
    // A second instance of the module, as a lazily loaded chunk of the bundle has.
    const copy = '../../../src/util/errors.js?copy';
    const other = (await import(/* @vite-ignore */ copy)) as typeof import('../../../src/util/errors.js');
    expect(other.CilockError).not.toBe(CilockError);
    const fromChunk = new other.CilockError('from a lazy chunk', 2);
    expect(fromChunk instanceof CilockError).toBe(false);
    expect(isCilockError(fromChunk)).toBe(true);
    expect(isCilockError(new Error('plain'))).toBe(false);
    expect(isCilockError({ name: 'CilockError', exitCode: 2, message: 'look-alike' })).toBe(false);
    expect(isCilockError(null)).toBe(false);
  });

  it("the modules' own errors are CilockErrors with the default failure exit code and their own name", () => {
    for (const error of [new KeyError('k'), new PolicyError('p'), new CatalogError([])]) {
      expect(isCilockError(error)).toBe(true);
      expect(error.exitCode).toBe(1);
    }
    expect(new PolicyError('p').name).toBe('PolicyError');
    expect(new CilockError('usage', 2)).toMatchObject({ name: 'CilockError', exitCode: 2, message: 'usage' });
  });
});
