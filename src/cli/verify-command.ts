/**
 * Registers `cilock verify`. The verification code (keys, DSSE, policy, CEL) loads only when the
 * command runs, so start-up and `--help` stay fast.
 */
import type { Command } from 'commander';
import { CEL_MAX_ITERATIONS, CEL_MAX_MILLISECONDS, MAX_JSON_DEPTH } from '../attestation/limits.js';
import type { RawVerifyFlags } from './verify.js';

// A function, not a constant: toLocaleString starts ICU, which costs start-up time on every command.
const policyHelp = (): string => `
Policy (upstream's JSON shape; "celpolicies" carry CEL expressions with the attestation body as input):
  {"expires": "2030-01-01T00:00:00Z",
   "steps": {"kubescape-scan": {"name": "kubescape-scan",
     "functionaries": [{"type": "publickey", "publickeyid": "<keyid from cilock run>"}],
     "attestations": [
       {"type": "https://aflock.ai/attestations/sarif/v0.1",
        "celpolicies": [{"name": "few-findings", "expression": "size(input.report.runs[0].results) <= 10"}]}]}}}
  "regopolicies" carry Rego modules ({"name": "…", "module": "<base64 of the Rego source>"}), evaluated
  by the real opa binary (on PATH, or CILOCK_OPA) with the same input; a non-empty data.<package>.deny
  fails the check with its messages. Without opa such a policy is refused (exit 2).
  Each CEL expression may run at most ${CEL_MAX_ITERATIONS.toLocaleString('en-US')} comprehension iterations (and ${CEL_MAX_MILLISECONDS / 1000} s); one over
  budget fails its check. An attestation body may nest arrays and objects at most ${MAX_JSON_DEPTH} levels deep.

Exit codes: 0 every check passed, 1 a check failed (each failed check is named), 2 usage error.`;

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function registerVerifyCommand(program: Command): Command {
  return program
    .command('verify')
    .description('verify signed attestations (signatures, statement, Merkle trees) and optionally a policy')
    .addHelpText('after', policyHelp)
    .option('-a, --attestations <files>', 'attestation envelopes to verify (comma list, repeatable)', collect)
    .option('-k, --publickey <pem>', 'public key(s) to check signatures with; any key may match any signature (repeatable)', collect)
    .option('-p, --policy <file>', 'policy JSON (plain or a DSSE-signed policy envelope): steps, functionaries, required types, CEL expressions')
    .option('-o, --format <format>', 'verdict format: text or json', 'text')
    .action(async (flags: RawVerifyFlags) => {
      const { executeVerify, formatVerdict, parseVerifyFlags } = await import('./verify.js');
      const options = parseVerifyFlags(flags);
      const verdict = await executeVerify(options);
      process.stdout.write(formatVerdict(verdict, options.format));
      if (!verdict.passed) process.exitCode = 1;
    });
}
