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
 *
 * Steps chain as upstream's do: `artifactsFrom` (this step's materials must match, path by path,
 * the materials and products of the named steps' passing collections) and `attestationsFrom`
 * (CEL and Rego then see `{attestation, steps: {<step>: {<type>: body}}}`). Given requested
 * subjects, a step's candidates are only the collections bound to them (./subjects.ts), and the
 * back-references of passing collections extend that set for up to `SEARCH_DEPTH` rounds.
 */
import { parse as parseCel } from '@bufbuild/cel';
import { z } from 'zod';
import { evaluateCel } from './cel.js';
import { setOwn } from './json.js';
import { loadPublicKey, type PublicKeyInfo } from './keys.js';
import { ATTESTATION_TYPE_PREFIX, LEGACY_ATTESTATION_TYPE_PREFIX } from '../catalog/attestor-declarations.js';
import { evaluateRego, findOpa, RegoError } from './rego.js';
import { bindingOf, type Binding, type RequestedSubject } from './subjects.js';
import { listBounded, type Check, type VerifiedAttestation } from './verify.js';
import { artifactsFromProblems } from './chain.js';
import { constraintProblem, type CertificateSigner } from './cert-constraints.js';
import { CilockError } from '../util/errors.js';

/** Rounds of the subject search: back-references of passing collections feed the next round, as upstream's default depth. */
export const SEARCH_DEPTH = 3;

const celPolicySchema = z.object({ name: z.string().min(1), expression: z.string().min(1) });
const regoPolicySchema = z.object({ name: z.string().optional(), module: z.string().min(1, 'must be the base64 of the Rego source') }).passthrough();

const stepSchema = z.object({
  name: z.string(),
  functionaries: z.array(z.object({
    type: z.string().optional(),
    publickeyid: z.string().optional(),
    certConstraint: z.object({
      commonname: z.string().optional(),
      dnsnames: z.array(z.string()).nullish(),
      emails: z.array(z.string()).nullish(),
      organizations: z.array(z.string()).nullish(),
      uris: z.array(z.string()).nullish(),
      roots: z.array(z.string()).nullish(),
    }).passthrough().optional(),
  }).passthrough()).default([]),
  attestations: z.array(
    z.object({
      type: z.string().min(1),
      celpolicies: z.array(celPolicySchema).optional(),
      regopolicies: z.array(regoPolicySchema).nullish(),
      aipolicies: z.array(z.unknown()).nullish(),
    }),
  ).default([]),
  artifactsFrom: z.array(z.string().min(1)).nullish(),
  attestationsFrom: z.array(z.string().min(1)).nullish(),
}).passthrough();

const publicKeySchema = z.object({ keyid: z.string(), key: z.string() });
/** A certificate root or timestamp authority: base64 of PEM, with optional intermediates. */
const certificateEntrySchema = z.object({ certificate: z.string().min(1), intermediates: z.array(z.string()).nullish() });

// `steps` and `publickeys` are user-named maps. zod's record copies them into a plain object, where
// a key such as "__proto__" would set the prototype and vanish; they are parsed into Maps instead.
const policySchema = z.object({
  expires: z.string().optional(),
  publickeys: z.record(z.string(), z.unknown()).nullish(),
  roots: z.record(z.string(), z.unknown()).nullish(),
  timestampauthorities: z.record(z.string(), z.unknown()).nullish(),
  steps: z.record(z.string(), z.unknown()),
}).passthrough();

export type PolicyStep = z.infer<typeof stepSchema>;
export type PolicyPublicKey = z.infer<typeof publicKeySchema>;
export type PolicyCertificateEntry = z.infer<typeof certificateEntrySchema>;

export interface Policy {
  readonly expires?: string;
  /** In policy order; `order` lists the same names so that every step comes after the steps it chains from. */
  readonly steps: ReadonlyMap<string, PolicyStep>;
  readonly order: readonly string[];
  readonly publickeys: ReadonlyMap<string, PolicyPublicKey>;
  readonly roots: ReadonlyMap<string, PolicyCertificateEntry>;
  readonly timestampauthorities: ReadonlyMap<string, PolicyCertificateEntry>;
}

