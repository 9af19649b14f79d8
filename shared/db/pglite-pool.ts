/**
 * A `pg.Pool`-shaped wrapper around PGlite, so the embedded database runs through kysely's own
 * PostgresDialect: the same driver, compiler and adapter as production PostgreSQL. PGlite has one
 * connection, so the pool hands it to one client at a time (transactions never interleave).
 */
import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { InternalError } from '../contract/errors.js';

type Command = PostgresQueryResult<unknown>['command'];
const COMMANDS = new Set<Command>(['UPDATE', 'DELETE', 'INSERT', 'SELECT', 'MERGE', 'COMMIT', 'ROLLBACK']);

export class PGlitePool implements PostgresPool {
  readonly options = {};
  readonly #db: PGlite;
  #tail: Promise<void> = Promise.resolve();
  #ended = false;

  constructor(db: PGlite) {
    this.#db = db;
  }

  async connect(): Promise<PostgresPoolClient> {
    if (this.#ended) throw new InternalError('The embedded database has been closed.', { code: 'db.closed' });
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => turn);
    await previous;
    const db = this.#db;
    let released = false;
    return {
      async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
        const result = await db.query<R>(sql, parameters as unknown[]);
        const word = sql.trimStart().split(/\s/, 1)[0]?.toUpperCase() as Command;
        return {
          command: COMMANDS.has(word) ? word : 'SELECT',
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release() {
        if (released) return;
        released = true;
        release();
      },
    } as PostgresPoolClient;
  }

  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    await this.#tail;
    await this.#db.close();
  }
}
