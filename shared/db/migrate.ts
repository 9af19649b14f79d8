/** Migrations: `lectern migrate` in CI/CD, automatically for the local stack. */
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import type { LecternDb } from './database.js';
import { migrationProvider } from './migrations/index.js';
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
