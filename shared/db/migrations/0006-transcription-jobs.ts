import { sql, type Kysely } from 'kysely';

// Migrations take `Kysely<any>`: they must not depend on today's schema types.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * transcription_jobs: one row per Transcribe job (per job name) of a video's automatic captions —
 * the job name ↔ task token mapping `transcription-events` needs to answer the waiting
 * SubmitTranscription task, and where the job writes its subtitles (docs/captions.md).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('transcription_jobs')
    .addColumn('job_name', 'text', (c) => c.primaryKey())
    .addColumn('asset_version_id', 'text', (c) => c.notNull().references('asset_versions.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('run', 'text', (c) => c.notNull())
    .addColumn('task_token', 'text')
    .addColumn('execution_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('SUBMITTING', 'QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'LOST')`))
    .addColumn('language', 'text')
    .addColumn('language_code', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('plan', 'jsonb', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('callback_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('transcription_jobs_version_attempt_unique', ['asset_version_id', 'attempt'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('transcription_jobs').execute();
}
