/**
 * Waiting for a connection queues, it does not fail: many more queries than connections, each
 * holding its connection for longer than the connect timeout, all succeed — while the server never
 * sees more connections than the pool's size. (A connect timeout that also ended queued waits
 * turned every burst on a busy machine into connection errors.)
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createPgDatabase } from '../../shared/db/pg-database.js';
import { DIALECTS } from '../helpers/dialects.js';

const SERVERS = DIALECTS.filter((dialect) => dialect.server);

describe.each(SERVERS)('connection waits on $name', ({ server }) => {
  it('queues 12 queries behind 2 connections, each held 4× the connect timeout, with no error', async () => {
    const application = `lectern_queue_${randomBytes(4).toString('hex')}`;
    const db = createPgDatabase({ url: `${server}/postgres?application_name=${application}`, maxConnections: 2, connectTimeoutMs: 250 });
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, () =>
          sql<{ connections: number }>`select pg_sleep(1), (select count(*)::int from pg_stat_activity where application_name = ${application}) as connections`.execute(db),
        ),
      );
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      const seen = results.map((r) => (r as PromiseFulfilledResult<{ rows: Array<{ connections: number }> }>).value.rows[0]!.connections);
      expect(Math.max(...seen)).toBeLessThanOrEqual(2);
    } finally {
      await db.destroy();
    }
  });
});
