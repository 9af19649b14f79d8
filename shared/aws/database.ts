/** One `pg` connection per container (pool max 1), created lazily, TLS on: RDS Proxy or PgBouncer. */
import { createPgDatabase } from '../db/database.js';
import { lambdaConfig, lambdaEnv, once, required } from './environment.js';

export const database = once(() =>
  createPgDatabase({
    url: required(lambdaConfig().databaseUrl, 'DATABASE_URL'),
    maxConnections: 1,
    ssl: lambdaEnv().DATABASE_SSL === 'false' ? false : { rejectUnauthorized: true },
  }),
);
