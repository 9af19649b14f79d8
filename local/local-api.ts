/**
 * The state folder owner's API, on 127.0.0.1 under `/_lectern/api/`: what the other `lectern`
 * commands on the same folder send instead of opening it (see `state-folder-lock.ts`).
 *
 *   GET  hello                    who owns the folder, whether its transcoder can run
 *   POST upload?key=<key>         the bytes of one upload → its UploadResult (run, demo)
 *   POST replay / reconcile       the use-cases, on the owner's executions
 *   POST db/session, db/query, db/release
 *                                 the owner's database, one connection held per session, so reads
 *                                 and transactions (status, preview, migrate) run unchanged
 *
 * Every request carries `authorization: Bearer <token>` from `owner.json` (readable by its user
 * only): a web page cannot reach the database through the dev server.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { http } from './node-http.js';
import { CompiledQuery, Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
import type { LecternDb } from '../shared/db/database.js';
import type { Database } from '../shared/db/schema.js';
import type { ReconcileFinding, ReconcileOptions } from '../shared/use-cases/reconcile.js';
import type { ReplayItem, ReplayOptions } from '../shared/use-cases/replay-executions.js';
import type { UploadResult } from './local-stack.js';
import type { RouteHandler } from './preview/routes.js';
import type { StateFolderOwner } from './state-folder-lock.js';
import { InternalError } from '../shared/contract/errors.js';

/** What a command does with a state folder, whether it owns it or talks to its owner. */
export interface LocalWork {
  db: LecternDb;
  upload(key: string, bytes: Uint8Array): Promise<UploadResult>;
  replay(options: ReplayOptions): Promise<ReplayItem[]>;
  reconcile(options: ReconcileOptions): Promise<ReconcileFinding[]>;
  /** Whether videos and audio can be transcoded (ffmpeg on the owner's PATH). */
  transcoderAvailable(): Promise<boolean>;
}

const PREFIX = '/_lectern/api/';
/** A session whose client went away without releasing it is rolled back and released. */
const SESSION_IDLE_MS = 60_000;

interface Session {
  query(sql: string, parameters: unknown[]): Promise<{ rows: unknown[]; numAffectedRows?: string }>;
  release(): Promise<void>;
  touch(): void;
}

export function localApiRoutes(options: { work: LocalWork; owner: StateFolderOwner; onUpload?: (key: string, result: UploadResult) => void }): RouteHandler {
  const { work, owner } = options;
  const sessions = new Map<string, Session>();
  const expected = Buffer.from(`Bearer ${owner.token}`);

  return async function handleApi(request, response, url) {
    if (!url.pathname.startsWith(PREFIX)) return false;
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      reply(response, 401, { error: { name: 'Unauthorized', message: `the local API of ${owner.command} needs the token in its owner.json` } });
      return true;
    }
    try {
      const route = `${request.method ?? 'GET'} ${url.pathname.slice(PREFIX.length)}`;
      const body = request.method === 'POST' ? await readBody(request) : Buffer.alloc(0);
      const json = () => decode(body.toString('utf8') || '{}') as Record<string, unknown>;
      switch (route) {
        case 'GET hello':
          return reply(response, 200, { pid: owner.pid, command: owner.command, transcoder: await work.transcoderAvailable() });
        case 'POST upload': {
          const key = url.searchParams.get('key') ?? '';
          const result = await work.upload(key, new Uint8Array(body));
          options.onUpload?.(key, result);
          return reply(response, 200, result);
        }
        case 'POST replay':
          return reply(response, 200, await work.replay(json() as ReplayOptions));
        case 'POST reconcile':
          return reply(response, 200, await work.reconcile(json() as ReconcileOptions));
        case 'POST db/session': {
          const id = randomUUID();
          sessions.set(id, await openSession(work.db, () => sessions.delete(id)));
          return reply(response, 200, { session: id });
        }
        case 'POST db/query': {
          const { session, sql, parameters } = json() as { session: string; sql: string; parameters: unknown[] };
          const held = sessions.get(session);
          if (!held) return reply(response, 410, { error: { name: 'SessionGone', message: 'the database session expired; run the command again' } });
          held.touch();
          return reply(response, 200, await held.query(sql, parameters));
        }
        case 'POST db/release': {
          const { session } = json() as { session: string };
          await sessions.get(session)?.release();
          return reply(response, 200, {});
        }
        default:
          return reply(response, 404, { error: { name: 'NotFound', message: `no ${route} in the local API` } });
      }
    } catch (error) {
      const e = error as Error & { code?: string };
      return reply(response, 500, { error: { name: e.name, message: e.message, ...(e.code ? { code: e.code } : {}) } });
    }
  };
}

