/**
 * Policies in upstream's JSON shape (`{expires, steps:{<name>:{name, functionaries, attestations}},
 * publickeys}`), evaluated against verified attestations.
 *
 * Each required attestation may carry CEL expressions, evaluated with `@bufbuild/cel` with the
 * attestation body bound to `input`:
 *   {"type": "https://aflock.ai/attestations/sarif/v0.1",
 *    "celpolicies": [{"name": "few-findings", "expression": "size(input.report.runs[0].results) <= 10"}]}
 * Rego is not available in TypeScript, so a policy that carries `regopolicies` (or `aipolicies`)
 * is refused with an error that says so, rather than silently passing.
 */
import { isCelError, parse as parseCel, run as runCel } from '@bufbuild/cel';
import { z } from 'zod';
import { loadPublicKey, type PublicKeyInfo } from './keys.js';
import type { Check, VerifiedAttestation } from './verify.js';

const celPolicySchema = z.object({ name: z.string().min(1), expression: z.string().min(1) });
const regoPolicySchema = z.object({ name: z.string().optional(), module: z.string().optional() }).passthrough();

const policySchema = z.object({
  expires: z.string().optional(),
  publickeys: z.record(z.string(), z.object({ keyid: z.string(), key: z.string() })).optional(),
  steps: z.record(
    z.string(),
    z.object({
      name: z.string(),
      functionaries: z.array(z.object({ type: z.string().optional(), publickeyid: z.string().optional() }).passthrough()).default([]),
      attestations: z.array(
        z.object({
          type: z.string().min(1),
          celpolicies: z.array(celPolicySchema).optional(),
          regopolicies: z.array(regoPolicySchema).nullish(),
          aipolicies: z.array(z.unknown()).nullish(),
        }),
      ).default([]),
    }).passthrough(),
  ),
}).passthrough();

export type Policy = z.infer<typeof policySchema>;

/** The policy document itself is unusable (bad JSON, wrong shape, unsupported Rego). */
export class PolicyError extends Error {}

export function parsePolicy(text: string, source: string): Policy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`policy ${source} is not JSON: ${(error as Error).message}`);
  }
  const result = policySchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new PolicyError(`policy ${source} does not have the expected shape: ${problems.join('; ')}`);
  }
  const policy = result.data;
  // Parts of upstream's policy this build cannot check are refused, never silently ignored.
  for (const field of ['roots', 'timestampauthorities'] as const) {
    if (Object.keys((policy as Record<string, unknown>)[field] ?? {}).length > 0) {
      throw new PolicyError(`policy ${source}: "${field}" (certificate-based trust) is not supported by this cilock; use "publickeys" and public-key functionaries`);
    }
  }
  for (const [key, step] of Object.entries(policy.steps)) {
    if (step.name !== key) throw new PolicyError(`policy ${source}: step "${key}" has name "${step.name}"; the name must equal its key`);
    for (const field of ['artifactsFrom', 'attestationsFrom'] as const) {
      const value = (step as Record<string, unknown>)[field];
      if (Array.isArray(value) && value.length > 0) {
        throw new PolicyError(`policy ${source}: step "${key}" uses ${field}, a cross-step check this cilock does not evaluate; remove it and verify each step's attestations on their own`);
      }
    }
    for (const attestation of step.attestations) {
      if ((attestation.regopolicies ?? []).length > 0) {
        const names = (attestation.regopolicies ?? []).map((rego) => rego.name ?? '(unnamed)').join(', ');
        throw new PolicyError(
          `policy ${source}: step "${key}" attestation ${attestation.type} carries Rego policies (${names}); Rego is not available in this TypeScript cilock. Express each rule as a CEL expression under "celpolicies": [{"name": "…", "expression": "…"}] with the attestation body as input`,
        );
      }
      if ((attestation.aipolicies ?? []).length > 0) {
        throw new PolicyError(`policy ${source}: step "${key}" attestation ${attestation.type} carries aipolicies, which this cilock cannot evaluate; use "celpolicies" instead`);
      }
      for (const cel of attestation.celpolicies ?? []) {
        try {
          parseCel(cel.expression);
        } catch (error) {
          throw new PolicyError(`policy ${source}: step "${key}" CEL policy "${cel.name}" does not parse: ${(error as Error).message}`);
        }
      }
    }
  }
  return policy;
}

/** Public keys embedded in the policy; each declared keyid must match the key's recomputed keyid. */
export function policyPublicKeys(policy: Policy, source: string): PublicKeyInfo[] {
  return Object.entries(policy.publickeys ?? {}).map(([id, entry]) => {
    const pem = Buffer.from(entry.key, 'base64').toString('utf8');
    const key = loadPublicKey(pem, `${source} publickeys["${id}"]`);
    if (key.keyid !== entry.keyid || key.keyid !== id) {
      throw new PolicyError(`policy ${source}: publickeys["${id}"] declares keyid ${entry.keyid} but the key's keyid is ${key.keyid}; use the SHA-256 of the PKIX PEM (\`openssl dgst -sha256 -r key.pub.pem\`), which \`cilock run\` also prints as the signer keyid`);
    }
    return key;
  });
}

