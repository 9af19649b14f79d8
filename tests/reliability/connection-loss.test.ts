/**
 * A server connection lost while the client holds it between two statements of a transaction
 * (backend terminated, PgBouncer restarted, failover): `pg` emits 'error' on a client that has no
 * listener while it is checked out of the pool, which is an uncaught exception — it would end the
 * Lambda runtime or `lectern dev`. The loss must instead surface as a transient error of the work
 * that used the connection, and the pool must recover.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withDatabase } from '../../shared/db/database.js';
import { createPgDatabase } from '../../shared/db/pg-database.js';
import { DependencyUnavailableError } from '../../shared/contract/errors.js';
import { DIALECTS } from '../helpers/dialects.js';
import { adminQuery, scratchDatabase } from './services.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DIALECTS.filter((d) => d.server))('connection lost mid-transaction ($name)', (dialect) => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  beforeAll(async () => {
    database = await scratchDatabase();
    process.on('uncaughtException', onUncaught);
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await database?.drop();
  });

  it('is a transient error of that transaction, not a crash, and the next transaction succeeds', async () => {
    const db = createPgDatabase({ url: `${dialect.server}/${database.name}`, maxConnections: 2 });
    try {
      const attempt = withDatabase('testing a lost connection', () =>
        db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          // the server side of this very connection goes away while no statement is running
          await adminQuery('select pg_terminate_backend($1)', [rows[0]!.pid]);
          await sleep(300);
          await sql`select 1`.execute(trx);
        }),
      );
      await expect(attempt).rejects.toBeInstanceOf(DependencyUnavailableError);
      await sleep(100);
      expect(uncaught).toEqual([]);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});
