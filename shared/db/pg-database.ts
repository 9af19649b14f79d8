/**
 * PostgreSQL through `pg` (directly, RDS Proxy or PgBouncer in transaction-pooling mode): a small
 * pool (1 in a Lambda container), created lazily, no named prepared statements, no session state.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { LecternDb, PgTarget } from './database.js';
import { QueuedPool } from './queued-pool.js';
import type { Database } from './schema.js';

// bigint (int8) as a JS number, identically for pg and PGlite (sizes stay far below 2^53).
pg.types.setTypeParser(20, (value) => Number(value));

/** What Lambda bundles import: no embedded database, no migrator. */
export function createPgDatabase(target: PgTarget): LecternDb {
  const max = target.maxConnections ?? 1;
  const pool = new pg.Pool({
    ...(target.url ? { connectionString: target.url } : {}),
    ...(target.host ? { host: target.host } : {}),
    ...(target.port ? { port: target.port } : {}),
    ...(target.database ? { database: target.database } : {}),
    ...(target.user ? { user: target.user } : {}),
    ...(target.password ? { password: target.password } : {}),
    max,
    idleTimeoutMillis: 30_000,
    // Reaching the server; the wait for a free connection is QueuedPool's, and has no timeout.
    connectionTimeoutMillis: target.connectTimeoutMs ?? 10_000,
    ...(target.ssl === undefined ? {} : { ssl: target.ssl }),
  });
  // An idle client that loses its server (PgBouncer restart, failover) must not crash the process.
  pool.on('error', () => undefined);
  // Nor may one that loses it while checked out between two statements (the pool listens only to
  // idle clients): the work that holds it fails with a transient error, and the pool drops the
  // unusable client when it comes back. (tests/reliability/connection-loss.test.ts)
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new QueuedPool(pool, max, target.refreshPassword) }) });
}
