/** Throw-away databases on the local PostgreSQL, reached directly or through PgBouncer. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES = process.env.LECTERN_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432';
export const PGBOUNCER = process.env.LECTERN_TEST_PGBOUNCER ?? 'postgres://postgres@127.0.0.1:6432';

export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, server = POSTGRES, database = 'postgres'): Promise<T[]> {
  const client = new pg.Client({ connectionString: `${server}/${database}`, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function reachable(server: string): Promise<boolean> {
  try {
    await adminQuery('select 1', server);
    return true;
  } catch {
    return false;
  }
}

export interface ScratchDatabase {
  name: string;
  /** URL through `via` (PgBouncer or PostgreSQL). */
  url: string;
  drop(): Promise<void>;
}

/** A fresh database created on PostgreSQL, addressed through `via`. */
export async function scratchDatabase(via: string, prefix = 'lectern_bench'): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  return {
    name,
    url: `${via}/${name}`,
    drop: async () => {
      await adminQuery(`drop database if exists ${name} with (force)`).catch(() => undefined);
    },
  };
}

/** PgBouncer's admin console (`SHOW POOLS`, `SHOW STATS`…). */
export async function pgbouncerShow(what: string, server = PGBOUNCER): Promise<Array<Record<string, unknown>>> {
  // The admin console speaks the simple query protocol only.
  const client = new pg.Client({ connectionString: `${server}/pgbouncer` });
  await client.connect();
  try {
    const result = await client.query({ text: `SHOW ${what}`, queryMode: 'simple' } as never);
    return (result as unknown as pg.QueryResult).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Server connections PostgreSQL has open to `database` right now. */
export async function backendsOf(database: string): Promise<number> {
  const rows = await adminQuery<{ n: string }>(`select count(*)::text as n from pg_stat_activity where datname = '${database}'`);
  return Number(rows[0]?.n ?? 0);
}