/** Holds one connection of the owner's pool until released (or idle too long). */
async function openSession(db: LecternDb, forget: () => void): Promise<Session> {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const connection = await new Promise<Kysely<Database>>((resolve, reject) => {
    db.connection()
      .execute(async (held) => {
        resolve(held);
        await finished;
      })
      .catch(reject);
  });
  let timer: NodeJS.Timeout | undefined;
  let released = false;
  const release = async (rollback: boolean) => {
    if (released) return;
    released = true;
    clearTimeout(timer);
    forget();
    // Never hand the connection back inside a transaction its client abandoned.
    if (rollback) await connection.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
    finish();
  };
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void release(true), SESSION_IDLE_MS);
    timer.unref();
  };
  touch();
  return {
    async query(sql, parameters) {
      const result = await connection.executeQuery(CompiledQuery.raw(sql, parameters));
      return { rows: result.rows, ...(result.numAffectedRows !== undefined ? { numAffectedRows: String(result.numAffectedRows) } : {}) };
    },
    release: () => release(false),
    touch,
  };
}

function reply(response: ServerResponse, status: number, value: unknown): true {
  const body = encode(value);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  response.end(body);
  return true;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON that keeps what database rows and parameters hold: dates, bigints, bytes. */
export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $date: raw.toISOString() };
    if (typeof raw === 'bigint') return { $bigint: raw.toString() };
    if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw).toString('base64') };
    return v;
  });
}

export function decode(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1) {
        if (typeof o.$date === 'string') return new Date(o.$date);
        if (typeof o.$bigint === 'string') return BigInt(o.$bigint);
        if (typeof o.$bytes === 'string') return new Uint8Array(Buffer.from(o.$bytes, 'base64'));
      }
    }
    return v;
  });
}

/** The owner's API from another process. */
export class OwnerClient {
  readonly owner: StateFolderOwner;
  readonly #agent = new http.Agent({ keepAlive: true });

  constructor(owner: StateFolderOwner) {
    this.owner = owner;
  }

  /** No timeout: a transcode through the owner takes as long as it takes. */
  request<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    const url = new URL(`${PREFIX}${route}`, this.owner.api);
    const payload = body instanceof Uint8Array ? Buffer.from(body) : body === undefined ? undefined : Buffer.from(encode(body));
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method,
          agent: this.#agent,
          headers: {
            authorization: `Bearer ${this.owner.token}`,
            ...(payload ? { 'content-type': body instanceof Uint8Array ? 'application/octet-stream' : 'application/json', 'content-length': payload.byteLength } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let value: unknown;
            try {
              value = decode(text);
            } catch {
              reject(new InternalError(`${this.owner.command} (pid ${this.owner.pid}) answered ${res.statusCode} with something that is not lectern's API at ${this.owner.api}`, { code: 'dependency.unexpected-answer' }));
              return;
            }
            if (res.statusCode === 200) resolve(value as T);
            else {
              const { name, message, code } = (value as { error?: { name?: string; message?: string; code?: string } }).error ?? {};
              reject(Object.assign(new Error(message ?? `HTTP ${res.statusCode}`), { name: name ?? 'Error', ...(code ? { code } : {}) }));
            }
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** Work sent to the owner of the state folder. */
export function remoteWork(client: OwnerClient): LocalWork {
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: new OwnerPool(client) }) }),
    upload: (key, bytes) => client.request('POST', `upload?key=${encodeURIComponent(key)}`, bytes),
    replay: (options) => client.request('POST', 'replay', options),
    reconcile: (options) => client.request('POST', 'reconcile', options),
    transcoderAvailable: async () => (await client.request<{ transcoder: boolean }>('GET', 'hello')).transcoder,
  };
}

type Command = PostgresQueryResult<unknown>['command'];
const COMMANDS = new Set<Command>(['UPDATE', 'DELETE', 'INSERT', 'SELECT', 'MERGE', 'COMMIT', 'ROLLBACK']);

/** A `pg.Pool`-shaped view of the owner's database: each client is one held session. */
class OwnerPool implements PostgresPool {
  readonly options = {};
  readonly #client: OwnerClient;
  readonly #releasing = new Set<Promise<unknown>>();

  constructor(client: OwnerClient) {
    this.#client = client;
  }

  async connect(): Promise<PostgresPoolClient> {
    const client = this.#client;
    const releasing = this.#releasing;
    const { session } = await client.request<{ session: string }>('POST', 'db/session');
    let released = false;
    return {
      async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
        const result = await client.request<{ rows: R[]; numAffectedRows?: string }>('POST', 'db/query', { session, sql, parameters });
        const word = sql.trimStart().split(/\s/, 1)[0]?.toUpperCase() as Command;
        return {
          command: COMMANDS.has(word) ? word : 'SELECT',
          rowCount: result.numAffectedRows !== undefined ? Number(result.numAffectedRows) : result.rows.length,
          rows: result.rows,
        };
      },
      release() {
        if (released) return;
        released = true;
        // The owner's embedded database has one connection: hand it back before the process ends.
        const done = client.request('POST', 'db/release', { session }).catch(() => undefined);
        releasing.add(done);
        void done.finally(() => releasing.delete(done));
      },
    } as PostgresPoolClient;
  }

  async end(): Promise<void> {
    await Promise.all(this.#releasing);
    this.#client.close();
  }
}
