/**
 * Opening a database from the command line, the local stack and tests: any PostgreSQL URL, or the
 * embedded PGlite through kysely's own PostgresDialect (a `pg.Pool`-shaped wrapper), so the SQL
 * is the production SQL. Not imported by Lambda handlers (PGlite is half a megabyte).
 */
import { Kysely, PostgresDialect } from 'kysely';
import { createPgDatabase, type LecternDb, type PgTarget } from './database.js';
import { PGlitePool } from './pglite-pool.js';
import type { Database } from './schema.js';

export { migrateToLatest } from './migrate.js';
export type { LecternDb } from './database.js';

export type DatabaseTarget = PgTarget | { pglite: string | 'memory' };

export async function createDatabase(target: DatabaseTarget): Promise<LecternDb> {
  if (!('pglite' in target)) return createPgDatabase(target);
  const { PGlite } = await import('@electric-sql/pglite');
  const db = target.pglite === 'memory' ? new PGlite() : new PGlite(target.pglite);
  await db.waitReady;
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PGlitePool(db) }) });
}
