/**
 * GrantAccess: `{ course, ttlSeconds, ipRange?, subject? }` → the three CloudFront signed cookies
 * for `<cdn>/courses/<course>/*`, each as a `Set-Cookie` value scoped to that course's path. The
 * platform's backend calls it after checking the student's enrolment (docs/access.md). Bad input
 * is a `ValidationError` naming the field and the allowed range; nothing else is decided here.
 */
import { isIP } from 'node:net';
import { coursePolicy } from '../access/access-policy.js';
import type { Deps } from '../runtime/deps.js';
import { ValidationError, ConfigError } from '../contract/errors.js';
import type { SignedCookieValues } from '../ports/cookie-signer.js';
import { SLUG_PATTERN } from '../contract/upload-key.js';

export type GrantAccessDeps = Pick<Deps, 'config' | 'signer' | 'now'>;

export interface GrantRequest {
  course?: unknown;
  ttlSeconds?: unknown;
  /** Optional CIDR the cookies are valid from (`203.0.113.0/24`). */
  ipRange?: unknown;
  /** Optional opaque id of the student, logged with the grant (never an e-mail or a name). */
  subject?: unknown;
}

export interface GrantCookie {
  name: keyof SignedCookieValues;
  value: string;
  domain: string;
  path: string;
  expires: string;
  secure: boolean;
  httpOnly: true;
  sameSite: 'Lax';
}

export interface Grant {
  course: string;
  expiresAt: string;
  ttlSeconds: number;
  subject?: string;
  cookies: GrantCookie[];
  /** The same cookies as `Set-Cookie` header values, ready to pass on to the browser. */
  setCookie: string[];
}

const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-f:]+\/\d{1,3})$/i;
const SUBJECT = /^[A-Za-z0-9._:@-]{1,128}$/;

export async function grantAccess(request: GrantRequest, deps: GrantAccessDeps): Promise<Grant> {
  const { access, cdnBaseUrl } = deps.config;
  if (!cdnBaseUrl) throw new ConfigError('CDN_BASE_URL is not configured: a grant names the CDN it is for.');
  const problems: string[] = [];
  const course = typeof request.course === 'string' ? request.course : '';
  if (!SLUG_PATTERN.test(course)) problems.push(`"course" must be a course slug (lower-case letters, digits and dashes, e.g. "bio-101"), got ${JSON.stringify(request.course ?? null)}`);
  const ttl = request.ttlSeconds;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < access.minGrantTtlSeconds || ttl > access.maxGrantTtlSeconds) {
    problems.push(`"ttlSeconds" must be a whole number from ${access.minGrantTtlSeconds} to ${access.maxGrantTtlSeconds} on stage ${deps.config.stage}, got ${JSON.stringify(ttl ?? null)}`);
  }
  if (request.ipRange !== undefined && (typeof request.ipRange !== 'string' || !CIDR.test(request.ipRange))) {
    problems.push(`"ipRange" must be a CIDR such as 203.0.113.0/24, got ${JSON.stringify(request.ipRange)}`);
  }
  if (request.subject !== undefined && (typeof request.subject !== 'string' || !SUBJECT.test(request.subject))) {
    problems.push('"subject" must be an opaque id (1–128 letters, digits and . _ : @ -), not personal data');
  }
  if (problems.length > 0) throw new ValidationError(`Invalid grant request: ${problems.join('; ')}.`, { code: 'grant.invalid-request' });

  const ttlSeconds = ttl as number;
  const expiresAt = new Date(Math.floor(deps.now().getTime() / 1000) * 1000 + ttlSeconds * 1000);
  const base = new URL(cdnBaseUrl);
  const policy = coursePolicy({ cdnBaseUrl, course, expiresAt, ...(typeof request.ipRange === 'string' ? { ipRange: request.ipRange } : {}) });
  const values = await deps.signer.sign(policy);
  const secure = base.protocol === 'https:';
  const attributes = { domain: access.cookieDomain ?? base.hostname, path: `/courses/${course}/`, expires: expiresAt.toUTCString(), secure, httpOnly: true as const, sameSite: 'Lax' as const };
  const cookies: GrantCookie[] = (Object.keys(values) as Array<keyof SignedCookieValues>).map((name) => ({ name, value: values[name], ...attributes }));
  return {
    course,
    expiresAt: expiresAt.toISOString(),
    ttlSeconds,
    ...(typeof request.subject === 'string' ? { subject: request.subject } : {}),
    cookies,
    setCookie: cookies.map(setCookieHeader),
  };
}

export function setCookieHeader(cookie: GrantCookie): string {
  // A cookie for an IP address (the local CDN twin) is host-only: browsers refuse Domain=<IP>.
  const domain = isIP(cookie.domain) ? '' : `; Domain=${cookie.domain}`;
  return `${cookie.name}=${cookie.value}${domain}; Path=${cookie.path}; Expires=${cookie.expires}${cookie.secure ? '; Secure' : ''}; HttpOnly; SameSite=${cookie.sameSite}`;
}
