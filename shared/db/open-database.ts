/**
 * Opening a database from the command line, the local stack and tests: any PostgreSQL URL, or the
 * embedded PGlite through kysely's own PostgresDialect (a `pg.Pool`-shaped wrapper), so the SQL
 * is the production SQL. Not imported by Lambda handlers (PGlite is half a megabyte).
 *
 * A new embedded database starts from an image — a data directory already initialised and
 * migrated, made once by the build (`npm run build`, `dist/shared/db/pglite-image/`) — instead
 * of running initdb inside WebAssembly (seconds of CPU) on every new state folder. The image is a
 * plain folder, copied by the file system (tens of milliseconds for its 40 MB): a gzipped tarball
 * loaded through PGlite cost half a second of gunzip, untar and writes, and 150 MB of memory.
 */
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import type { PGlite as PGliteClass, PGliteOptions, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import type { LecternDb, PgTarget } from './database.js';
import { migrateToLatest } from './migrate.js';
import { PGlitePool, type PGliteWire } from './pglite-pool.js';
import { InternalError } from '../contract/errors.js';
import type { Database } from './schema.js';

export { migrateIfNeeded, migrateToLatest } from './migrate.js';
export type { LecternDb } from './database.js';

export type DatabaseTarget = PgTarget | { pglite: string | 'memory'; /** the image a new database starts from (default: the build's) */ image?: string | null };

/** The build's image: beside this module once compiled, in dist/ when run from the sources (tests). */
const IMAGE_CANDIDATES = [new URL('./pglite-image', import.meta.url), new URL('../../dist/shared/db/pglite-image', import.meta.url)].map((url) => fileURLToPath(url));

/** The image folder a new embedded database starts from, if the build made one. */
export function defaultDatabaseImage(): string | undefined {
  return IMAGE_CANDIDATES.find((dir) => existsSync(path.join(dir, 'PG_VERSION')));
}

/**
 * PostgreSQL's memory inside PGlite, bounded for a laptop. Its shared memory is one mapping that
 * the WebAssembly's `mmap` zeroes at every start, at baseline-compiled speed (~3.5 ms a MB here): at
 * PostgreSQL's sizes for a server — 16 MB of shared buffers, slots for 100 connections, 16
 * autovacuum workers, 10 WAL senders and replication slots — that was 24 MB and ~80 ms of every
 * `lectern run`'s start. PGlite is one backend in single-user mode, with no autovacuum launcher,
 * no replication and no other connection, so those slots are never used; 4 MB of buffers hold the
 * working set of a busy lesson (a 1,000-quiz lesson's tables and indexes are ~2 MB; the operating
 * system caches the rest of the files). 7 MB in all. Work memory stays small too.
 */
const PGLITE_SETTINGS = [
  'shared_buffers=4MB',
  'max_connections=4',
  'autovacuum_worker_slots=1',
  'max_wal_senders=0',
  'max_replication_slots=0',
  'work_mem=2MB',
  'maintenance_work_mem=8MB',
  'temp_buffers=2MB',
];

function pgliteMemory(PGlite: typeof PGliteClass): Pick<PGliteOptions, 'startParams'> {
  return { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((setting) => ['-c', setting])] };
}

/**
 * How V8 compiles the embedded database's WebAssembly (PGlite, 9 MB), chosen before it is first
 * opened. 'baseline' keeps it on Liftoff, V8's baseline compiler: for a short run the optimising
 * tier is mostly cost — recompiling the hot functions again in every process took a third of a
 * one-quiz `lectern run`'s CPU and 60 MB of its memory — while past a few hundred uploads the
 * optimised code pays for itself (at 1,000 quizzes Liftoff alone cost 17 % more CPU).
 * Has no effect once a database was opened in this process.
 */
export function setWasmTiering(mode: 'baseline' | 'optimising'): void {
  v8.setFlagsFromString(mode === 'baseline' ? '--liftoff-only' : '--no-liftoff-only');
}

