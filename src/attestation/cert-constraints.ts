/**
 * What a certificate functionary must be: upstream's certConstraint (common name as a glob, DNS
 * names, emails, organizations, URIs, roots; `*` allows any value) judged against a certificate
 * signer that ./x509.ts verified. No X.509 code here, so policy evaluation never loads pkijs.
 */
import type { PublicKeyInfo } from './keys.js';
import { CilockError } from '../util/errors.js';

/** A certificate or timestamp input is unusable (not PEM, not X.509). */
export class CertificateError extends CilockError {}

export interface CertificateIdentity {
  readonly commonName: string;
  readonly dnsNames: string[];
  readonly emails: string[];
  readonly organizations: string[];
  readonly uris: string[];
}

export interface CertificateSigner {
  readonly key: PublicKeyInfo;
  readonly identity: CertificateIdentity;
  /** The id of the trusted root the chain ended at. */
  readonly rootId: string;
  /** The timestamp's time, at which the chain was judged. */
  readonly time: Date;
}

export interface CertConstraint {
  readonly commonname?: string | undefined;
  readonly dnsnames?: readonly string[] | null | undefined;
  readonly emails?: readonly string[] | null | undefined;
  readonly organizations?: readonly string[] | null | undefined;
  readonly uris?: readonly string[] | null | undefined;
  readonly roots?: readonly string[] | null | undefined;
}

/** `*` matches anything, other `*` are wildcards; everything else must be equal. */
function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(value);
}

/** A list constraint: `*` allows any values; otherwise the certificate's values must be exactly these (in any order). */
function listMatches(allowed: readonly string[] | null | undefined, values: readonly string[]): boolean {
  const list = allowed ?? [];
  if (list.includes('*')) return true;
  return list.length === values.length && list.every((item) => values.includes(item));
}

/** Why the signer does not satisfy the constraint, or undefined when it does. */
export function constraintProblem(constraint: CertConstraint, signer: CertificateSigner): string | undefined {
  const id = signer.identity;
  const roots = constraint.roots ?? [];
  if (!roots.includes('*') && !roots.includes(signer.rootId)) return `the certificate chains to root "${signer.rootId}", not one of ${roots.map((r) => `"${r}"`).join(', ') || '(none listed)'}`;
  if (!globMatch(constraint.commonname ?? '', id.commonName)) return `common name "${id.commonName}" does not match "${constraint.commonname ?? ''}"`;
  const lists: [string, readonly string[] | null | undefined, string[]][] = [['DNS names', constraint.dnsnames, id.dnsNames], ['emails', constraint.emails, id.emails], ['organizations', constraint.organizations, id.organizations], ['URIs', constraint.uris, id.uris]];
  for (const [what, allowed, values] of lists) {
    if (!listMatches(allowed, values)) return `${what} [${values.join(', ')}] do not match the allowed [${(allowed ?? []).join(', ')}]`;
  }
  return undefined;
}
