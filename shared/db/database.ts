/**
 * Database connections. Production: `pg` through RDS Proxy or PgBouncer in transaction-pooling
 * mode — a small pool (1 in a Lambda container), created lazily, no named prepared statements,
 * no session state. The embedded PGlite and the migrator live in `open-database.ts`, which the
 * Lambda bundles never import.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DependencyUnavailableError } from '../contract/errors.js';
import { QueuedPool } from './queued-pool.js';
import type { Database } from './schema.js';

// bigint (int8) as a JS number, identically for pg and PGlite (sizes stay far below 2^53).
pg.types.setTypeParser(20, (value) => Number(value));

export interface PgTarget {
  /** A connection URL; or the parts below (host, port, …), e.g. with a password function. */
  url?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  /** A string, or a function returning a fresh one (an RDS IAM token) for each new connection. */
  password?: string | (() => Promise<string>);
  /**
   * Called when the server rejects the password of a new connection (28P01): the password
   * function's source was rotated since it was read. The connection is then tried once more.
   */
  refreshPassword?: () => void;
  maxConnections?: number;
  /** Milliseconds to reach the server once a connection is free to open (default 10 s). */
  connectTimeoutMs?: number;
  ssl?: boolean | { rejectUnauthorized: boolean; ca?: string };
}

export type LecternDb = Kysely<Database>;

/**
 * PostgreSQL through `pg` (directly, RDS Proxy or PgBouncer). What Lambda bundles import: no
 * embedded database, no migrator.
 */
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

const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '53300', '53400', '08000', '08001', '08003', '08004', '08006', '08P01']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const TRANSIENT_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|server closed the connection|no more connections allowed|query_wait_timeout|server login has been failing/i;

/** True for errors that a retry can cure: serialization failures, deadlocks, lost connections. */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code))) return true;
  return TRANSIENT_MESSAGES.test(error.message);
}

/** Runs database work, turning transient failures into `DependencyUnavailableError`. */
export async function withDatabase<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isTransientDatabaseError(error)) {
      throw new DependencyUnavailableError(`Database unavailable while ${what}: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}
