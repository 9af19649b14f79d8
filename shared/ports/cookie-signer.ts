/**
 * The cookie-signer port: signs a CloudFront custom policy with the stage's private key. The AWS
 * adapter reads the key from Secrets Manager; locally it comes from the state folder's key pair.
 * Both are `CloudFrontCookieSigner` (shared/adapters/) over `@aws-sdk/cloudfront-signer`.
 */

export interface SignedCookieValues {
  'CloudFront-Policy': string;
  'CloudFront-Signature': string;
  'CloudFront-Key-Pair-Id': string;
}

export interface CookieSigner {
  sign(policy: string): Promise<SignedCookieValues>;
}

/** The private key and the id CloudFront knows its public half by (a PublicKey in the key group). */
export interface SigningKey {
  keyPairId: string;
  privateKeyPem: string;
}
