/**
 * Database connections: what every repository uses (the database type, transient errors). The
 * production connection — `pg` through RDS Proxy or PgBouncer in transaction-pooling mode — is
 * made by `pg-database.ts`; the embedded PGlite and the migrator live in `open-database.ts`, which
 * the Lambda bundles never import. Neither is imported from here, so a local run on PGlite never
 * loads `pg`'s client, nor a Lambda bundle PGlite.
 */
import type { Kysely } from 'kysely';
import { DependencyUnavailableError } from '../contract/errors.js';
import type { Database } from './schema.js';

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