export async function createDatabase(target: DatabaseTarget): Promise<LecternDb> {
  // Each engine's client is loaded only when it is the one opened (pg's is ~8 ms of a start).
  if (!('pglite' in target)) return (await import('./pg-database.js')).createPgDatabase(target);
  const { PGlite, types, protocol, parse } = await import('@electric-sql/pglite');
  const image = target.image === null ? undefined : (target.image ?? defaultDatabaseImage());
  if (target.pglite === 'memory') {
    const options: PGliteOptions = { ...pgliteMemory(PGlite), ...(image ? { loadDataDir: new Blob([tarOf(image)]) } : {}) };
    const db = new (withKnownArrayTypes(PGlite, types, image, false))(options);
    await db.waitReady;
    return kyselyOver(db, { protocol, parse });
  }
  if (image && !existsSync(path.join(target.pglite, 'PG_VERSION'))) await seedFromImage(image, target.pglite);
  await mkdir(target.pglite, { recursive: true });
  const db = new (withKnownArrayTypes(PGlite, types, target.pglite, true))(target.pglite, pgliteMemory(PGlite));
  await db.waitReady;
  return kyselyOver(db, { protocol, parse });
}

/**
 * PGlite's own start ends with a catalog query for every array type, to parse and serialise
 * arrays of each (~45 ms of a `lectern run`'s start, the first query of a fresh process). The
 * built-in types' answer is fixed for a PostgreSQL major version, so it is kept beside the data:
 * the image is made with it (`createDatabaseImage`), a new state folder copies it, and a folder
 * made before the image carried it gets it at its next start. Only built-in types are kept
 * (lectern's schema declares no types of its own and no array columns); a data folder without the
 * file, or of another PostgreSQL version, asks the catalog.
 */
const ARRAY_TYPES_FILE = 'lectern-array-types.json';
const BUILTIN_ARRAY_TYPES_SQL = `SELECT b.oid, b.typarray FROM pg_catalog.pg_type a JOIN pg_catalog.pg_type b ON b.oid = a.typelem
  WHERE a.typcategory = 'A' AND b.oid < 16384 GROUP BY b.oid, b.typarray ORDER BY b.oid`;

interface ArrayTypes {
  /** The data folder's PG_VERSION (its PostgreSQL major version). */
  postgres: string;
  /** [element type oid, array type oid]. */
  types: Array<[number, number]>;
}

function readArrayTypes(dataDir: string | undefined): ArrayTypes['types'] | undefined {
  if (!dataDir) return undefined;
  try {
    const known = JSON.parse(readFileSync(path.join(dataDir, ARRAY_TYPES_FILE), 'utf8')) as ArrayTypes;
    const postgres = readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim();
    return known.postgres === postgres && Array.isArray(known.types) && known.types.length > 0 ? known.types : undefined;
  } catch {
    return undefined;
  }
}

async function writeArrayTypes(db: PGliteClass, dataDir: string): Promise<void> {
  const { rows } = await db.query<{ oid: number; typarray: number }>(BUILTIN_ARRAY_TYPES_SQL);
  const known: ArrayTypes = { postgres: readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim(), types: rows.map((r) => [r.oid, r.typarray]) };
  writeFileSync(path.join(dataDir, ARRAY_TYPES_FILE), JSON.stringify(known));
}

/**
 * PGlite whose start takes the array types from `dataDir`'s list when it has one (see above);
 * without one it asks the catalog, and with `keep` writes the list there for the next start.
 */
