/**
 * The lifecycle hands what each attestor produces to later phases, refuses a kind the producer
 * did not declare, and treats a failure by the phase it happened in.
 */
import { describe, expect, it } from 'vitest';
import { runAttestors } from '../../../src/attestors/lifecycle.js';
import type { Attestor, AttestorOutput, Produced, RunContext } from '../../../src/attestors/types.js';
import { DEFAULT_SENSITIVE_ENV_OPTIONS } from '../../../src/attestors/sensitive-env.js';

const sink = { write: () => undefined };
const context: RunContext = { workingDir: '/w', hashes: ['sha256'], env: {}, argv: ['true'], sensitiveEnv: DEFAULT_SENSITIVE_ENV_OPTIONS, commandStdout: sink, commandStderr: sink };
const NOTHING = { bytes: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', truncated: false };
const command = { result: { argv: ['true'], exitCode: 3, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), totals: { stdout: NOTHING, stderr: NOTHING } }, startNs: 5n };

function fake(name: Attestor['name'], phase: Attestor['phase'], run: (produced: Produced) => AttestorOutput | Promise<AttestorOutput>): Attestor {
  return { name, phase, type: `https://example.com/${name}`, run: async (_context, produced) => run(produced) };
}

describe('runAttestors', () => {
  it('passes what earlier phases produced to later ones, and returns all of it', async () => {
    const seen: Produced[] = [];
    const result = await runAttestors(
      [
        fake('material', 'material', () => ({ body: {}, produces: { materials: { files: new Map(), walkStartNs: 1n } } })),
        fake('command-run', 'execute', (p) => (seen.push(p), { body: {}, produces: { command } })),
        fake('product', 'product', (p) => (seen.push(p), { body: {}, produces: { products: new Map() } })),
      ],
      context,
    );
    expect(seen[0]).toEqual({ materials: { files: new Map(), walkStartNs: 1n } });
    expect(seen[1]?.command?.result.exitCode).toBe(3);
    expect(Object.keys(result.produced).sort()).toEqual(['command', 'materials', 'products']);
    expect(result.reports.map((r) => r.status)).toEqual(['ran', 'ran', 'ran']);
  });

  it('starts from what an earlier call produced', async () => {
    let exitCode: number | undefined;
    await runAttestors([fake('sarif', 'postproduct', (p) => ((exitCode = p.command?.result.exitCode), { body: {} }))], context, { command });
    expect(exitCode).toBe(3);
  });

  it('refuses a kind the attestor does not declare it produces', async () => {
    await expect(runAttestors([fake('sarif', 'postproduct', () => ({ body: {}, produces: { command } }))], context)).rejects.toThrow('attestor sarif produced command, which its declaration does not name');
  });

  it('stops before the command, ends the run with the command’s own error, records failures after it', async () => {
    const boom = (message: string) => () => Promise.reject(new Error(message));
    await expect(runAttestors([fake('material', 'material', boom('disk')), fake('command-run', 'execute', boom('never'))], context)).rejects.toThrow('attestor material failed: disk; the command was not run and nothing was signed');
    const startFailure = new Error('cannot start command "nope"');
    await expect(runAttestors([fake('command-run', 'execute', () => Promise.reject(startFailure))], context)).rejects.toBe(startFailure);
    const after = await runAttestors([fake('product', 'product', boom('walk')), fake('sarif', 'postproduct', () => ({ body: {} }))], context);
    expect(after.reports.map((r) => [r.attestor.name, r.status, r.detail])).toEqual([['product', 'failed', 'walk'], ['sarif', 'ran', undefined]]);
  });
});
