/**
 * The local CDN twin's verifier against cookies made by `@aws-sdk/cloudfront-signer` (through the
 * grant use-case): what CloudFront would let through, and what it would answer 403.
 */
import { generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { getSignedCookies } from '@aws-sdk/cloudfront-signer';
import { describe, expect, it } from 'vitest';
import { parseAccessConfig } from '../../../shared/access/access-config.js';
import { verifySignedCookies } from '../../../shared/access/verify-signed-cookies.js';
import { CloudFrontCookieSigner } from '../../../shared/adapters/cloudfront-cookie-signer.js';
import { parseConfig } from '../../../shared/runtime/config.js';
import { ValidationError } from '../../../shared/contract/errors.js';
import { grantAccess, type Grant } from '../../../shared/use-cases/grant-access.js';

const CDN = 'https://cdn.example.com';
const NOW = new Date('2026-12-06T10:00:00Z');
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY = { keyPairId: 'K2JCJMDEHXQW5F', privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
const trustedKeys = new Map([[KEY.keyPairId, publicKey.export({ type: 'spki', format: 'pem' }).toString()]]);

function deps(env: Record<string, string> = {}) {
  return { config: parseConfig({ CDN_BASE_URL: CDN, LECTERN_ACCESS: 'signed', ...env }), signer: new CloudFrontCookieSigner(async () => KEY), now: () => NOW };
}

function cookieHeader(grant: Grant, replace: Record<string, string> = {}): string {
  return grant.cookies.map((c) => `${c.name}=${replace[c.name] ?? c.value}`).join('; ');
}

function check(cookie: string | undefined, url: string, at = NOW, clientIp = '198.51.100.7') {
  return verifySignedCookies({ cookieHeader: cookie, url, clientIp, now: at, trustedKeys });
}

describe('signed cookies: the grant (cloudfront-signer) and the twin verifier', () => {
  it('lets a valid grant read every file of its course', async () => {
    const grant = await grantAccess({ course: 'bio-101', ttlSeconds: 7200 }, deps());
    expect(grant.expiresAt).toBe('2026-12-06T12:00:00.000Z');
    expect(grant.setCookie).toHaveLength(3);
    expect(grant.setCookie[0]).toMatch(/^CloudFront-Policy=[A-Za-z0-9\-_~]+; Domain=cdn\.example\.com; Path=\/courses\/bio-101\/; Expires=Sun, 06 Dec 2026 12:00:00 GMT; Secure; HttpOnly; SameSite=Lax$/);
    for (const path of ['lessons/cells/lecture.mp4/v1/master.m3u8', 'lessons/cells/lecture.mp4/v1/720p_00001.ts', 'lessons/cells/manifest.json']) {
      expect(check(cookieHeader(grant), `${CDN}/courses/bio-101/${path}`)).toMatchObject({ ok: true });
    }
  });

  it('refuses no cookies, another course, an expired grant, and a grant not yet valid', async () => {
    const grant = await grantAccess({ course: 'bio-101', ttlSeconds: 60 }, deps());
    expect(check(undefined, `${CDN}/courses/bio-101/lessons/a/manifest.json`)).toEqual({ ok: false, reason: 'missing signed cookie(s): CloudFront-Policy, CloudFront-Signature, CloudFront-Key-Pair-Id' });
    expect(check(cookieHeader(grant), `${CDN}/courses/chem-201/lessons/a/manifest.json`)).toMatchObject({ ok: false, reason: expect.stringContaining('the policy is for https://cdn.example.com/courses/bio-101/*') });
    // A course whose slug starts with the granted one is another course.
    expect(check(cookieHeader(grant), `${CDN}/courses/bio-1010/lessons/a/manifest.json`)).toMatchObject({ ok: false });
    expect(check(cookieHeader(grant), `${CDN}/courses/bio-101/lessons/a/manifest.json`, new Date(NOW.getTime() + 60_000))).toMatchObject({ ok: false, reason: expect.stringContaining('expired') });
    const early = getSignedCookies({ keyPairId: KEY.keyPairId, privateKey: KEY.privateKeyPem, url: `${CDN}/courses/bio-101/*`, dateLessThan: new Date(NOW.getTime() + 7200_000), dateGreaterThan: new Date(NOW.getTime() + 3600_000) });
    const header = Object.entries(early).map(([k, v]) => `${k}=${String(v)}`).join('; ');
    expect(check(header, `${CDN}/courses/bio-101/x`)).toMatchObject({ ok: false, reason: expect.stringContaining('starts at') });
  });

  it('refuses a tampered policy, a tampered signature and an unknown key', async () => {
    const grant = await grantAccess({ course: 'bio-101', ttlSeconds: 3600 }, deps());
    const policy = grant.cookies.find((c) => c.name === 'CloudFront-Policy')!.value;
    const decoded = Buffer.from(policy.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64').toString();
    const widened = Buffer.from(decoded.replace('/courses/bio-101/*', '/courses/*')).toString('base64').replace(/\+/g, '-').replace(/=/g, '_').replace(/\//g, '~');
    expect(check(cookieHeader(grant, { 'CloudFront-Policy': widened }), `${CDN}/courses/chem-201/x`)).toEqual({ ok: false, reason: 'the signature does not match the policy' });
    const signature = grant.cookies.find((c) => c.name === 'CloudFront-Signature')!.value;
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect(check(cookieHeader(grant, { 'CloudFront-Signature': flipped }), `${CDN}/courses/bio-101/x`)).toEqual({ ok: false, reason: 'the signature does not match the policy' });
    expect(check(cookieHeader(grant, { 'CloudFront-Key-Pair-Id': 'KOTHERKEY00000' }), `${CDN}/courses/bio-101/x`)).toMatchObject({ ok: false, reason: expect.stringContaining('not in the trusted key group') });
    // Signed by a key the group does not hold, under the trusted id.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = rsaSign('sha1', Buffer.from(decoded), other).toString('base64').replace(/\+/g, '-').replace(/=/g, '_').replace(/\//g, '~');
    expect(check(cookieHeader(grant, { 'CloudFront-Signature': forged }), `${CDN}/courses/bio-101/x`)).toMatchObject({ ok: false, reason: 'the signature does not match the policy' });
  });

  it('holds a grant to its IP range', async () => {
    const grant = await grantAccess({ course: 'bio-101', ttlSeconds: 3600, ipRange: '198.51.100.0/24' }, deps());
    expect(check(cookieHeader(grant), `${CDN}/courses/bio-101/x`, NOW, '198.51.100.7')).toMatchObject({ ok: true });
    expect(check(cookieHeader(grant), `${CDN}/courses/bio-101/x`, NOW, '::ffff:198.51.100.9')).toMatchObject({ ok: true });
    expect(check(cookieHeader(grant), `${CDN}/courses/bio-101/x`, NOW, '203.0.113.1')).toMatchObject({ ok: false, reason: '203.0.113.1 is outside 198.51.100.0/24' });
  });

  it('bounds the lifetime by the stage and says what is wrong with a request', async () => {
    const bounded = deps({ LECTERN_GRANT_MAX_TTL_SECONDS: '3600' });
    await expect(grantAccess({ course: 'bio-101', ttlSeconds: 7200 }, bounded)).rejects.toThrow('"ttlSeconds" must be a whole number from 60 to 3600 on stage local, got 7200');
    await expect(grantAccess({ course: 'Bio 101', ttlSeconds: 600 }, bounded)).rejects.toThrow(/"course" must be a course slug/);
    await expect(grantAccess({ course: 'bio-101', ttlSeconds: 600, subject: 'ann@example.com (Ann)' }, bounded)).rejects.toBeInstanceOf(ValidationError);
    await expect(grantAccess({ course: 'bio-101', ttlSeconds: 600, ipRange: 'everywhere' }, bounded)).rejects.toThrow(/"ipRange" must be a CIDR/);
  });

  it('leaves Domain out for an IP address (the local twin) and Secure out on plain http', async () => {
    const grant = await grantAccess({ course: 'demo', ttlSeconds: 600 }, { ...deps(), config: parseConfig({ CDN_BASE_URL: 'http://127.0.0.1:4321' }) });
    expect(grant.setCookie[2]).toMatch(/^CloudFront-Key-Pair-Id=K2JCJMDEHXQW5F; Path=\/courses\/demo\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
  });

  it('parses the stage access settings and rejects what cannot work', () => {
    expect(parseAccessConfig({})).toEqual({ stageDefault: 'public', minGrantTtlSeconds: 60, maxGrantTtlSeconds: 43200, corsOrigins: [] });
    expect(parseAccessConfig({ LECTERN_ACCESS: 'signed', LECTERN_CORS_ORIGINS: 'https://learn.example.com, http://localhost:3000/' }).corsOrigins).toEqual(['https://learn.example.com', 'http://localhost:3000']);
    expect(() => parseAccessConfig({ LECTERN_ACCESS: 'private' })).toThrow('LECTERN_ACCESS: "private" is not "signed" or "public"');
    expect(() => parseAccessConfig({ LECTERN_CORS_ORIGINS: '*' })).toThrow(/is not an origin/);
  });
});
