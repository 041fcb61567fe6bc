/**
 * Policies in upstream's JSON shape (`{expires, steps:{<name>:{name, functionaries, attestations}},
 * publickeys}`), evaluated against verified attestations.
 *
 * Each required attestation may carry CEL expressions, evaluated with `@bufbuild/cel` with the
 * attestation body bound to `input`:
 *   {"type": "https://aflock.ai/attestations/sarif/v0.1",
 *    "celpolicies": [{"name": "few-findings", "expression": "size(input.report.runs[0].results) <= 10"}]}
 * and Rego modules (`regopolicies`: `{name, module: base64 of the source}`), evaluated by the real
 * `opa` binary (./rego.ts) with the same body as `input`; a non-empty `deny` fails the check.
 * A policy with Rego is refused up front when no `opa` can be found, never silently passed;
 * `aipolicies` cannot be evaluated here and are refused too.
 */
import { parse as parseCel } from '@bufbuild/cel';
import { z } from 'zod';
import { evaluateCel } from './cel.js';
import { loadPublicKey, type PublicKeyInfo } from './keys.js';
import { evaluateRego, findOpa, RegoError } from './rego.js';
import { listBounded, type Check, type VerifiedAttestation } from './verify.js';

const celPolicySchema = z.object({ name: z.string().min(1), expression: z.string().min(1) });
const regoPolicySchema = z.object({ name: z.string().optional(), module: z.string().min(1, 'must be the base64 of the Rego source') }).passthrough();

const stepSchema = z.object({
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
}).passthrough();

const publicKeySchema = z.object({ keyid: z.string(), key: z.string() });

// `steps` and `publickeys` are user-named maps. zod's record copies them into a plain object, where
// a key such as "__proto__" would set the prototype and vanish; they are parsed into Maps instead.
const policySchema = z.object({
  expires: z.string().optional(),
  publickeys: z.record(z.string(), z.unknown()).optional(),
  steps: z.record(z.string(), z.unknown()),
}).passthrough();

export type PolicyStep = z.infer<typeof stepSchema>;
export type PolicyPublicKey = z.infer<typeof publicKeySchema>;

export interface Policy {
  readonly expires?: string;
  readonly steps: ReadonlyMap<string, PolicyStep>;
  readonly publickeys: ReadonlyMap<string, PolicyPublicKey>;
}

/** The policy document itself is unusable (bad JSON, wrong shape, unsupported Rego). */
export class PolicyError extends Error {}

function issuesOf(error: z.ZodError, prefix: (string | number)[]): string[] {
  return error.issues.map((issue) => `${[...prefix, ...issue.path.map(String)].join('.') || '(top level)'}: ${issue.message}`);
}

/** Parses each own entry of a JSON object (own keys only, "__proto__" included) into a Map. */
function parseEntries<T>(raw: unknown, field: string, schema: z.ZodType<T>, problems: string[]): Map<string, T> {
  const entries = new Map<string, T>();
  if (typeof raw !== 'object' || raw === null) return entries;
  for (const [key, value] of Object.entries(raw)) {
    const result = schema.safeParse(value);
    if (result.success) entries.set(key, result.data);
    else problems.push(...issuesOf(result.error, [field, key]));
  }
  return entries;
}

/** At most this many shape problems are listed in one message; the rest are counted. */
const LISTED_PROBLEMS = 10;

export function parsePolicy(text: string, source: string): Policy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`policy ${source} is not JSON: ${(error as Error).message}`);
  }
  const result = policySchema.safeParse(value);
  const problems = result.success ? [] : issuesOf(result.error, []);
  // The raw JSON keeps every own key; zod's copy may have lost "__proto__".
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const steps = parseEntries(Object.hasOwn(raw, 'steps') ? raw.steps : undefined, 'steps', stepSchema, problems);
  const publickeys = parseEntries(Object.hasOwn(raw, 'publickeys') ? raw.publickeys : undefined, 'publickeys', publicKeySchema, problems);
  if (!result.success || problems.length > 0) {
    const listed = problems.slice(0, LISTED_PROBLEMS).join('; ');
    const more = problems.length > LISTED_PROBLEMS ? `; and ${problems.length - LISTED_PROBLEMS} more` : '';
    throw new PolicyError(`policy ${source} does not have the expected shape: ${listed}${more}`);
  }
  if (steps.size === 0) {
    throw new PolicyError(`policy ${source} has no steps, so it would require nothing; list at least one step under "steps": {"<step>": {"name": "<step>", "functionaries": […], "attestations": […]}}`);
  }
  // Parts of upstream's policy this build cannot check are refused, never silently ignored.
  for (const field of ['roots', 'timestampauthorities'] as const) {
    const part = Object.hasOwn(raw, field) ? raw[field] : undefined;
    if (typeof part === 'object' && part !== null && Object.keys(part).length > 0) {
      throw new PolicyError(`policy ${source}: "${field}" (certificate-based trust) is not supported by this cilock; use "publickeys" and public-key functionaries`);
    }
  }
  for (const [key, step] of steps) {
    if (step.name !== key) throw new PolicyError(`policy ${source}: step "${key}" has name "${step.name}"; the name must equal its key`);
    for (const field of ['artifactsFrom', 'attestationsFrom'] as const) {
      const value = Object.hasOwn(step, field) ? (step as Record<string, unknown>)[field] : undefined;
      if (Array.isArray(value) && value.length > 0) {
        throw new PolicyError(`policy ${source}: step "${key}" uses ${field}, a cross-step check this cilock does not evaluate; remove it and verify each step's attestations on their own`);
      }
    }
    for (const attestation of step.attestations) {
      if ((attestation.regopolicies ?? []).length > 0) {
        try {
          findOpa();
        } catch (error) {
          if (error instanceof RegoError) throw new PolicyError(`policy ${source}: step "${key}" attestation ${attestation.type} carries Rego policies, and ${error.message}`);
          throw error;
        }
      }
      if ((attestation.aipolicies ?? []).length > 0) {
        throw new PolicyError(`policy ${source}: step "${key}" attestation ${attestation.type} carries aipolicies, which this cilock cannot evaluate; use "celpolicies" instead`);
      }
      for (const cel of attestation.celpolicies ?? []) {
        try {
          parseCel(cel.expression);
        } catch (error) {
          // The CEL parser recurses; a stack overflow means the expression nests too deeply.
          const why = error instanceof RangeError ? 'it nests too deeply for the parser; split it into simpler expressions' : (error as Error).message;
          throw new PolicyError(`policy ${source}: step "${key}" CEL policy "${cel.name}" does not parse: ${why}`);
        }
      }
    }
  }
  return { ...(result.data.expires !== undefined ? { expires: result.data.expires } : {}), steps, publickeys };
}

