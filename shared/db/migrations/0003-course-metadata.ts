import type { Kysely } from 'kysely';

// Migrations take `Kysely<any>`: they must not depend on today's schema types.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * course.yaml: a course's language and tags, each lesson's description, and which course.yaml
 * version (asset version id + S3 event time) the course's metadata came from — so a late-running
 * older upload never overwrites a newer one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('courses')
    .addColumn('language', 'text')
    .addColumn('tags', 'jsonb')
    .addColumn('metadata_version_id', 'text')
    .addColumn('metadata_source_time', 'timestamptz')
    .execute();
  await db.schema.alterTable('lessons').addColumn('description', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('lessons').dropColumn('description').execute();
  await db.schema
    .alterTable('courses')
    .dropColumn('metadata_source_time')
    .dropColumn('metadata_version_id')
    .dropColumn('tags')
    .dropColumn('language')
    .execute();
}