/** `https://aflock.ai/attestations/sarif/v0.1` → `sarif/v0.1`, for readable check names. */
function shortType(type: string): string {
  return type.replace(/^https:\/\/aflock\.ai\/attestations\//, '');
}

/** Maps legacy witness.dev attestor URIs to their aflock.ai equivalents (and back). */
export function typeAliases(type: string): string[] {
  const witness = 'https://witness.dev/attestations/';
  const aflock = 'https://aflock.ai/attestations/';
  if (type.startsWith(witness)) return [type, aflock + type.slice(witness.length)];
  if (type.startsWith(aflock)) return [type, witness + type.slice(aflock.length)];
  return [type];
}

/** JSON → CEL input: objects become maps and integers become CEL ints, so `size(x) <= 10` and `x == 0` type-check. */
export function toCelValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCelValue);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'object' && value !== null) return new Map(Object.entries(value).map(([key, item]) => [key, toCelValue(item)]));
  return value;
}

export function evaluateCel(expression: string, body: unknown): { passed: boolean; detail: string } {
  try {
    const result = runCel(expression, { input: toCelValue(body) as never });
    if (isCelError(result)) return { passed: false, detail: `${expression} could not be evaluated: ${result.message}` };
    if (result === true) return { passed: true, detail: `${expression} is true` };
    if (result === false) return { passed: false, detail: `${expression} is false` };
    return { passed: false, detail: `${expression} evaluated to ${String(result)}, not a bool; the expression must yield true or false` };
  } catch (error) {
    return { passed: false, detail: `${expression} could not be evaluated: ${(error as Error).message}` };
  }
}

function checkCandidate(stepName: string, step: Policy['steps'][string], candidate: VerifiedAttestation): Check[] {
  const checks: Check[] = [];
  const add = (name: string, passed: boolean, detail: string) => checks.push({ name: `step:${stepName}:${name}`, passed, detail, file: candidate.source });
  const allowed = step.functionaries.filter((f) => (f.type ?? 'publickey') === 'publickey' && f.publickeyid).map((f) => f.publickeyid as string);
  const matched = candidate.signerKeyids.filter((id) => allowed.includes(id));
  if (step.functionaries.some((f) => f.type === 'root')) {
    add('functionary', false, 'certificate ("root") functionaries are not supported by this cilock; list public keys by keyid');
  } else if (allowed.length === 0) {
    add('functionary', false, 'the step lists no publickey functionaries, so no signer can satisfy it');
  } else {
    add('functionary', matched.length > 0, matched.length > 0 ? `signed by functionary ${matched.join(', ')}` : `signed by ${candidate.signerKeyids.join(', ') || 'no verified key'}, which is not among the step's functionaries (${allowed.join(', ')})`);
  }
  if (step.attestations.length === 0) add('attestations', false, 'the step requires no attestation types; upstream rejects such a step, so list the types it needs');
  const entries = candidate.statement?.predicate.attestations ?? [];
  for (const required of step.attestations) {
    const aliases = typeAliases(required.type);
    const found = entries.filter((entry) => aliases.includes(entry.type));
    add(`attestation:${shortType(required.type)}`, found.length > 0, found.length > 0 ? 'present' : `the collection has no ${required.type} attestation (it has ${entries.map((e) => e.type).join(', ') || 'none'})`);
    for (const cel of required.celpolicies ?? []) {
      for (const entry of found) {
        const result = evaluateCel(cel.expression, entry.attestation);
        add(`cel:${cel.name}`, result.passed, result.detail);
      }
    }
  }
  return checks;
}

/**
 * Evaluates every policy step. A step passes when at least one collection named after it, with
 * every basic check passed, satisfies all of the step's requirements.
 */
export function evaluatePolicy(policy: Policy, attestations: readonly VerifiedAttestation[], now: Date = new Date()): Check[] {
  const checks: Check[] = [];
  if (policy.expires !== undefined) {
    const expires = Date.parse(policy.expires);
    if (Number.isNaN(expires)) checks.push({ name: 'policy:expires', passed: false, detail: `expires "${policy.expires}" is not an RFC 3339 time` });
    else checks.push({ name: 'policy:expires', passed: expires > now.getTime(), detail: expires > now.getTime() ? `valid until ${policy.expires}` : `the policy expired at ${policy.expires}` });
  }
  for (const [name, step] of Object.entries(policy.steps)) {
    const candidates = attestations.filter((attestation) => attestation.statement?.predicate?.name === name);
    if (candidates.length === 0) {
      const seen = [...new Set(attestations.map((a) => a.statement?.predicate?.name).filter((n) => n !== undefined))];
      checks.push({ name: `step:${name}`, passed: false, detail: `no attestation for step "${name}" (collections supplied: ${seen.map((n) => `"${n}"`).join(', ') || 'none'}); the collection name must equal the step name` });
      continue;
    }
    const evaluated = candidates.map((candidate) => ({ candidate, checks: checkCandidate(name, step, candidate) }));
    const winner = evaluated.find((item) => item.candidate.passed && item.checks.every((check) => check.passed));
    if (winner) {
      checks.push(...winner.checks, { name: `step:${name}`, passed: true, detail: `satisfied by ${winner.candidate.source}`, file: winner.candidate.source });
    } else {
      for (const item of evaluated) checks.push(...item.checks);
      const invalid = candidates.filter((candidate) => !candidate.passed).map((candidate) => candidate.source);
      checks.push({ name: `step:${name}`, passed: false, detail: `no collection satisfies step "${name}"${invalid.length ? ` (${invalid.join(', ')} failed basic checks)` : ''}` });
    }
  }
  return checks;
}
