/**
 * A new embedded database starts from the build's image — initialised and migrated — instead of
 * running initdb: it has the whole schema before anything is migrated, and an existing database is
 * never replaced by the image.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createDatabaseImage, migrateIfNeeded, migrateToLatest } from '../../shared/db/open-database.js';
import { isMigrated } from '../../shared/db/migrate.js';
import { MIGRATIONS } from '../../shared/db/migrations/index.js';

describe('the embedded database image', () => {
  let dir: string;
  let image: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-db-image-'));
    image = path.join(dir, 'image');
    await createDatabaseImage(image);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives a new state folder every migration and table without running them', async () => {
    const stateDb = path.join(dir, 'state', 'db');
    const db = await createDatabase({ pglite: stateDb, image });
    try {
      const applied = await db.selectFrom('kysely_migration' as never).select(sql<string>`name`.as('name')).execute();
      expect(applied.map((row) => row.name).sort()).toEqual(Object.keys(MIGRATIONS).sort());
      expect((await migrateToLatest(db)).results).toEqual([]);
      await sql`insert into courses (slug, title) values ('bio-101', 'Biology')`.execute(db);
    } finally {
      await db.destroy();
    }
    // Opened again, the folder keeps its own data: the image only seeds a folder without a database.
    const again = await createDatabase({ pglite: stateDb, image });
    try {
      const rows = await sql<{ title: string }>`select title from courses where slug = 'bio-101'`.execute(again);
      expect(rows.rows).toEqual([{ title: 'Biology' }]);
    } finally {
      await again.destroy();
    }
    // The copy was made beside the folder and renamed into place: nothing else is left there.
    expect(await readdir(path.join(dir, 'state'))).toEqual(['db']);
  });

  it('gives a database in memory the same schema', async () => {
    const db = await createDatabase({ pglite: 'memory', image });
    try {
      const applied = await db.selectFrom('kysely_migration' as never).select(sql<string>`name`.as('name')).execute();
      expect(applied.map((row) => row.name).sort()).toEqual(Object.keys(MIGRATIONS).sort());
    } finally {
      await db.destroy();
    }
  });

  it('migrates at start only when a migration is missing: a new database, one behind, one with a name lectern does not know', async () => {
    const db = await createDatabase({ pglite: 'memory', image: null });
    const names = async () => (await db.selectFrom('kysely_migration' as never).select(sql<string>`name`.as('name')).execute()).map((row) => row.name).sort();
    try {
      expect(await isMigrated(db)).toBe(false); // no kysely_migration table yet
      await migrateIfNeeded(db);
      expect(await names()).toEqual(Object.keys(MIGRATIONS).sort());
      expect(await isMigrated(db)).toBe(true);
      // Migrated already, a start reads kysely's table once and runs nothing of the migrator's.
      let statements = 0;
      const counted = db.withPlugin({ transformQuery: (args) => (statements++, args.node), transformResult: async (args) => args.result });
      await migrateIfNeeded(counted);
      expect(statements).toBe(1);

      // One behind: the migrator runs and applies just that one.
      const last = Object.keys(MIGRATIONS).sort().at(-1)!;
      await MIGRATIONS[last]!.down!(db);
      await sql`delete from kysely_migration where name = ${last}`.execute(db);
      expect(await isMigrated(db)).toBe(false);
      await migrateIfNeeded(db);
      expect(await names()).toEqual(Object.keys(MIGRATIONS).sort());

      // A name lectern does not know (a newer lectern migrated this database): not taken as migrated,
      // so the migrator's own check reports it rather than this shortcut hiding it.
      await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', now()::text)`.execute(db);
      expect(await isMigrated(db)).toBe(false);
      await expect(migrateIfNeeded(db)).rejects.toThrow(/9999-from-the-future|corrupted/i);
    } finally {
      await db.destroy();
    }
  });

  it("takes PostgreSQL's array types from the list kept beside the data instead of asking the catalog at every start", async () => {
    const arrays = sql<{ ints: unknown; texts: unknown }>`select array[1, 2]::int4[] as ints, array['a', 'b,c']::text[] as texts`;
    // A new folder copies the list with the image: arrays come back as arrays.
    const listed = path.join(dir, 'arrays-listed', 'db');
    const db = await createDatabase({ pglite: listed, image });
    try {
      expect((await arrays.execute(db)).rows).toEqual([{ ints: [1, 2], texts: ['a', 'b,c'] }]);
    } finally {
      await db.destroy();
    }
    // The list, not the catalog, is what the start used: a list that names only int4's array
    // leaves text[] unparsed (a start that queried the catalog would parse both).
    const list = JSON.parse(readFileSync(path.join(listed, 'lectern-array-types.json'), 'utf8')) as { postgres: string; types: Array<[number, number]> };
    expect(list.types).toContainEqual([23, 1007]);
    writeFileSync(path.join(listed, 'lectern-array-types.json'), JSON.stringify({ ...list, types: [[23, 1007]] }));
    const partial = await createDatabase({ pglite: listed, image });
    try {
      expect((await arrays.execute(partial)).rows).toEqual([{ ints: [1, 2], texts: '{a,"b,c"}' }]);
    } finally {
      await partial.destroy();
    }
    // A folder without the list (made before it existed) asks the catalog once and keeps the answer.
    const older = path.join(dir, 'arrays-older', 'db');
    cpSync(image, older, { recursive: true });
    rmSync(path.join(older, 'lectern-array-types.json'));
    const first = await createDatabase({ pglite: older, image });
    try {
      expect((await arrays.execute(first)).rows).toEqual([{ ints: [1, 2], texts: ['a', 'b,c'] }]);
    } finally {
      await first.destroy();
    }
    expect(existsSync(path.join(older, 'lectern-array-types.json'))).toBe(true);
  });

  it('starts with a few megabytes of shared memory', async () => {
    const db = await createDatabase({ pglite: path.join(dir, 'memory-bound', 'db'), image });
    try {
      // Every start zeroes the whole mapping: PostgreSQL's server-sized defaults made it 24 MB.
      const size = await sql<{ shared_memory_size: string }>`show shared_memory_size`.execute(db);
      expect(Number.parseInt(size.rows[0]?.shared_memory_size ?? '', 10)).toBeLessThanOrEqual(8);
    } finally {
      await db.destroy();
    }
  });
});
