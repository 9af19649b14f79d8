/**
 * Signs CloudFront custom policies with `@aws-sdk/cloudfront-signer` (RSA-SHA1, CloudFront's
 * URL-safe base64) — what AWS maintains, not a hand-written signature. The key is loaded on the
 * first grant and kept by this instance (a Lambda container reuses it until it is recycled, so a
 * rotated secret takes effect within the container's lifetime; docs/access.md).
 *
 * The signer package is imported on the first grant, not with this module: it pulls in Smithy's
 * protocol and serde modules (~25 ms of CPU at load), which a `lectern run` or a Lambda container
 * that never grants access should not pay for.
 */
import type { CookieSigner, SignedCookieValues, SigningKey } from '../ports/cookie-signer.js';
import { InternalError } from '../contract/errors.js';

export class CloudFrontCookieSigner implements CookieSigner {
  private key: Promise<SigningKey> | undefined;

  constructor(private readonly loadKey: () => Promise<SigningKey>) {}

  async sign(policy: string): Promise<SignedCookieValues> {
    this.key ??= this.loadKey().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    const [{ keyPairId, privateKeyPem }, { getSignedCookies }] = await Promise.all([this.key, import('./cloudfront-signer-lib.js')]);
    const cookies = getSignedCookies({ keyPairId, privateKey: privateKeyPem, policy });
    const signedPolicy = cookies['CloudFront-Policy'];
    if (!signedPolicy) throw new InternalError('The CloudFront signer returned no CloudFront-Policy cookie for a custom policy.', { code: 'dependency.unexpected-answer' });
    return { 'CloudFront-Policy': signedPolicy, 'CloudFront-Signature': cookies['CloudFront-Signature'], 'CloudFront-Key-Pair-Id': cookies['CloudFront-Key-Pair-Id'] };
  }
}
