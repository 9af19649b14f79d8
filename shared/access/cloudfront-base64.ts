/**
 * CloudFront's URL-safe base64 for policies and signatures: `+` → `-`, `=` → `_`, `/` → `~`
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-setting-signed-cookie-custom-policy.html).
 */

export function decodeCloudFrontBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9\-_~]*$/.test(text)) return undefined;
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');
}
