/**
 * Registers `cilock verify`. The verification code (keys, DSSE, policy, CEL) loads only when the
 * command runs, so start-up and `--help` stay fast.
 */
import type { Command } from 'commander';
import { CEL_MAX_ITERATIONS, CEL_MAX_MILLISECONDS, MAX_JSON_DEPTH } from '../attestation/limits.js';
import { typeOf } from '../catalog/attestor-declarations.js';
import type { RawVerifyFlags } from './verify.js';

// A function, not a constant: toLocaleString starts ICU, which costs start-up time on every command.
const policyHelp = (): string => `
Two trust models:
  policy mode    -p names a policy signed with cilock sign (a DSSE envelope). -k is the policy
                 signer's public key; the keys in the policy's "publickeys" (its functionaries)
                 decide which attestation signatures count. At least one subject is required
                 (ARTIFACT, -f, --directory-path or -s), and every step must be satisfied by an
                 attestation bound to it: the artifact's sha256 is a signed subject, or a
                 product/material leaf of a Merkle tree rebuilt to its signed root.
                 A policy signed with a certificate is trusted through --policy-ca-roots, at the
                 time of an RFC 3161 timestamp verified against --policy-timestamp-servers.
                 Functionaries may also be certificates: {"type": "root", "certConstraint":
                 {"commonname", "dnsnames", "emails", "organizations", "uris", "roots"}} ("*"
                 allows any), chaining to the policy's "roots" at the time of a timestamp from
                 its "timestampauthorities"; without a trusted timestamp a certificate never counts.
  key-only mode  no -p, or -p names a plain policy JSON you keep yourself: the -k keys (and that
                 policy's "publickeys") check the attestation signatures; subjects are optional.

  cilock sign -k key.pem -f policy.json -o policy.signed.json
  cilock verify app -p policy.signed.json -k key.pub.pem -a build.att.json,scan.att.json

On success, policy mode prints "Verification succeeded" and one line per bound step on stderr:
  verified: sha256:<hex> bound to step "build" as a product leaf "app" (Merkle inclusion, root-verified)
--format json prints {"passed", "step", "matchedSubject", "observedSubjectName", "checks", "failed"}
(the binding fields only when a subject bound).

Policy (upstream's JSON shape; "celpolicies" carry CEL expressions with the attestation body as input):
  {"expires": "2030-01-01T00:00:00Z",
   "publickeys": {"<keyid>": {"keyid": "<keyid>", "key": "<base64 of the PEM>"}},
   "steps": {"kubescape-scan": {"name": "kubescape-scan",
     "functionaries": [{"type": "publickey", "publickeyid": "<keyid from cilock run>"}],
     "artifactsFrom": ["build"],
     "attestations": [
       {"type": "${typeOf('sarif')}",
        "celpolicies": [{"name": "few-findings", "expression": "size(input.report.runs[0].results) <= 10"}]}]}}}
  "artifactsFrom" requires this step's materials to match, path by path, the materials and products
  of the named steps; with "attestationsFrom" CEL and Rego see {attestation, steps: {<step>: {<type>: body}}}.
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
    .description('verify signed attestations for an artifact against a signed policy, or against public keys alone')
    .argument('[artifact]', 'the artifact to verify: a file (as -f) or a directory (as --directory-path)')
    .addHelpText('after', policyHelp)
    .option('-a, --attestations <files>', 'attestation envelopes to verify (comma list, repeatable)', collect)
    .option('-k, --publickey <pem>', 'policy mode: the policy signer\'s public key; key-only mode: key(s) to check attestation signatures with, any key may match any signature (repeatable)', collect)
    .option('-p, --policy <file>', 'a signed policy (cilock sign) for policy mode, or a plain policy JSON checked in key-only mode')
    .option('-f, --artifactfile <file>', 'the artifact file; its sha256 must be a subject or a product/material leaf of the attestations')
    .option('--directory-path <dir>', 'an artifact directory, matched by its dirHash subject')
    .option('-s, --subjects <digest>', 'a subject digest to verify (sha256 hex, optional "sha256:" prefix; repeatable)', collect)
    .option('--policy-ca-roots <files>', 'CA root certificate files (PEM) trusted for a policy signed with a certificate (comma list, repeatable)', collect)
    .option('--policy-ca-intermediates <files>', 'intermediate certificate files (PEM) for the policy signer\'s chain (comma list, repeatable)', collect)
    .option('--policy-timestamp-servers <files>', 'timestamp authority certificate files (PEM) whose RFC 3161 timestamps date the policy signature (comma list, repeatable)', collect)
    .option('--policy-commonname <name>', 'common name the policy signer\'s certificate must have (glob; default *)')
    .option('--policy-dns-names <names>', 'DNS names the policy signer\'s certificate must have (default *)', collect)
    .option('--policy-emails <emails>', 'emails the policy signer\'s certificate must have (default *)', collect)
    .option('--policy-organizations <orgs>', 'organizations the policy signer\'s certificate must have (default *)', collect)
    .option('--policy-uris <uris>', 'URIs the policy signer\'s certificate must have (default *)', collect)
    .option('-o, --format <format>', 'verdict format: text or json', 'text')
    .action(async (artifact: string | undefined, flags: RawVerifyFlags) => {
      const { bindingReport, executeVerify, formatVerdict, parseVerifyFlags } = await import('./verify.js');
      const options = await parseVerifyFlags(flags, artifact);
      const verdict = await executeVerify(options);
      process.stdout.write(formatVerdict(verdict, options.format));
      process.stderr.write(bindingReport(verdict));
      if (!verdict.passed) process.exitCode = 1;
    });
}
