/**
 * The grant function's cookie signer: the private key of the stage's CloudFront key group, from
 * the Secrets Manager secret CDN_SIGNING_KEY_SECRET_ARN — a JSON `{ "keyPairId", "privateKey" }`
 * (docs/access.md: how to create it and rotate it). Read on the first grant of a container.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CloudFrontCookieSigner } from '../adapters/cloudfront-cookie-signer.js';
// The grant function always signs: its container loads the signer during init (with Lambda's
// init CPU), not on its first request, as the adapter's on-demand import would.
import '../adapters/cloudfront-signer-lib.js';
import { lambdaEnv, once, required } from './environment.js';
import { ConfigError } from '../contract/errors.js';

export const signer = once(() => {
  const secrets = new SecretsManagerClient({});
  return new CloudFrontCookieSigner(async () => {
    const secretArn = required(lambdaEnv().CDN_SIGNING_KEY_SECRET_ARN, 'CDN_SIGNING_KEY_SECRET_ARN');
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const parsed = JSON.parse(secret.SecretString ?? '{}') as { keyPairId?: unknown; privateKey?: unknown };
    if (typeof parsed.keyPairId !== 'string' || typeof parsed.privateKey !== 'string' || !parsed.privateKey.includes('PRIVATE KEY')) {
      throw new ConfigError(`The secret ${secretArn} must be JSON {"keyPairId": "<the CloudFront public key's id>", "privateKey": "-----BEGIN PRIVATE KEY-----…"}: see docs/access.md.`);
    }
    return { keyPairId: parsed.keyPairId, privateKeyPem: parsed.privateKey };
  });
});
