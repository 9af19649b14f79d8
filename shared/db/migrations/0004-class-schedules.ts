import { sql, type Kysely } from 'kysely';

// Migrations take `Kysely<any>`: they must not depend on today's schema types.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Class schedules from course.yaml (a course's time zone and caption requirement, each lesson's
 * class time and expected files) and the readiness alerts sent for them: one row per lesson,
 * class time and threshold, claimed before the notification goes out, so a sweep that runs twice
 * (or twice at once) sends each alert once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('courses')
    .addColumn('time_zone', 'text')
    .addColumn('require_captions', 'boolean', (col) => col.notNull().defaultTo(false))
    .execute();
  await db.schema.alterTable('lessons').addColumn('scheduled_at', 'timestamptz').addColumn('expects', 'jsonb').execute();
  await db.schema.createIndex('lessons_scheduled_at').on('lessons').column('scheduled_at').where(sql.ref('scheduled_at'), 'is not', null).execute();
  await db.schema
    .createTable('readiness_alerts')
    .addColumn('course_slug', 'text', (col) => col.notNull())
    .addColumn('lesson_slug', 'text', (col) => col.notNull())
    .addColumn('scheduled_at', 'timestamptz', (col) => col.notNull())
    .addColumn('alert', 'text', (col) => col.notNull())
    .addColumn('severity', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('detail', 'jsonb', (col) => col.notNull())
    .addColumn('claimed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addPrimaryKeyConstraint('readiness_alerts_pkey', ['course_slug', 'lesson_slug', 'scheduled_at', 'alert'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('readiness_alerts').execute();
  await db.schema.dropIndex('lessons_scheduled_at').execute();
  await db.schema.alterTable('lessons').dropColumn('expects').dropColumn('scheduled_at').execute();
  await db.schema.alterTable('courses').dropColumn('require_captions').dropColumn('time_zone').execute();
}
