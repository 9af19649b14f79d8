/**
 * A rotated database password reaches new connections at once. The shared test servers trust
 * every local connection, so this starts a PostgreSQL of its own that checks passwords
 * (scram-sha-256), rotates the user's password as Secrets Manager's rotation does (ALTER ROLE,
 * then the new value in the secret), and drops the connections as a proxy failover would.
 * The secret store is the one stand-in: a variable read through `secretPassword`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretPassword } from '../../shared/aws/database.js';
import { createPgDatabase } from '../../shared/db/pg-database.js';
import { freePort } from '../helpers/free-port.js';

const SUPERUSER_PASSWORD = 'superuser-secret';

function postgresBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().pop() : undefined;
  const bin = version ? path.join(root, version, 'bin', name) : '';
  if (!existsSync(bin)) throw new Error(`${name} not found under ${root}/<version>/bin: install the PostgreSQL server (apt-get install postgresql; .ci/run has it).`);
  return bin;
}

/** PostgreSQL refuses to run as root: as root (.ci/run) it runs as the postgres user; otherwise as us. */
const AS_ROOT = process.getuid?.() === 0;

function asPostgres(command: string, args: string[]): void {
  const [file, argv] = AS_ROOT ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: 'utf8', timeout: 240_000 });
  if (result.status !== 0) throw new Error(`${path.basename(command)} failed: ${result.stderr}${result.stdout}`);
}

let dir: string;
let port: number;
const admin = () => new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: SUPERUSER_PASSWORD, database: 'postgres' });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lectern-pg-rotation-'));
  chmodSync(dir, 0o700);
  const pwfile = path.join(dir, 'pwfile');
  writeFileSync(pwfile, SUPERUSER_PASSWORD);
  if (AS_ROOT) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    for (const file of [dir, pwfile]) chownSync(file, id('-u'), id('-g'));
  }
  // --no-sync and fsync=off: a throwaway cluster, which needs no durability.
  asPostgres(postgresBin('initdb'), ['-D', path.join(dir, 'data'), '-A', 'scram-sha-256', '-U', 'postgres', `--pwfile=${pwfile}`, '--no-sync']);
  port = await freePort();
  // -l: the server's output goes to a file; on pg_ctl's own stdout it would hold spawnSync's pipe
  // open (the server outlives pg_ctl) until the spawn's timeout, four minutes of this test.
  asPostgres(postgresBin('pg_ctl'), ['-D', path.join(dir, 'data'), '-l', path.join(dir, 'postgres.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const client = admin();
  await client.connect();
  await client.query("CREATE ROLE lectern_app LOGIN PASSWORD 'first-password'");
  await client.end();
}, 300_000);

afterAll(() => {
  if (dir && existsSync(path.join(dir, 'data', 'postmaster.pid'))) asPostgres(postgresBin('pg_ctl'), ['-D', path.join(dir, 'data'), '-w', '-m', 'fast', 'stop']);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What Secrets Manager's single-user rotation does: a new password in the database and the secret. */
async function rotate(secret: { value: string }, next: string): Promise<void> {
  const client = admin();
  await client.connect();
  await client.query(`ALTER ROLE lectern_app PASSWORD '${next}'`);
  // And the proxy drops its connections (failover, idle timeout): the next query needs a new one.
  await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'lectern_app'");
  await client.end();
  secret.value = next;
}

describe('a rotated database password', () => {
  it('reaches the next new connection: the refused password is read again from the secret, once', async () => {
    const secret = { value: 'first-password' };
    let reads = 0;
    const db = createPgDatabase({
      host: '127.0.0.1',
      port,
      database: 'postgres',
      user: 'lectern_app',
      maxConnections: 1,
      ssl: false,
      ...secretPassword(async () => {
        reads += 1;
        return secret.value;
      }),
    });
    try {
      const who = async () => (await sql<{ user: string }>`SELECT current_user AS user`.execute(db)).rows[0]?.user;
      expect(await who()).toBe('lectern_app');
      expect(await who()).toBe('lectern_app');
      expect(reads).toBe(1);

      await rotate(secret, 'second-password');
      // The idle connection was dropped; the pool notices and opens a new one with the cached
      // (old) password, is refused, reads the secret again and connects.
      await expect.poll(async () => who().catch((error: Error) => error.message), { timeout: 30_000 }).toBe('lectern_app');
      expect(reads).toBe(2);

      // A secret that is simply wrong still fails, after one fresh read: no loop.
      await rotate(secret, 'third-password');
      secret.value = 'not-the-password';
      await expect(who()).rejects.toThrow(/password authentication failed for user "lectern_app"/);
      expect(reads).toBe(3);
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
