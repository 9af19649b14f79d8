/**
 * The container's database: one `pg` connection (pool max 1) to RDS Proxy or PgBouncer, created
 * lazily, TLS on. Settings (serverless.yml, resources/database.yml):
 *   DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USER
 *   DATABASE_AUTH  iam    — an RDS IAM auth token, signed locally for every new connection
 *                  secret — the `password` of the Secrets Manager secret DATABASE_SECRET_ARN
 *   DATABASE_TLS   verify-full (RDS Proxy: Amazon's CAs are in Node's store) | require
 *   DATABASE_POOL_MAX (1)
 * or DATABASE_URL for anything else (a PgBouncer with its own credentials, a dev database).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Signer } from '@aws-sdk/rds-signer';
import type { PgTarget } from '../db/database.js';
import { createPgDatabase } from '../db/pg-database.js';
import { lambdaEnv, once, required } from './environment.js';
import { ConfigError } from '../contract/errors.js';

export const database = once(() => createPgDatabase(databaseTarget(lambdaEnv())));

export function databaseTarget(env: Record<string, string | undefined>): PgTarget {
  const tls = env.DATABASE_TLS ?? 'verify-full';
  const ssl = tls === 'disable' ? false : { rejectUnauthorized: tls === 'verify-full' };
  const maxConnections = Number(env.DATABASE_POOL_MAX ?? '1') || 1;
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, maxConnections, ssl };
  const host = required(env.DATABASE_HOST, 'DATABASE_HOST');
  const port = Number(env.DATABASE_PORT ?? '5432');
  const user = required(env.DATABASE_USER, 'DATABASE_USER');
  const base = { host, port, database: required(env.DATABASE_NAME, 'DATABASE_NAME'), user, maxConnections, ssl };
  if ((env.DATABASE_AUTH ?? 'secret') === 'iam') {
    const signer = new Signer({ hostname: host, port, username: user, ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}) });
    return { ...base, password: () => signer.getAuthToken() };
  }
  const secretArn = required(env.DATABASE_SECRET_ARN, 'DATABASE_SECRET_ARN');
  const secrets = new SecretsManagerClient({});
  return {
    ...base,
    ...secretPassword(async () => {
      const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
      const parsed = JSON.parse(secret.SecretString ?? '{}') as { password?: unknown };
      if (typeof parsed.password !== 'string') throw new ConfigError(`The secret ${secretArn} has no "password" field.`);
      return parsed.password;
    }),
  };
}

/**
 * A password read from a secret once per container, and read again when the database refuses it
 * (the secret was rotated): `createPgDatabase` calls `refreshPassword` on 28P01 and retries, so a
 * rotation reaches the next new connection instead of waiting for containers to recycle.
 */
export function secretPassword(read: () => Promise<string>): Required<Pick<PgTarget, 'password' | 'refreshPassword'>> {
  let cached: Promise<string> | undefined;
  return {
    password: () => {
      cached ??= read().catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
      return cached;
    },
    refreshPassword: () => {
      cached = undefined;
    },
  };
}
