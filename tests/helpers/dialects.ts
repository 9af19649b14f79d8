/**
 * kysely's DIALECTS loop for lectern: every database test runs against embedded PGlite,
 * PostgreSQL directly, and PostgreSQL through PgBouncer in transaction-pooling mode (what RDS
 * Proxy does in production). Under CI=true a missing server is a failure, never a skip; on a
 * laptop without them, only the available dialects run (and we say so).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, migrateToLatest, type LecternDb } from '../../shared/db/open-database.js';

export type DialectName = 'pglite' | 'postgres' | 'pgbouncer';

export interface TestDialect {
  name: DialectName;
  /** Server URL without database name; undefined for PGlite. */
  server?: string;
}

const POSTGRES = process.env.LECTERN_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432';
const PGBOUNCER = process.env.LECTERN_TEST_PGBOUNCER ?? 'postgres://postgres@127.0.0.1:6432';

const ALL: TestDialect[] = [{ name: 'pglite' }, { name: 'postgres', server: POSTGRES }, { name: 'pgbouncer', server: PGBOUNCER }];

async function reachable(server: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: `${server}/postgres`, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function available(): Promise<TestDialect[]> {
  if (process.env.CI === 'true') return ALL;
  const result: TestDialect[] = [];
  for (const dialect of ALL) {
    if (!dialect.server || (await reachable(dialect.server))) result.push(dialect);
    else console.warn(`lectern tests: ${dialect.name} at ${dialect.server} is not reachable; its cases do not run here (they do under CI=true).`);
  }
  return result;
}

export const DIALECTS: TestDialect[] = await available();

export interface TestDatabase {
  db: LecternDb;
  /** Connection URL of this test's own database (undefined for PGlite). */
  url?: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file. */
export async function openTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  if (!dialect.server) {
    const db = await createDatabase({ pglite: 'memory' });
    await migrateToLatest(db);
    return { db, drop: () => db.destroy() };
  }
  const name = `lectern_test_${randomBytes(6).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = `${dialect.server}/${name}`;
  const db = await createDatabase({ url, maxConnections: 5 });
  await migrateToLatest(db);
  return {
    db,
    url,
    drop: async () => {
      await db.destroy();
      await dropTestDatabase(url);
    },
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Drops a database made by `openTestDatabase`, closing whatever still holds it open. */
export async function dropTestDatabase(url: string): Promise<void> {
  await admin(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
}
