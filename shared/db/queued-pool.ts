/**
 * A FIFO queue in front of `pg.Pool`: a caller waits for one of the pool's `max` slots for as long
 * as the queue ahead of it takes, and only then asks the pool for a connection — so the pool's
 * connect timeout measures reaching the server, not waiting behind a thousand other uploads. (In
 * `pg.Pool` itself the same timeout also ends a queued wait: a burst on a busy machine turned
 * queueing into "timeout exceeded when trying to connect".)
 */
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { Slots } from '../util/slots.js';

/** SQLSTATE invalid_password: also what RDS Proxy and PgBouncer answer for a wrong password. */
const INVALID_PASSWORD = '28P01';

export class QueuedPool implements PostgresPool {
  readonly #pool: pg.Pool;
  readonly #slots: Slots;

  get options(): object {
    return this.#pool.options;
  }

  readonly #refreshPassword: (() => void) | undefined;

  /**
   * `refreshPassword`: called when the server refuses a new connection's password (28P01, a
   * rotated secret); the connection is then tried once more (PgTarget.refreshPassword).
   */
  constructor(pool: pg.Pool, slots: number, refreshPassword?: () => void) {
    this.#pool = pool;
    this.#slots = new Slots(slots);
    this.#refreshPassword = refreshPassword;
  }

  async connect(): Promise<PostgresPoolClient> {
    await this.#slots.take();
    let client: pg.PoolClient;
    try {
      client = await this.#connectRefreshingPassword();
    } catch (error) {
      this.#slots.give();
      throw error;
    }
    let released = false;
    return {
      query: ((...args: Parameters<pg.PoolClient['query']>) => client.query(...args)) as PostgresPoolClient['query'],
      release: () => {
        if (released) return;
        released = true;
        client.release();
        this.#slots.give();
      },
    };
  }

  async #connectRefreshingPassword(): Promise<pg.PoolClient> {
    try {
      return await this.#pool.connect();
    } catch (error) {
      if (!this.#refreshPassword || (error as { code?: unknown }).code !== INVALID_PASSWORD) throw error;
      this.#refreshPassword();
      return this.#pool.connect();
    }
  }

  async end(): Promise<void> {
    await this.#pool.end();
  }
}
