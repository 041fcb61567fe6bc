import { describe, expect, it } from 'vitest';
import { parsePolicy, PolicyError } from '../../../src/attestation/policy.js';

const step = { name: 'scan', functionaries: [], attestations: [{ type: 'https://aflock.ai/attestations/sarif/v0.1' }] };

describe('policy parts this build cannot check are refused, not ignored', () => {
  it.each([
    [{ steps: { scan: { ...step, artifactsFrom: ['build'] } } }, 'step "scan" artifactsFrom names step "build", which the policy does not have; list steps by their key ("scan")'],
    [{ steps: { scan: { ...step, attestationsFrom: ['build'] } } }, 'step "scan" attestationsFrom names step "build", which the policy does not have'],
    [{ steps: { a: { ...step, name: 'a', artifactsFrom: ['b'] }, b: { ...step, name: 'b', attestationsFrom: ['c'] }, c: { ...step, name: 'c', artifactsFrom: ['a'] } } }, 'steps chain in a cycle ("a" → "b" → "c" → "a")'],
    [{ steps: { scan: { ...step, artifactsFrom: ['scan'] } } }, 'steps chain in a cycle ("scan" → "scan")'],
    [{ steps: { scan: { ...step, externalFrom: ['sbom'] } } }, 'step "scan" uses externalFrom'],
    [{ externalAttestations: { sbom: { name: 'sbom' } }, steps: { scan: step } }, '"externalAttestations" (bare, non-collection envelopes) are not supported'],
    [{ steps: { scan: { ...step, timestampConstraint: { maxAge: '1h' } } } }, 'step "scan" has a timestampConstraint'],
    [{ steps: { scan: { ...step, functionaries: [{ type: 'root' }] } } }, 'step "scan" has a "root" functionary without a certConstraint'],
    [{ roots: { ca: { certificate: 'eA==' } }, steps: { scan: { ...step, functionaries: [{ type: 'root', certConstraint: { roots: ['other'] } }] } } }, 'step "scan" certConstraint names root "other", which the policy\'s "roots" do not have ("ca")'],
    [{ roots: { ca: { certificate: 5 } }, steps: { scan: step } }, 'roots.ca.certificate: Invalid input: expected string, received number'],
    [{ roots: { ca: { certificate: 'eA==' } }, steps: { scan: { ...step, functionaries: [{ type: 'root', certConstraint: { roots: ['ca'], extensions: { issuer: 'https://token.actions.githubusercontent.com' } } }] } } }, 'certConstraint pins Fulcio extensions or policy OIDs, which this cilock does not check'],
  ])('%j', (policy, message) => {
    expect(() => parsePolicy(JSON.stringify(policy), 'policy.json')).toThrow(PolicyError);
    expect(() => parsePolicy(JSON.stringify(policy), 'policy.json')).toThrow(message);
  });

  it('empty lists are fine', () => {
    expect(() => parsePolicy(JSON.stringify({ roots: {}, externalAttestations: {}, steps: { scan: { ...step, artifactsFrom: [], externalFrom: [] } } }), 'policy.json')).not.toThrow();
  });

  it('orders chained steps after the steps they name, whatever the policy order', () => {
    const policy = parsePolicy(JSON.stringify({ steps: { deploy: { ...step, name: 'deploy', attestationsFrom: ['scan'] }, scan: { ...step, artifactsFrom: ['build'] }, build: { ...step, name: 'build' } } }), 'policy.json');
    expect(policy.order).toEqual(['build', 'scan', 'deploy']);
    expect([...policy.steps.keys()]).toEqual(['deploy', 'scan', 'build']);
  });
});
