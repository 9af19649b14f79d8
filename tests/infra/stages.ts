/**
 * The stages the tests package, with the parameters an operator gives each (docs/deploy.md,
 * "Parameters"): here, stand-ins. `ci` needs none; `prod` needs what its `requiredParams` lists.
 */
export interface LintedStage {
  stage: string;
  params: Record<string, string>;
}

/** A stand-in CloudFront public key (its private half was thrown away). */
const STAND_IN_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuGFRe/lZafM8KQpub5tX
kCTgZlH/Y5hb/9d8jFke0gdZXNoqCebtMzC/I5CdAufFWTH6Rm3xDf59G7RVY0JP
28zoeoKa+f9ncXTJ6kwldZpPqhl69n2IYCi8aYv1GfGp3GSlw+vhLXwM6oy1CMpC
OcqOQqOUwIPWgdWW14rY2ovNkNcMfq/oWMJeFwWSmZUqQqkUzlkvoZHh/sOqrsJb
6LLgXiNSywp3raeu6EyWliW7yHH4nvkey/a/tBpMWkzzmyHdDn8r2kPKUP/qH5gB
7ug6MxQLvjeqCTbGdKKMgQ5BUV//ANMXcFzY5lmHTeQr/xi0FdJGQsVXJxc8gs6p
RwIDAQAB
-----END PUBLIC KEY-----
`;

export const PROD_STAND_INS: Record<string, string> = { alertEmail: 'ops@example.com', cdnPublicKeyA: STAND_IN_PUBLIC_KEY, corsAllowedOrigins: 'https://learn.example.com' };

/** Packaged and linted by cfn-lint.test.ts (`ci` is packaged by template.test.ts, and linted there). */
export const LINTED_STAGES: LintedStage[] = [{ stage: 'prod', params: PROD_STAND_INS }];
