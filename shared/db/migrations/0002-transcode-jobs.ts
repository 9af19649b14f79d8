import { sql, type Kysely } from 'kysely';

// Migrations take `Kysely<any>`: they must not depend on today's schema types.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * transcode_jobs: one row per MediaConvert job (per `ClientRequestToken`) of an asset version —
 * the job id ↔ task token mapping the `transcode-events` function needs to answer the waiting
 * SubmitTranscode task, the progress it reports, and what the job must produce.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('transcode_jobs')
    .addColumn('request_token', 'text', (c) => c.primaryKey())
    .addColumn('asset_version_id', 'text', (c) => c.notNull().references('asset_versions.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.unique())
    .addColumn('task_token', 'text')
    .addColumn('execution_id', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('SUBMITTING', 'SUBMITTED', 'PROGRESSING', 'COMPLETE', 'ERROR', 'CANCELED')`),
    )
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('phase', 'text')
    .addColumn('error_code', 'integer')
    .addColumn('error_message', 'text')
    .addColumn('output_groups', 'jsonb')
    .addColumn('expected', 'jsonb', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_event_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('callback_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('transcode_jobs_version_attempt_unique', ['asset_version_id', 'attempt'])
    .execute();
  await db.schema.createIndex('transcode_jobs_status_idx').on('transcode_jobs').columns(['status', 'updated_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('transcode_jobs').execute();
}
