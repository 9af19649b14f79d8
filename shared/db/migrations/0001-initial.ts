import { sql, type Kysely } from 'kysely';

// Migrations take `Kysely<any>`: they must not depend on today's schema types.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('courses')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text')
    .addColumn('description', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('lessons')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('course_id', 'integer', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('position', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('lessons_course_slug_unique', ['course_id', 'slug'])
    .execute();

  await db.schema
    .createTable('assets')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('lesson_id', 'integer', (c) => c.notNull().references('lessons.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('stem', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('current_version_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('assets_lesson_file_unique', ['lesson_id', 'file_name'])
    .execute();

  await db.schema
    .createTable('asset_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('asset_id', 'integer', (c) => c.references('assets.id').onDelete('set null'))
    .addColumn('source_bucket', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('source_etag', 'text', (c) => c.notNull())
    .addColumn('source_version_id', 'text')
    .addColumn('source_size', 'bigint', (c) => c.notNull())
    .addColumn('source_event_time', 'timestamptz')
    .addColumn('course_slug', 'text')
    .addColumn('lesson_slug', 'text')
    .addColumn('file_name', 'text')
    .addColumn('kind', 'text')
    .addColumn('format', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('processing', 'published', 'rejected', 'failed')`))
    .addColumn('reasons', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('warnings', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('outputs', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('content_sha256', 'text')
    .addColumn('url', 'text')
    .addColumn('execution_id', 'text')
    .addColumn('failed_state', 'text')
    .addColumn('error', 'jsonb')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('duration_ms', 'bigint')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .alterTable('assets')
    .addForeignKeyConstraint('assets_current_version_fk', ['current_version_id'], 'asset_versions', ['id'])
    .onDelete('set null')
    .execute();

  await db.schema.createIndex('asset_versions_status_idx').on('asset_versions').columns(['status', 'updated_at']).execute();
  await db.schema.createIndex('asset_versions_source_key_idx').on('asset_versions').columns(['source_bucket', 'source_key']).execute();
  await db.schema.createIndex('asset_versions_asset_idx').on('asset_versions').column('asset_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('assets').dropConstraint('assets_current_version_fk').execute();
  await db.schema.dropTable('asset_versions').execute();
  await db.schema.dropTable('assets').execute();
  await db.schema.dropTable('lessons').execute();
  await db.schema.dropTable('courses').execute();
}