function withKnownArrayTypes(PGlite: typeof PGliteClass, types: typeof pgliteTypes, dataDir: string | undefined, keep: boolean): typeof PGliteClass {
  return class extends PGlite {
    override async _initArrayTypes(options: { force?: boolean } = {}): Promise<void> {
      const known = options.force ? undefined : readArrayTypes(dataDir);
      if (!known) {
        await super._initArrayTypes(options);
        // Best effort: a folder that cannot be written still opens, and asks again next time.
        if (keep && dataDir) await writeArrayTypes(this, dataDir).catch(() => undefined);
        return;
      }
      for (const [element, array] of known) {
        this.serializers[array] = (value) => types.arraySerializer(value, this.serializers[element], array);
        this.parsers[array] = (value) => types.arrayParser(value, this.parsers[element] as (x: string, typeId?: number) => unknown, array);
      }
    }
  };
}

/**
 * Copies the image into `dir`, which has no database yet. The copy is made beside it and renamed
 * into place, so a database folder is whole or absent: a process killed while copying leaves no
 * half database, and of two processes seeding the same folder one wins and the other's copy is
 * dropped.
 */
async function seedFromImage(image: string, dir: string): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true });
  const staging = await mkdtemp(path.join(path.dirname(dir), `.${path.basename(dir)}-seed-`));
  try {
    // cpSync copies natively; the asynchronous cp walks the 1,000 files in JavaScript (3× slower).
    cpSync(image, staging, { recursive: true });
    try {
      await rename(staging, dir); // replaces `dir` if it is an empty folder
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      if (existsSync(path.join(dir, 'PG_VERSION'))) return; // another process seeded it first
      // Files but no database (not one lectern made): the image is added to them, as initdb would.
      for (const entry of await readdir(staging)) cpSync(path.join(staging, entry), path.join(dir, entry), { recursive: true, force: false });
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Makes the image a new embedded database starts from in `dir` (which must not exist): a data
 * directory initialised by PGlite and migrated to the latest schema, closed cleanly.
 */
export async function createDatabaseImage(dir: string): Promise<void> {
  const { PGlite, types, protocol, parse } = await import('@electric-sql/pglite');
  // Its start finds no list of array types, asks the catalog, and keeps the answer in the image.
  const pglite = new (withKnownArrayTypes(PGlite, types, dir, true))(dir, pgliteMemory(PGlite));
  await pglite.waitReady;
  const db = kyselyOver(pglite, { protocol, parse });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}

/** An uncompressed tar of `dir` (ustar, names relative to it), the form PGlite loads a memory database from. */
function tarOf(dir: string): Uint8Array {
  const blocks: Buffer[] = [];
  const header = (name: string, size: number, type: '0' | '5', mode: number): Buffer => {
    const block = Buffer.alloc(512);
    const field = (offset: number, length: number, value: string) => block.write(value, offset, length, 'latin1');
    const octal = (offset: number, length: number, value: number) => field(offset, length - 1, value.toString(8).padStart(length - 1, '0'));
    if (Buffer.byteLength(name) > 100) throw new InternalError(`A database image file name is longer than tar allows: ${name}`, { code: 'db.image-name' });
    field(0, 100, name);
    octal(100, 8, mode);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, size);
    octal(136, 12, 0);
    field(148, 8, '        ');
    field(156, 1, type);
    field(257, 6, 'ustar');
    field(263, 2, '00');
    let sum = 0;
    for (const byte of block) sum += byte;
    field(148, 7, `${sum.toString(8).padStart(6, '0')}\0`);
    return block;
  };
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      const full = path.join(dir, name);
      if (entry.isDirectory()) {
        blocks.push(header(`${name}/`, 0, '5', 0o750));
        walk(name);
      } else if (entry.isFile()) {
        const bytes = readFileSync(full);
        blocks.push(header(name, bytes.length, '0', statSync(full).mode & 0o777));
        blocks.push(bytes);
        if (bytes.length % 512) blocks.push(Buffer.alloc(512 - (bytes.length % 512)));
      }
    }
  };
  walk('');
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function kyselyOver(pglite: PGliteClass, wire: PGliteWire): LecternDb {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PGlitePool(pglite, wire) }) });
}