/** Public keys embedded in the policy; each declared keyid must match the key's recomputed keyid. */
export function policyPublicKeys(policy: Policy, source: string): PublicKeyInfo[] {
  return [...policy.publickeys].map(([id, entry]) => {
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

/** One Rego module's verdict on one attestation body: the deny messages, or why it could not be evaluated. */
function regoVerdict(rego: { name?: string | undefined; module: string }, body: unknown): [boolean, string] {
  try {
    const result = evaluateRego({ module: rego.module, ...(rego.name !== undefined ? { name: rego.name } : {}) }, body);
    return result.passed ? [true, 'deny is empty'] : [false, `deny: ${listBounded(result.messages, 10)}`];
  } catch (error) {
    if (error instanceof RegoError) return [false, error.message];
    throw error;
  }
}

function checkCandidate(stepName: string, step: PolicyStep, candidate: VerifiedAttestation): Check[] {
  const checks: Check[] = [];
  const add = (name: string, passed: boolean, detail: string) => checks.push({ name: `step:${stepName}:${name}`, passed, detail, file: candidate.source });
  const allowed = step.functionaries.filter((f) => (f.type ?? 'publickey') === 'publickey' && f.publickeyid).map((f) => f.publickeyid as string);
  const matched = candidate.signerKeyids.filter((id) => allowed.includes(id));
  if (step.functionaries.some((f) => f.type === 'root')) {
    add('functionary', false, 'certificate ("root") functionaries are not supported by this cilock; list public keys by keyid');
  } else if (allowed.length === 0) {
    add('functionary', false, 'the step lists no publickey functionaries, so no signer can satisfy it');
  } else {
    add('functionary', matched.length > 0, matched.length > 0 ? `signed by functionary ${listBounded(matched)}` : `signed by ${listBounded(candidate.signerKeyids) || 'no verified key'}, which is not among the step's functionaries (${listBounded(allowed)})`);
  }
  if (step.attestations.length === 0) add('attestations', false, 'the step requires no attestation types; upstream rejects such a step, so list the types it needs');
  const entries = candidate.collection?.attestations ?? [];
  for (const required of step.attestations) {
    const aliases = typeAliases(required.type);
    const found = entries.filter((entry) => aliases.includes(entry.type));
    add(`attestation:${shortType(required.type)}`, found.length > 0, found.length > 0 ? 'present' : `the collection has no ${required.type} attestation (it has ${listBounded([...new Set(entries.map((e) => e.type))], 10) || 'none'})`);
    for (const cel of required.celpolicies ?? []) {
      for (const entry of found) {
        const result = evaluateCel(cel.expression, entry.attestation);
        add(`cel:${cel.name}`, result.passed, result.detail);
      }
    }
    (required.regopolicies ?? []).forEach((rego, index) => {
      const name = rego.name ?? `#${index + 1}`;
      for (const entry of found) add(`rego:${name}`, ...regoVerdict(rego, entry.attestation));
    });
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
  // Collections by step name, once: a policy may list many steps.
  const byStep = new Map<string, VerifiedAttestation[]>();
  for (const attestation of attestations) {
    const name = attestation.collection?.name;
    if (name === undefined) continue;
    const list = byStep.get(name);
    if (list) list.push(attestation);
    else byStep.set(name, [attestation]);
  }
  const supplied = listBounded([...byStep.keys()].map((n) => `"${n}"`), 10) || 'none';
  for (const [name, step] of policy.steps) {
    const candidates = byStep.get(name) ?? [];
    if (candidates.length === 0) {
      checks.push({ name: `step:${name}`, passed: false, detail: `no attestation for step "${name}" (collections supplied: ${supplied}); the collection name must equal the step name` });
      continue;
    }
    const evaluated = candidates.map((candidate) => ({ candidate, checks: checkCandidate(name, step, candidate) }));
    const winner = evaluated.find((item) => item.candidate.passed && item.checks.every((check) => check.passed));
    if (winner) {
      for (const check of winner.checks) checks.push(check);
      checks.push({ name: `step:${name}`, passed: true, detail: `satisfied by ${winner.candidate.source}`, file: winner.candidate.source });
    } else {
      for (const item of evaluated) for (const check of item.checks) checks.push(check);
      const invalid = candidates.filter((candidate) => !candidate.passed).map((candidate) => candidate.source);
      checks.push({ name: `step:${name}`, passed: false, detail: `no collection satisfies step "${name}"${invalid.length ? ` (${listBounded(invalid)} failed basic checks)` : ''}` });
    }
  }
  return checks;
}