/** The steps a step chains from (artifactsFrom ∪ attestationsFrom), each once. */
export function upstreamSteps(step: PolicyStep): string[] {
  return [...new Set([...(step.artifactsFrom ?? []), ...(step.attestationsFrom ?? [])])];
}

/** Steps ordered so that each follows the steps it chains from; a reference to a missing step or a cycle is refused. */
function chainOrder(steps: ReadonlyMap<string, PolicyStep>, source: string): string[] {
  for (const [name, step] of steps) {
    for (const field of ['artifactsFrom', 'attestationsFrom'] as const) {
      for (const target of step[field] ?? []) {
        if (!steps.has(target)) throw new PolicyError(`policy ${source}: step "${name}" ${field} names step "${target}", which the policy does not have; list steps by their key (${listBounded([...steps.keys()].map((k) => `"${k}"`), 10)})`);
      }
    }
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  // An explicit stack: a hostile policy may chain thousands of steps.
  for (const start of steps.keys()) {
    if (state.has(start)) continue;
    const stack: { name: string; next: number; deps: string[] }[] = [{ name: start, next: 0, deps: upstreamSteps(steps.get(start) as PolicyStep) }];
    state.set(start, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      const dep = top.deps[top.next++];
      if (dep === undefined) {
        state.set(top.name, 'done');
        order.push(top.name);
        stack.pop();
      } else if (state.get(dep) === 'visiting') {
        const cycle = [...stack.slice(stack.findIndex((item) => item.name === dep)).map((item) => item.name), dep];
        const shown = cycle.length > 6 ? [...cycle.slice(0, 3), `… ${cycle.length - 5} more …`, ...cycle.slice(-2)] : cycle;
        throw new PolicyError(`policy ${source}: steps chain in a cycle (${shown.map((n) => (n.startsWith('… ') ? n : `"${n}"`)).join(' → ')}); artifactsFrom and attestationsFrom must name earlier steps`);
      } else if (!state.has(dep)) {
        state.set(dep, 'visiting');
        stack.push({ name: dep, next: 0, deps: upstreamSteps(steps.get(dep) as PolicyStep) });
      }
    }
  }
  return order;
}

/** The policy document itself is unusable (bad JSON, wrong shape, unsupported Rego). */
export class PolicyError extends CilockError {}

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
  const roots = parseEntries(Object.hasOwn(raw, 'roots') ? raw.roots : undefined, 'roots', certificateEntrySchema, problems);
  const timestampauthorities = parseEntries(Object.hasOwn(raw, 'timestampauthorities') ? raw.timestampauthorities : undefined, 'timestampauthorities', certificateEntrySchema, problems);
  if (!result.success || problems.length > 0) {
    const listed = problems.slice(0, LISTED_PROBLEMS).join('; ');
    const more = problems.length > LISTED_PROBLEMS ? `; and ${problems.length - LISTED_PROBLEMS} more` : '';
    throw new PolicyError(`policy ${source} does not have the expected shape: ${listed}${more}`);
  }
  if (steps.size === 0) {
    throw new PolicyError(`policy ${source} has no steps, so it would require nothing; list at least one step under "steps": {"<step>": {"name": "<step>", "functionaries": […], "attestations": […]}}`);
  }
  // Parts of upstream's policy this build cannot check are refused, never silently ignored.
  const external = Object.hasOwn(raw, 'externalAttestations') ? raw.externalAttestations : undefined;
  if (typeof external === 'object' && external !== null && Object.keys(external).length > 0) {
    throw new PolicyError(`policy ${source}: "externalAttestations" (bare, non-collection envelopes) are not supported by this cilock; require attestation types of a step's collection instead`);
  }
  for (const [key, step] of steps) {
    if (step.name !== key) throw new PolicyError(`policy ${source}: step "${key}" has name "${step.name}"; the name must equal its key`);
    const fields = step as Record<string, unknown>;
    const externalFrom = Object.hasOwn(fields, 'externalFrom') ? fields.externalFrom : undefined;
    if (Array.isArray(externalFrom) && externalFrom.length > 0) {
      throw new PolicyError(`policy ${source}: step "${key}" uses externalFrom, which needs externalAttestations, not supported by this cilock; remove it`);
    }
    if (Object.hasOwn(fields, 'timestampConstraint') && fields.timestampConstraint !== null && fields.timestampConstraint !== undefined) {
      throw new PolicyError(`policy ${source}: step "${key}" has a timestampConstraint, which needs trusted timestamps this cilock does not check for public-key functionaries; remove it`);
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
  const order = chainOrder(steps, source);
  for (const [key, step] of steps) {
    for (const functionary of step.functionaries) {
      if (functionary.type !== 'root') continue;
      if (!functionary.certConstraint) throw new PolicyError(`policy ${source}: step "${key}" has a "root" functionary without a certConstraint; give one, e.g. {"commonname": "*", "roots": ["<root id>"]}`);
      const constraint = functionary.certConstraint as Record<string, unknown>;
      const extensions = constraint.extensions;
      const oids = constraint.requiredpolicyoids;
      const hasExtensions = typeof extensions === 'object' && extensions !== null && Object.values(extensions).some((v) => v !== '' && v !== null && v !== undefined);
      if (hasExtensions || (Array.isArray(oids) && oids.length > 0)) {
        throw new PolicyError(`policy ${source}: step "${key}" certConstraint pins Fulcio extensions or policy OIDs, which this cilock does not check; remove them and constrain the certificate by names and roots`);
      }
      for (const id of functionary.certConstraint.roots ?? []) {
        if (id !== '*' && !roots.has(id)) throw new PolicyError(`policy ${source}: step "${key}" certConstraint names root "${id}", which the policy's "roots" do not have (${listBounded([...roots.keys()].map((r) => `"${r}"`)) || 'none'})`);
      }
    }
  }
  return { ...(result.data.expires !== undefined ? { expires: result.data.expires } : {}), steps, order, publickeys, roots, timestampauthorities };
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
  return type.startsWith(ATTESTATION_TYPE_PREFIX) ? type.slice(ATTESTATION_TYPE_PREFIX.length) : type;
}

/** Maps legacy witness.dev attestor URIs to their aflock.ai equivalents (and back). */
export function typeAliases(type: string): string[] {
  const witness = LEGACY_ATTESTATION_TYPE_PREFIX;
  const aflock = ATTESTATION_TYPE_PREFIX;
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

/** The bodies of a passing collection by attestation type, as cross-step `input.steps.<step>` shows them. */
function bodiesByType(attestation: VerifiedAttestation): Record<string, unknown> {
  const bodies: Record<string, unknown> = {};
  for (const entry of attestation.collection?.attestations ?? []) if (!Object.hasOwn(bodies, entry.type)) setOwn(bodies, entry.type, entry.attestation);
  return bodies;
}

function checkCandidate(stepName: string, step: PolicyStep, candidate: VerifiedAttestation, passed: ReadonlyMap<string, VerifiedAttestation>, certSigners: ReadonlyMap<string, readonly CertificateSigner[]>): Check[] {
  const checks: Check[] = [];
  const add = (name: string, passed: boolean, detail: string) => checks.push({ name: `step:${stepName}:${name}`, passed, detail, file: candidate.source });
  const allowed = step.functionaries.filter((f) => (f.type ?? 'publickey') === 'publickey' && f.publickeyid).map((f) => f.publickeyid as string);
  const matched = candidate.signerKeyids.filter((id) => allowed.includes(id));
  const constraints = step.functionaries.flatMap((f) => (f.type === 'root' && f.certConstraint ? [f.certConstraint] : []));
  // Certificate signers of this file whose key verified a signature of it.
  const certificates = (certSigners.get(candidate.source) ?? []).filter((signer) => candidate.signerKeyids.includes(signer.key.keyid));
  const satisfied = certificates.find((signer) => constraints.some((constraint) => constraintProblem(constraint, signer) === undefined));
  if (matched.length > 0) {
    add('functionary', true, `signed by functionary ${listBounded(matched)}`);
  } else if (satisfied) {
    add('functionary', true, `signed by certificate "${satisfied.identity.commonName}" chaining to root "${satisfied.rootId}", valid at its timestamp ${satisfied.time.toISOString()}`);
  } else if (allowed.length === 0 && constraints.length === 0) {
    add('functionary', false, 'the step lists no publickey or root functionaries, so no signer can satisfy it');
  } else {
    const why = certificates.flatMap((signer) => constraints.map((constraint) => constraintProblem(constraint, signer) ?? ''));
    const certNote = constraints.length > 0 ? (certificates.length > 0 ? `; certificate signers fail the certConstraint: ${listBounded(why)}` : '; no certificate signature chains to the policy roots with a trusted timestamp') : '';
    add('functionary', false, `signed by ${listBounded(candidate.signerKeyids) || 'no verified key'}, which is not among the step's functionaries (${listBounded(allowed) || 'no public keys'})${certNote}`);
  }
  if (step.attestations.length === 0) add('attestations', false, 'the step requires no attestation types; upstream rejects such a step, so list the types it needs');
  for (const from of step.artifactsFrom ?? []) {
    const problems = artifactsFromProblems(candidate, passed.get(from) as VerifiedAttestation, stepName, from);
    add(`artifacts-from:${from}`, problems.ok, problems.detail);
  }
  // With attestationsFrom, policies see the chained steps' bodies beside this one, as upstream's do.
  const from = step.attestationsFrom ?? [];
  const steps: Record<string, unknown> = {};
  for (const name of from) setOwn(steps, name, bodiesByType(passed.get(name) as VerifiedAttestation));
  const inputOf = (body: unknown): unknown => (from.length > 0 ? { attestation: body, steps } : body);
  const entries = candidate.collection?.attestations ?? [];
  for (const required of step.attestations) {
    const aliases = typeAliases(required.type);
    const found = entries.filter((entry) => aliases.includes(entry.type));
    add(`attestation:${shortType(required.type)}`, found.length > 0, found.length > 0 ? 'present' : `the collection has no ${required.type} attestation (it has ${listBounded([...new Set(entries.map((e) => e.type))], 10) || 'none'})`);
    for (const cel of required.celpolicies ?? []) {
      for (const entry of found) {
        const result = evaluateCel(cel.expression, inputOf(entry.attestation));
        add(`cel:${cel.name}`, result.passed, result.detail);
      }
    }
    (required.regopolicies ?? []).forEach((rego, index) => {
      const name = rego.name ?? `#${index + 1}`;
      for (const entry of found) add(`rego:${name}`, ...regoVerdict(rego, inputOf(entry.attestation)));
    });
  }
  return checks;
}

export interface PolicyContext {
  /** Policy expiry is judged against this time (defaults to now). */
  readonly now?: Date;
  /**
   * The requested digests by hex (./subjects.ts `lookupDigests`). Given, a step's candidates are
   * only the collections bound to them; absent (key-only mode), every collection named after the step is one.
   */
  readonly subjects?: ReadonlyMap<string, RequestedSubject>;
  /** By attestation file: its certificate signers that chained to the policy roots with a trusted timestamp. */
  readonly certSigners?: ReadonlyMap<string, readonly CertificateSigner[]>;
}

export interface PolicyOutcome {
  readonly checks: Check[];
  /** One per step that passed bound to a requested subject, in policy order. */
  readonly bindings: Binding[];
}

/** Matchable digests of a passing collection's back-references, which extend the search (upstream's depth search). */
function addBackrefs(lookup: Map<string, RequestedSubject>, attestation: VerifiedAttestation, step: string): void {
  for (const [name, digests] of Object.entries(attestation.collection?.backrefs ?? {})) {
    for (const [algorithm, value] of Object.entries(digests ?? {})) {
      if ((algorithm === 'sha256' || algorithm === 'dirHash') && typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) && !lookup.has(value)) {
        lookup.set(value, { hex: value, origin: `back-reference "${name}" of step "${step}"`, fileDigest: false, derived: true });
      }
    }
  }
}

function bindingDetail(binding: Binding): string {
  return binding.via === 'subject'
    ? binding.subjectDigest !== undefined && `sha256:${binding.subjectDigest}` !== binding.matchedSubject
      ? `${binding.matchedSubject} is the only leaf of the tree whose root sha256:${binding.subjectDigest} is the signed subject "${binding.observedSubjectName}"`
      : `${binding.matchedSubject} is the signed subject "${binding.observedSubjectName}"`
    : `${binding.matchedSubject} is the ${binding.via === 'product-leaf' ? 'product' : 'material'} leaf "${binding.observedSubjectName}" of a tree rebuilt to its signed root`;
}

/** Evaluates every policy step (see the module comment); returns the checks in policy order and the bindings. */
export function evaluatePolicyBound(policy: Policy, attestations: readonly VerifiedAttestation[], context: PolicyContext = {}): PolicyOutcome {
  const now = context.now ?? new Date();
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
  const lookup = context.subjects ? new Map(context.subjects) : undefined;
  const requested = lookup ? listBounded([...new Set([...lookup.values()].map((s) => `sha256:${s.hex}`))]) : '';
  const passed = new Map<string, VerifiedAttestation>();
  const bindingByStep = new Map<string, Binding>();
  const results = new Map<string, Check[]>();

  const evaluateStep = (name: string, step: PolicyStep): boolean => {
    const waiting = upstreamSteps(step).filter((dep) => !passed.has(dep));
    if (waiting.length > 0) {
      results.set(name, [{ name: `step:${name}`, passed: false, detail: `step "${name}" chains from ${listBounded(waiting.map((w) => `"${w}"`))}, which did not pass` }]);
      return false;
    }
    const candidates = byStep.get(name) ?? [];
    if (candidates.length === 0) {
      results.set(name, [{ name: `step:${name}`, passed: false, detail: `no attestation for step "${name}" (collections supplied: ${supplied}); the collection name must equal the step name` }]);
      return false;
    }
    const bound = candidates.map((candidate) => ({ candidate, binding: lookup ? bindingOf(candidate, name, lookup) : undefined })).filter((item) => !lookup || item.binding);
    if (bound.length === 0) {
      const invalid = candidates.filter((candidate) => !candidate.passed).length;
      results.set(name, [{
        name: `step:${name}`,
        passed: false,
        detail: `none of the ${candidates.length} attestation(s) for step "${name}" is bound to ${requested}: no signed subject and no product or material leaf has that digest${invalid ? ` (${invalid} failed basic checks, so their subjects and leaves do not count)` : ''}`,
      }]);
      return false;
    }
    const evaluated = bound.map((item) => ({ ...item, checks: checkCandidate(name, step, item.candidate, passed, context.certSigners ?? new Map()) }));
    const winner = evaluated.find((item) => item.candidate.passed && item.checks.every((check) => check.passed));
    const list: Check[] = [];
    if (winner) {
      if (winner.binding) list.push({ name: `step:${name}:subject`, passed: true, detail: bindingDetail(winner.binding), file: winner.candidate.source });
      for (const check of winner.checks) list.push(check);
      list.push({ name: `step:${name}`, passed: true, detail: `satisfied by ${winner.candidate.source}`, file: winner.candidate.source });
      results.set(name, list);
      passed.set(name, winner.candidate);
      if (winner.binding) bindingByStep.set(name, winner.binding);
      if (lookup) addBackrefs(lookup, winner.candidate, name);
      return true;
    }
    for (const item of evaluated) for (const check of item.checks) list.push(check);
    const invalid = bound.filter((item) => !item.candidate.passed).map((item) => item.candidate.source);
    list.push({ name: `step:${name}`, passed: false, detail: `no collection satisfies step "${name}"${invalid.length ? ` (${listBounded(invalid)} failed basic checks)` : ''}` });
    results.set(name, list);
    return false;
  };

  // Without subjects every candidate is known from the start, so one round decides.
  const rounds = lookup ? SEARCH_DEPTH : 1;
  for (let round = 0; round < rounds; round++) {
    let progressed = false;
    for (const name of policy.order) {
      if (passed.has(name)) continue;
      if (evaluateStep(name, policy.steps.get(name) as PolicyStep)) progressed = true;
    }
    if (!progressed) break;
  }
  for (const name of policy.steps.keys()) for (const check of results.get(name) ?? []) checks.push(check);
  const bindings = [...policy.steps.keys()].flatMap((name) => bindingByStep.get(name) ?? []);
  return { checks, bindings };
}

/** The checks of `evaluatePolicyBound` without requested subjects (key-only mode). */
export function evaluatePolicy(policy: Policy, attestations: readonly VerifiedAttestation[], now: Date = new Date()): Check[] {
  return evaluatePolicyBound(policy, attestations, { now }).checks;
}
