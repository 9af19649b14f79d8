/** Migrations: `lectern migrate` in CI/CD, automatically for the local stack. */
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import type { LecternDb } from './database.js';
import { sql } from 'kysely';
import { MIGRATIONS, migrationProvider } from './migrations/index.js';
import { InternalError } from '../contract/errors.js';

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: LecternDb): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new InternalError(`Migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`, { code: 'db.migration-failed', cause: result.error });
  }
  return result;
}

/**
 * Whether every migration lectern knows is applied, and no other: one read of kysely's own table
 * instead of the migrator's table checks, lock and transaction (eight statements, two of them
 * catalog queries: ~70 ms on PGlite at every `lectern` start). Any doubt — no table yet, a name
 * missing or unknown, an error — answers no, and the migrator decides.
 */
export async function isMigrated(db: LecternDb): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    // Compared as sets in JavaScript: an ORDER BY would sort by the database's collation, not by code unit.
    const applied = new Set(rows.map((row) => row.name));
    return applied.size === rows.length && rows.length === Object.keys(MIGRATIONS).length && Object.keys(MIGRATIONS).every((name) => applied.has(name));
  } catch {
    return false;
  }
}

/** Applies pending migrations if there are any (the local stack's start: usually none). */
export async function migrateIfNeeded(db: LecternDb): Promise<void> {
  if (!(await isMigrated(db))) await migrateToLatest(db);
}
