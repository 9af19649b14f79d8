/**
 * Every migration, in order, compiled into the bundle (no folder scanning at run time, so the
 * Lambda bundles and the CLI carry the same list).
 */
import type { Migration, MigrationProvider } from 'kysely/migration';
import * as initial from './0001-initial.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
