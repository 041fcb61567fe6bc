import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/attestation/policy.js';

const SARIF = 'https://aflock.ai/attestations/sarif/v0.1';

describe('a CEL expression nested too deeply to parse', () => {
  it('is refused with a message saying so, not a stack overflow', () => {
    const expression = `${'('.repeat(5_000)}true${')'.repeat(5_000)}`;
    const text = JSON.stringify({ steps: { scan: { name: 'scan', functionaries: [], attestations: [{ type: SARIF, celpolicies: [{ name: 'deep', expression }] }] } } });
    expect(() => parsePolicy(text, 'policy.json')).toThrow(/policy policy\.json: step "scan" CEL policy "deep" does not parse: it nests too deeply for the parser/);
  });
});
