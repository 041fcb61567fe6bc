import { describe, expect, it } from 'vitest';
import { parsePolicy, PolicyError } from '../../../src/attestation/policy.js';

const step = { name: 'scan', functionaries: [], attestations: [{ type: 'https://aflock.ai/attestations/sarif/v0.1' }] };

describe('policy parts this build cannot check are refused, not ignored', () => {
  it.each([
    [{ steps: { scan: { ...step, artifactsFrom: ['build'] } } }, 'step "scan" uses artifactsFrom, a cross-step check this cilock does not evaluate'],
    [{ steps: { scan: { ...step, attestationsFrom: ['build'] } } }, 'step "scan" uses attestationsFrom'],
    [{ roots: { ca: { certificate: 'x' } }, steps: { scan: step } }, '"roots" (certificate-based trust) is not supported'],
    [{ timestampauthorities: { tsa: { certificate: 'x' } }, steps: { scan: step } }, '"timestampauthorities" (certificate-based trust) is not supported'],
  ])('%j', (policy, message) => {
    expect(() => parsePolicy(JSON.stringify(policy), 'policy.json')).toThrow(PolicyError);
    expect(() => parsePolicy(JSON.stringify(policy), 'policy.json')).toThrow(message);
  });

  it('empty lists are fine', () => {
    expect(() => parsePolicy(JSON.stringify({ roots: {}, steps: { scan: { ...step, artifactsFrom: [] } } }), 'policy.json')).not.toThrow();
  });
});
