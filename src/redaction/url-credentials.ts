/**
 * Credentials carried by URLs: the userinfo part (`scheme://user:password@host`) and credential
 * query parameters (`?access_token=…`).
 *
 * Userinfo is removed, not masked: `https://user:pass@host/x` is recorded as `https://host/x`, the
 * URL of the same resource. A remote whose credentials change every job (GitLab's
 * `gitlab-ci-token:…@`) then records the same `remote:` subject every time. The whole userinfo
 * goes, user name included, since tokens are often passed as the user name (`https://ghp_…@github.com`).
 */
import { REDACTED_VALUE } from './marker.js';

/** Characters that end a URL in logs: whitespace and quotes. */
const URL_END = /[\s"'`<>]/g;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;

/**
 * Index of the `@` that ends the userinfo of `rest` (the URL after `scheme://`), or -1.
 *
 * Passwords are often written unescaped, so `@`, `/`, `?` and `#` may sit inside them
 * (`https://u:p@ss/w@host/x`). When an `@` follows the first `/`, `?` or `#`, the URL is read as
 * `user:password@host` if the part before that character holds a `:`, and the last `@` ends the
 * userinfo. `host:port/` cannot be told from `user:` plus a password of digits and a `/`, so
 * `http://localhost:4873/@scope/pkg` loses `localhost:4873/`: when in doubt more is removed.
 * Without a `:` (`https://host/@user`, `https://host/u/me@example.com`) the URL stays as written.
 */
function userinfoEnd(rest: string): number {
  const lastAt = rest.lastIndexOf('@');
  if (lastAt === -1) return -1;
  const authorityEnd = rest.search(/[/?#]/);
  if (authorityEnd === -1 || lastAt < authorityEnd) return lastAt;
  const authority = rest.slice(0, authorityEnd);
  return authority.includes(':') ? lastAt : authority.lastIndexOf('@');
}

/** The URL after `scheme://`, without its userinfo. */
function scrubRest(rest: string): string {
  const end = userinfoEnd(rest);
  const stripped = end === -1 ? rest : rest.slice(end + 1);
  // A URL nested in the path or query (`?redirect=https://u:p@other/`) is scrubbed too.
  const pathStart = stripped.search(/[/?#]/);
  if (pathStart === -1) return stripped;
  return stripped.slice(0, pathStart) + removeUserinfo(stripped.slice(pathStart));
}

/** Query parameters whose values are credentials (case-insensitive). */
export const CREDENTIAL_QUERY_PARAMETERS = [
  'access_token', 'refresh_token', 'id_token', 'token', 'auth', 'auth_token', 'private_token', 'api_key', 'apikey', 'key',
  'password', 'passwd', 'pwd', 'secret', 'client_secret', 'sig', 'signature',
  'x-amz-signature', 'x-amz-security-token', 'x-amz-credential', 'x-goog-signature', 'x-goog-credential',
] as const;

const QUERY_PATTERN = new RegExp(
  `([?&;](?:${CREDENTIAL_QUERY_PARAMETERS.map((name) => name.replace(/-/g, '\\-')).join('|')})=)([^&#\\s"'\`<>]+)`,
  'gi',
);

/**
 * Scans for `://` rather than matching a URL expression at every position: logs hold a URL on
 * most lines, and only the few with an `@` need work.
 */
function removeUserinfo(text: string): string {
  let nextAt = text.indexOf('@');
  if (nextAt === -1) return text;
  let out = '';
  let cursor = 0;
  for (let sep = text.indexOf('://'); sep !== -1 && nextAt !== -1; sep = text.indexOf('://', sep + 3)) {
    const restStart = sep + 3;
    if (nextAt < restStart) {
      nextAt = text.indexOf('@', restStart);
      if (nextAt === -1) break;
    }
    URL_END.lastIndex = restStart;
    const end = URL_END.exec(text)?.index ?? text.length;
    if (nextAt >= end) {
      sep = end - 3;
      continue;
    }
    let schemeStart = sep;
    while (schemeStart > cursor && SCHEME_CHAR.test(text[schemeStart - 1] as string)) schemeStart--;
    if (schemeStart === sep || !/[A-Za-z]/.test(text[schemeStart] as string)) continue;
    out += text.slice(cursor, restStart) + scrubRest(text.slice(restStart, end));
    cursor = end;
    sep = end - 3;
  }
  return cursor === 0 ? text : out + text.slice(cursor);
}

/** Removes the userinfo of every `scheme://` URL and masks credential query parameters. */
export function scrubUrlCredentials(text: string): string {
  let out = removeUserinfo(text);
  if (out.includes('=')) out = out.replace(QUERY_PATTERN, (_, name: string) => `${name}${REDACTED_VALUE}`);
  return out;
}
