/**
 * `cilock verify --attestations FILE[,FILE…] --publickey PUB.pem [--policy POLICY.json] [--format text|json]`
 *
 * Checks every envelope (signatures over the PAE with every supplied key, statement and predicate
 * types, Merkle trees rebuilt from their leaves) and, with a policy, each step's functionaries,
 * required attestation types, expiry and CEL expressions. Exit 0 pass, 1 fail, 2 usage.
 */
import { readFile } from 'node:fs/promises';
import { checkSignatures, parseEnvelope } from '../attestation/dsse.js';
import { KeyError, loadPublicKey, type PublicKeyInfo } from '../attestation/keys.js';
import { evaluatePolicy, parsePolicy, policyPublicKeys, PolicyError, type Policy } from '../attestation/policy.js';
import { verifyAttestation, type Check } from '../attestation/verify.js';
import { CliError } from './errors.js';
import { formatVerdictText, verdictOf, type Verdict } from './verify-report.js';

export interface VerifyOptions {
  readonly attestations: readonly string[];
  readonly publicKeys: readonly string[];
  readonly policy?: string;
  readonly format: 'text' | 'json';
  /** Policy expiry is judged against this time (defaults to now). */
  readonly now?: Date;
}

export interface RawVerifyFlags {
  attestations?: string[];
  publickey?: string[];
  policy?: string;
  format?: string;
}

const splitList = (values: readonly string[] | undefined) => (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');

async function readInput(path: string, what: string, fix: string): Promise<string>;
async function readInput(path: string, what: string, fix: string, bytes: true): Promise<Buffer>;
async function readInput(path: string, what: string, fix: string, bytes = false): Promise<string | Buffer> {
  try {
    return bytes ? await readFile(path) : await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; ${fix}`, 2);
  }
}

async function loadKeys(paths: readonly string[]): Promise<PublicKeyInfo[]> {
  const keys: PublicKeyInfo[] = [];
  for (const path of paths) {
    const text = await readInput(path, '--publickey', 'pass the PEM public key that matches the signing key (openssl pkey -in key.pem -pubout)');
    try {
      keys.push(loadPublicKey(text, path));
    } catch (error) {
      if (error instanceof KeyError) throw new CliError(error.message, 2);
      throw error;
    }
  }
  return keys;
}

/** Loads the policy, plain JSON or a DSSE-signed policy envelope (whose signature must verify with the supplied keys). */
async function loadPolicy(path: string, keys: readonly PublicKeyInfo[]): Promise<{ policy: Policy; checks: Check[] }> {
  const text = await readInput(path, '--policy', 'check the path');
  const checks: Check[] = [];
  let policyText = text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value === 'object' && value !== null && 'payloadType' in value && 'signatures' in value) {
    const parsed = (() => {
      try {
        return parseEnvelope(text, path);
      } catch (error) {
        throw new CliError((error as Error).message, 2);
      }
    })();
    const verified = checkSignatures(parsed, keys).some((result) => result.verifiedBy.length > 0);
    checks.push({ name: 'policy:signature', passed: verified, detail: verified ? 'the signed policy verifies with a supplied key' : 'no supplied --publickey verifies the policy envelope; pass the key that signed the policy', file: path });
    policyText = parsed.payloadBytes.toString('utf8');
  }
  try {
    return { policy: parsePolicy(policyText, path), checks };
  } catch (error) {
    if (error instanceof PolicyError || error instanceof KeyError) throw new CliError(error.message, 2);
    throw error;
  }
}

/** Runs every check and returns the verdict; throws CliError(2) for unusable input. */
export async function executeVerify(options: VerifyOptions): Promise<Verdict> {
  if (options.attestations.length === 0) throw new CliError('no attestations to verify: pass -a/--attestations FILE[,FILE…] (envelopes written by cilock run)', 2);
  const keys = await loadKeys(options.publicKeys);
  let policy: Policy | undefined;
  const checks: Check[] = [];
  if (options.policy !== undefined) {
    const loaded = await loadPolicy(options.policy, keys);
    policy = loaded.policy;
    for (const check of loaded.checks) checks.push(check);
    try {
      for (const key of policyPublicKeys(policy, options.policy)) keys.push(key);
    } catch (error) {
      if (error instanceof PolicyError || error instanceof KeyError) throw new CliError(error.message, 2);
      throw error;
    }
  }
  if (keys.length === 0) throw new CliError('no public key: pass -k/--publickey PUB.pem (the public half of the key given to cilock run -k)', 2);
  const verified = [];
  for (const file of options.attestations) {
    // Bytes, not text: the payload is decoded from them directly. No local holds them, so they
    // can be collected once the envelope is parsed.
    const result = verifyAttestation(await readInput(file, 'attestation', 'pass the envelope files written by cilock run --outfile', true), file, keys);
    verified.push(result);
    // Loops, not push(...spread): a spread of a few hundred thousand checks overflows the stack.
    for (const check of result.checks) checks.push(check);
  }
  if (policy) for (const check of evaluatePolicy(policy, verified, options.now)) checks.push(check);
  return verdictOf(checks);
}

export function formatVerdict(verdict: Verdict, format: 'text' | 'json'): string {
  return format === 'json' ? `${JSON.stringify(verdict)}\n` : formatVerdictText(verdict);
}

export function parseVerifyFlags(raw: RawVerifyFlags): VerifyOptions {
  const format = (raw.format ?? 'text').toLowerCase();
  if (format !== 'text' && format !== 'json') throw new CliError(`unknown --format "${raw.format}" (want text|json)`, 2);
  return { attestations: splitList(raw.attestations), publicKeys: splitList(raw.publickey), ...(raw.policy !== undefined ? { policy: raw.policy } : {}), format };
}
