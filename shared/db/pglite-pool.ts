/**
 * A `pg.Pool`-shaped wrapper around PGlite, so the embedded database runs through kysely's own
 * PostgresDialect: the same driver, compiler and adapter as production PostgreSQL. PGlite has one
 * connection, so the pool hands it to one client at a time (transactions never interleave).
 *
 * A statement goes to PostgreSQL as node-postgres sends it: Parse, Bind, Describe, Execute and
 * Sync in one message, its parameters as text made by pg's own `prepareValue`, their types left
 * for the server to infer. PGlite's `query` makes two round trips into its WebAssembly per
 * statement (one to describe the parameters' types, one to run it) and six calls in all: this way
 * a statement costs ~27 % less CPU (~216 against ~295 µs for an upsert with `returning`,
 * measured in one process on Node 22), and its parameters are prepared exactly as production's
 * driver prepares them.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { parse as pgliteParse, protocol as pgliteProtocol } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pgUtils from 'pg/lib/utils.js';
import { InternalError } from '../contract/errors.js';

type Command = PostgresQueryResult<unknown>['command'];
const COMMANDS = new Set<Command>(['UPDATE', 'DELETE', 'INSERT', 'SELECT', 'MERGE', 'COMMIT', 'ROLLBACK']);

/** PGlite's wire-protocol helpers (from the module the caller has already loaded). */
export interface PGliteWire {
  protocol: typeof pgliteProtocol;
  parse: typeof pgliteParse;
}

export class PGlitePool implements PostgresPool {
  readonly options = {};
  readonly #db: PGlite;
  readonly #wire: PGliteWire;
  #tail: Promise<void> = Promise.resolve();
  #ended = false;

  constructor(db: PGlite, wire: PGliteWire) {
    this.#db = db;
    this.#wire = wire;
  }

  async connect(): Promise<PostgresPoolClient> {
    if (this.#ended) throw new InternalError('The embedded database has been closed.', { code: 'db.closed' });
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => turn);
    await previous;
    const db = this.#db;
    const { serialize } = this.#wire.protocol;
    const { parseResults } = this.#wire.parse;
    let released = false;
    return {
      async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
        const values = parameters.map((value) => pgUtils.prepareValue(value) as string | Buffer | null);
        const message = Buffer.concat([serialize.parse({ text: sql }), serialize.bind({ values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]);
        let messages;
        try {
          ({ messages } = await db.execProtocol(message));
        } catch (error) {
          // As PGlite's own query does: the statement travels with its error.
          if (error instanceof Error) Object.assign(error, { query: sql, params: parameters });
          throw error;
        }
        const result = parseResults(messages, db.parsers)[0];
        const rows = (result?.rows ?? []) as R[];
        const word = sql.trimStart().split(/\s/, 1)[0]?.toUpperCase() as Command;
        return {
          command: COMMANDS.has(word) ? word : 'SELECT',
          rowCount: result?.affectedRows ?? rows.length,
          rows,
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
