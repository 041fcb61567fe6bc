/**
 * Well-known credential shapes, redacted wherever they appear, whoever's they are (not only the
 * values of cilock's own environment).
 *
 * Why a rule table here rather than secretlint's engine at run time. secretlint's recommended
 * preset (11.7.1) was evaluated as the engine: its `lintSource` is asynchronous (every attestor body
 * is built synchronously, and a process trace redacts thousands of command lines); it took ~255 ms
 * on 10 MB of build output where these compiled expressions take a small fraction of that; it misses
 * shapes a redactor needs (GitLab `glpat-`, Stripe `sk_live_`, JWTs, `Authorization:` headers,
 * `--password` flags) and scans AWS key ids only when asked; it skips documentation example values,
 * which suits a linter and not a redactor; and it would move ~4 MB (node-forge included, which the
 * GCP rule uses to read `.p12` files from disk) into the runtime dependencies. So the shapes it
 * knows are written here as expressions (patterns follow secretlint-rule-preset-recommend 11.7.1,
 * MIT, and the token formats their vendors publish), and secretlint stays a development dependency:
 * the tests run its preset over redacted text to check nothing it recognises survives.
 *
 * Each shape is a regular expression; a named group `keep…` (a label such as `Authorization: `)
 * or `tail…` (the END line of a PEM block) is kept, the rest becomes the marker.
 */
import { REDACTED_VALUE } from './marker.js';

interface Shape {
  readonly name: string;
  /** Source of the expression; `keep` / `tail` groups are renamed per shape when combined. */
  readonly source: string;
  readonly caseInsensitive?: boolean;
}

const TOKEN_END = '(?![A-Za-z0-9_-])';
const TOKEN_START = '(?<![A-Za-z0-9_-])';
/** A value after a label, read as a shell word: unquoted characters and quoted parts up to whitespace. */
const VALUE = `(?:"[^"\\n]*"|'[^'\\n]*'|[^\\s"'\`])+`;

/** Long-form flags whose value is a credential (`--password x`, `--registry-token=x`), not `--no-…`. */
export const CREDENTIAL_FLAG = `--(?!no-)(?:[A-Za-z0-9]+-)*(?:password|passwd|passphrase|token|secret|api-?key)`;

