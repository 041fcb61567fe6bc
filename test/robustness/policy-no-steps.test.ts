import { describe, expect, it } from 'vitest';
import { parsePolicy, PolicyError } from '../../src/attestation/policy.js';

describe('a policy with no steps', () => {
  it.each(['{"steps": {}}', '{"expires": "2099-01-01T00:00:00Z", "steps": {}}'])('%s is refused with a clear message', (text) => {
    expect(() => parsePolicy(text, 'policy.json')).toThrow(PolicyError);
    expect(() => parsePolicy(text, 'policy.json')).toThrow(/policy policy\.json has no steps, so it would require nothing; list at least one step/);
  });
});
