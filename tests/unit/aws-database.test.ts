import { afterEach, describe, expect, it, vi } from 'vitest';
import { databaseTarget } from '../../shared/aws/database.js';

describe('databaseTarget (Lambda database settings)', () => {
  const base = { DATABASE_HOST: 'proxy.example', DATABASE_PORT: '5432', DATABASE_NAME: 'lectern', DATABASE_USER: 'lectern_app' };

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('signs an RDS IAM token per connection with TLS verified', async () => {
    // Lambda gives the function's role credentials in the environment.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    const target = databaseTarget({ ...base, DATABASE_AUTH: 'iam', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    expect(target).toMatchObject({ host: 'proxy.example', port: 5432, database: 'lectern', user: 'lectern_app', maxConnections: 1, ssl: { rejectUnauthorized: true } });
    const token = await (target.password as () => Promise<string>)();
    expect(token).toMatch(/^proxy\.example:5432\/\?Action=connect&DBUser=lectern_app&X-Amz-/);
  });

  it('uses the secret for the password, and DATABASE_URL when given', () => {
    expect(databaseTarget({ ...base, DATABASE_AUTH: 'secret', DATABASE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:x', DATABASE_TLS: 'require' })).toMatchObject({ ssl: { rejectUnauthorized: false }, password: expect.any(Function) });
    expect(databaseTarget({ DATABASE_URL: 'postgres://u:p@pgbouncer:6432/lectern' })).toMatchObject({ url: 'postgres://u:p@pgbouncer:6432/lectern', maxConnections: 1 });
  });

  it('says which setting is missing', () => {
    expect(() => databaseTarget({ DATABASE_HOST: 'h' })).toThrow(/DATABASE_USER is not set/);
  });
});
