/**
 * What CloudFront does with a request on a behaviour that trusts a key group, for the local CDN
 * twin: read the three signed cookies, check the RSA-SHA1 signature of the policy with a trusted
 * public key, then the policy itself (resource, expiry, start, IP range). Pure over its inputs;
 * node:crypto only. Any failure is a 403 with a reason the twin logs.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { BlockList, isIPv6 } from 'node:net';
import type { CustomPolicy } from './access-policy.js';
import { decodeCloudFrontBase64 } from './cloudfront-base64.js';

export type CookieVerdict = { ok: true; resource: string; expiresAt: Date } | { ok: false; reason: string };

export interface VerifyRequest {
  /** The `Cookie` request header, as sent. */
  cookieHeader: string | undefined;
  /** The URL the viewer asked for, on the CDN's own origin (`https://cdn…/courses/…`). */
  url: string;
  clientIp: string;
  now: Date;
  /** The key group: key pair id → public key (PEM or KeyObject). */
  trustedKeys: ReadonlyMap<string, string | KeyObject>;
}

export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    // The first of two same-named cookies is the one with the longer path (RFC 6265 §5.4).
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

export function verifySignedCookies(request: VerifyRequest): CookieVerdict {
  const cookies = parseCookieHeader(request.cookieHeader);
  const policyText = cookies.get('CloudFront-Policy');
  const signatureText = cookies.get('CloudFront-Signature');
  const keyPairId = cookies.get('CloudFront-Key-Pair-Id');
  if (!policyText || !signatureText || !keyPairId) {
    const missing = ['CloudFront-Policy', 'CloudFront-Signature', 'CloudFront-Key-Pair-Id'].filter((name) => !cookies.get(name));
    return { ok: false, reason: `missing signed cookie(s): ${missing.join(', ')}` };
  }
  const key = request.trustedKeys.get(keyPairId);
  if (!key) return { ok: false, reason: `key pair id ${keyPairId} is not in the trusted key group` };
  const policyBytes = decodeCloudFrontBase64(policyText);
  const signature = decodeCloudFrontBase64(signatureText);
  if (!policyBytes || !signature) return { ok: false, reason: 'the policy or signature is not CloudFront base64' };
  const publicKey = typeof key === 'string' ? createPublicKey(key) : key;
  if (!verify('sha1', policyBytes, publicKey, signature)) return { ok: false, reason: 'the signature does not match the policy' };

  let policy: CustomPolicy;
  try {
    policy = JSON.parse(policyBytes.toString('utf8')) as CustomPolicy;
  } catch {
    return { ok: false, reason: 'the policy is not JSON' };
  }
  const statement = Array.isArray(policy?.Statement) && policy.Statement.length === 1 ? policy.Statement[0] : undefined;
  if (!statement || typeof statement.Resource !== 'string') return { ok: false, reason: 'the policy needs exactly one statement with a Resource' };
  if (!wildcardMatch(statement.Resource, request.url)) return { ok: false, reason: `the policy is for ${statement.Resource}, not ${request.url}` };
  const nowSeconds = request.now.getTime() / 1000;
  const lessThan = statement.Condition?.DateLessThan?.['AWS:EpochTime'];
  if (typeof lessThan !== 'number') return { ok: false, reason: 'the policy has no DateLessThan' };
  if (nowSeconds >= lessThan) return { ok: false, reason: `the grant expired at ${new Date(lessThan * 1000).toISOString()}` };
  const greaterThan = statement.Condition.DateGreaterThan?.['AWS:EpochTime'];
  if (typeof greaterThan === 'number' && nowSeconds <= greaterThan) return { ok: false, reason: `the grant starts at ${new Date(greaterThan * 1000).toISOString()}` };
  const range = statement.Condition.IpAddress?.['AWS:SourceIp'];
  if (range !== undefined && !ipInRange(request.clientIp, range)) return { ok: false, reason: `${request.clientIp} is outside ${range}` };
  return { ok: true, resource: statement.Resource, expiresAt: new Date(lessThan * 1000) };
}

/** CloudFront's Resource wildcards: `*` any run of characters, `?` exactly one. */
function wildcardMatch(pattern: string, url: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(url);
}

function ipInRange(ip: string, range: string): boolean {
  const [address, bits] = range.split('/');
  if (!address) return false;
  const type = isIPv6(address) ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  try {
    list.addSubnet(address, bits === undefined ? (type === 'ipv6' ? 128 : 32) : Number(bits), type);
  } catch {
    return false;
  }
  const client = ip.startsWith('::ffff:') && type === 'ipv4' ? ip.slice(7) : ip;
  return list.check(client, isIPv6(client) ? 'ipv6' : 'ipv4');
}
