/**
 * Services the fault suites stop and start: a PgBouncer of their own (started with the very
 * script CI uses, `.ci/start-pgbouncer.sh`, on a free port and in a folder of its own, so that
 * killing it never disturbs other test files using the shared one on 6432), an s3rver that can be
 * stopped and started again on the same port with the same data, and throw-away databases.
 */
import { freePort } from '../helpers/free-port.js';
import { s3rverClient } from '../helpers/s3rver-client.js';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { REPO_ROOT } from '../../bench/lib/report.js';

const run = promisify(execFile);
export const POSTGRES = process.env.LECTERN_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432';


export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: `${POSTGRES}/postgres`, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A migrated-later, empty database on the local PostgreSQL; `drop()` removes it. */
export async function scratchDatabase(prefix = 'lectern_rel'): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  return { name, drop: () => adminQuery(`drop database if exists ${name} with (force)`).then(() => undefined) };
}

/** Why a private PgBouncer cannot run here (undefined when it can). */
export function pgbouncerUnavailable(): string | undefined {
  if (!['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].some((p) => existsSync(p))) return 'pgbouncer is not installed (apt-get install pgbouncer)';
  if (process.getuid?.() !== 0) return '.ci/start-pgbouncer.sh starts PgBouncer as the postgres user, which needs root';
  return undefined;
}

export interface PrivatePgbouncer {
  port: number;
  dir: string;
  /** postgres://… URL of `database` through this PgBouncer. */
  url(database: string): string;
  /** `bash .ci/start-pgbouncer.sh` with this folder and port (restarts a running one). */
  start(): Promise<void>;
  /** `kill <pid from pgbouncer.pid>`: SIGTERM, PgBouncer's immediate shutdown. */
  kill(): Promise<void>;
  dispose(): Promise<void>;
}

export async function privatePgbouncer(): Promise<PrivatePgbouncer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lectern-pgbouncer-'));
  const port = await freePort();
  const pidFile = path.join(dir, 'pgbouncer.pid');
  const pid = (): number | undefined => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) || undefined : undefined);
  const alive = (p: number): boolean => {
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };
  const bouncer: PrivatePgbouncer = {
    port,
    dir,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      await run('bash', [path.join(REPO_ROOT, '.ci/start-pgbouncer.sh')], { env: { ...process.env, PGBOUNCER_DIR: dir, PGBOUNCER_PORT: String(port) } });
    },
    async kill() {
      const p = pid();
      if (!p) return;
      process.kill(p, 'SIGTERM');
      for (let i = 0; i < 100 && alive(p); i++) await new Promise((r) => setTimeout(r, 50));
    },
    async dispose() {
      await bouncer.kill().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await bouncer.start();
  return bouncer;
}

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: { address: string; port: number; silent: boolean; directory: string; configureBuckets: Array<{ name: string }> }) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export interface RestartableS3 {
  client: S3Client;
  port: number;
  stop(): Promise<void>;
  /** A new s3rver on the same port over the same folder: the objects are still there. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function restartableS3rver(buckets: string[]): Promise<RestartableS3> {
  const directory = await mkdtemp(path.join(tmpdir(), 'lectern-s3rver-'));
  let server: S3rverInstance | undefined;
  let port = 0;
  const start = async (): Promise<void> => {
    const instance = new S3rver({ address: '127.0.0.1', port, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
    ({ port } = await instance.run());
    server = instance;
  };
  await start();
  const client = s3rverClient(port, { maxAttempts: 2 });
  return {
    client,
    port,
    start,
    async stop() {
      await server?.close();
      server = undefined;
    },
    async dispose() {
      client.destroy();
      await server?.close().catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export { freePort };