export const CREDENTIAL_SHAPES: readonly Shape[] = [
  { name: 'private key block', source: '(?<keep>-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)[\\s\\S]*?(?<tail>-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)' },
  { name: 'GitHub token', source: `${TOKEN_START}(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36,}${TOKEN_END}` },
  { name: 'GitHub fine-grained token', source: `${TOKEN_START}github_pat_[A-Za-z0-9_]{22,}${TOKEN_END}` },
  { name: 'GitLab token', source: `${TOKEN_START}(?:glpat|gldt|glrt|glptt|glft|glsoat|glcbt|gloas)-[A-Za-z0-9_-]{20,}${TOKEN_END}` },
  { name: 'AWS access key id', source: '\\b(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\\b' },
  { name: 'AWS secret access key', source: `(?<keep>["']?(?:AWS|aws|Aws)?_?(?:SECRET|secret|Secret)_?(?:ACCESS|access|Access)_?(?:KEY|key|Key)["']?\\s*(?::|=>|=)\\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])` },
  { name: 'Slack token', source: `${TOKEN_START}(?:xox[abposr]|xapp)-[A-Za-z0-9-]{10,}` },
  { name: 'Slack webhook', source: '(?<keep>https://hooks\\.slack\\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]+' },
  { name: 'Stripe secret key', source: `${TOKEN_START}(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|${TOKEN_START}whsec_[A-Za-z0-9]{20,}` },
  { name: 'JSON Web Token', source: `${TOKEN_START}eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*` },
  { name: 'npm token', source: `${TOKEN_START}npm_[A-Za-z0-9]{36}${TOKEN_END}` },
  { name: 'npmrc auth', source: `(?<keep>_auth(?:Token)?\\s*=\\s*)${VALUE}` },
  { name: 'OpenAI / Anthropic key', source: `${TOKEN_START}sk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}` },
  { name: 'SendGrid key', source: `${TOKEN_START}SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{16,64}` },
  { name: 'Shopify token', source: `${TOKEN_START}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}` },
  { name: 'Linear key', source: `${TOKEN_START}lin_api_[A-Za-z0-9]{40}` },
  { name: '1Password service account token', source: `${TOKEN_START}ops_eyJ[A-Za-z0-9+/=_-]{40,}` },
  { name: 'Google API key', source: `${TOKEN_START}AIza[0-9A-Za-z_-]{35}` },
  { name: 'Google OAuth token', source: `${TOKEN_START}ya29\\.[0-9A-Za-z_-]{20,}` },
  { name: 'Vault token', source: `${TOKEN_START}hv[sbr]\\.[A-Za-z0-9_-]{24,}` },
  { name: 'PyPI token', source: `${TOKEN_START}pypi-AgE[A-Za-z0-9_-]{50,}` },
  { name: 'Docker Hub token', source: `${TOKEN_START}dckr_pat_[A-Za-z0-9_-]{20,}` },
  { name: 'DigitalOcean token', source: `${TOKEN_START}do[opr]_v1_[a-f0-9]{64}` },
  { name: 'Azure connection string key', source: `(?<keep>(?:AccountKey|SharedAccessKey|SharedAccessSignature)=)[^;\\s"']+` },
  { name: 'Authorization header', caseInsensitive: true, source: `(?<keep>\\b(?:Proxy-)?Authorization[ \\t]*[:=][ \\t]*(?:(?:Bearer|Basic|Token|Digest|Negotiate|NTLM|Bot|AWS4-HMAC-SHA256)[ \\t]+)?)${VALUE}` },
  { name: 'credential header', caseInsensitive: true, source: `(?<keep>\\b(?:Private-Token|Job-Token|X-Api-Key|Api-Key|X-Auth-Token|X-Access-Token|X-Vault-Token|X-Gitlab-Token)[ \\t]*:[ \\t]*)${VALUE}` },
  { name: 'bearer token', caseInsensitive: true, source: `(?<keep>\\bBearer[ \\t]+)[A-Za-z0-9._~+/-]{16,}=*` },
  { name: 'credential flag', caseInsensitive: true, source: `(?<keep>(?<![\\w-])${CREDENTIAL_FLAG}(?:=|[ \\t]+))${VALUE}` },
];

/** One expression per case mode, every shape an alternative, so the text is scanned twice in all. */
function combine(shapes: readonly Shape[], flags: string): RegExp {
  const sources = shapes.map((shape, index) => `(?:${shape.source.replace(/\(\?<(keep|tail)>/g, `(?<$1${index}>`)})`);
  return new RegExp(sources.join('|'), flags);
}

const SENSITIVE = combine(CREDENTIAL_SHAPES.filter((shape) => !shape.caseInsensitive), 'g');
const INSENSITIVE = combine(CREDENTIAL_SHAPES.filter((shape) => shape.caseInsensitive), 'gi');

function replacement(...args: unknown[]): string {
  const groups = args[args.length - 1] as Record<string, string | undefined>;
  let keep = '';
  let tail = '';
  for (const [name, value] of Object.entries(groups)) {
    if (value === undefined) continue;
    if (name.startsWith('keep')) keep = value;
    else tail = value;
  }
  return keep + REDACTED_VALUE + tail;
}

/** Replaces every well-known credential shape, keeping the label in front of it. */
export function redactCredentialShapes(text: string): string {
  return text.replace(SENSITIVE, replacement).replace(INSENSITIVE, replacement);
}

const BARE_FLAG = new RegExp(`^${CREDENTIAL_FLAG}$`, 'i');

/** Whether `arg` is a credential flag given without its value (`--token`), so the next argument is its value. */
export function isBareCredentialFlag(arg: string): boolean {
  return BARE_FLAG.test(arg);
}
