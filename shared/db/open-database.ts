/**
 * Opening a database from the command line, the local stack and tests: any PostgreSQL URL, or the
 * embedded PGlite through kysely's own PostgresDialect (a `pg.Pool`-shaped wrapper), so the SQL
 * is the production SQL. Not imported by Lambda handlers (PGlite is half a megabyte).
 *
 * A new embedded database starts from an image — a data directory already initialised and
 * migrated, made once by the build (`npm run build`, `dist/shared/db/pglite-image.tgz`) — instead
 * of running initdb inside WebAssembly (seconds of CPU) on every new state folder.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite as PGliteClass, PGliteOptions } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { createPgDatabase, type LecternDb, type PgTarget } from './database.js';
import { migrateToLatest } from './migrate.js';
import { PGlitePool } from './pglite-pool.js';
import type { Database } from './schema.js';

export { migrateToLatest } from './migrate.js';
export type { LecternDb } from './database.js';

export type DatabaseTarget = PgTarget | { pglite: string | 'memory'; /** the image a new database starts from (default: the build's) */ image?: string | null };

/** The build's image: beside this module once compiled, in dist/ when run from the sources (tests). */
const IMAGE_CANDIDATES = [new URL('./pglite-image.tgz', import.meta.url), new URL('../../dist/shared/db/pglite-image.tgz', import.meta.url)].map((url) => fileURLToPath(url));

export function defaultDatabaseImage(): string | undefined {
  return IMAGE_CANDIDATES.find((file) => existsSync(file));
}

/**
 * PostgreSQL's memory inside PGlite, bounded for a laptop: small shared buffers and work memory
 * (the local stack's tables are small; PostgreSQL's defaults are 128 MB of shared buffers).
 */
function pgliteMemory(PGlite: typeof PGliteClass): Pick<PGliteOptions, 'startParams'> {
  return {
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'work_mem=2MB', '-c', 'maintenance_work_mem=8MB', '-c', 'temp_buffers=2MB'],
  };
}

export async function createDatabase(target: DatabaseTarget): Promise<LecternDb> {
  if (!('pglite' in target)) return createPgDatabase(target);
  const { PGlite } = await import('@electric-sql/pglite');
  const image = target.image === null ? undefined : (target.image ?? defaultDatabaseImage());
  const fresh = target.pglite === 'memory' || !existsSync(path.join(target.pglite, 'PG_VERSION'));
  const options: PGliteOptions = {
    ...pgliteMemory(PGlite),
    ...(fresh && image ? { loadDataDir: new Blob([await readFile(image)]) } : {}),
  };
  if (target.pglite !== 'memory') await mkdir(target.pglite, { recursive: true });
  const db = target.pglite === 'memory' ? new PGlite(options) : new PGlite(target.pglite, options);
  await db.waitReady;
  return kyselyOver(db);
}

/** The image a new embedded database starts from: initialised and migrated to the latest schema. */
export async function createDatabaseImage(): Promise<Uint8Array> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite(pgliteMemory(PGlite));
  await pglite.waitReady;
  const db = kyselyOver(pglite);
  try {
    await migrateToLatest(db);
    return new Uint8Array(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
  } finally {
    await db.destroy();
  }
}

function kyselyOver(pglite: PGliteClass): LecternDb {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PGlitePool(pglite) }) });
}
