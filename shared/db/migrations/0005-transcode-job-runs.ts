import { sql, type Kysely } from 'kysely';

// Migrations take `Kysely<any>`: they must not depend on today's schema types.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * transcode_jobs.run: which run of the execution submitted the job (`<execution id>#<redrive
 * count>`), so the per-upload job budget counts the attempts of one run and a redrive or replay —
 * an operator's decision that the cause is fixed — starts a new budget. Status `LOST`: a job whose
 * runner no longer exists (the local twin's process died) or that MediaConvert does not know.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('transcode_jobs').addColumn('run', 'text').execute();
  await sql`alter table transcode_jobs drop constraint if exists transcode_jobs_status_check`.execute(db);
  await sql`alter table transcode_jobs add constraint transcode_jobs_status_check check (status in ('SUBMITTING', 'SUBMITTED', 'PROGRESSING', 'COMPLETE', 'ERROR', 'CANCELED', 'LOST'))`.execute(db);
  await db.schema.createIndex('transcode_jobs_run_idx').on('transcode_jobs').columns(['asset_version_id', 'run']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('transcode_jobs_run_idx').execute();
  await sql`delete from transcode_jobs where status = 'LOST'`.execute(db);
  await sql`alter table transcode_jobs drop constraint if exists transcode_jobs_status_check`.execute(db);
  await sql`alter table transcode_jobs add constraint transcode_jobs_status_check check (status in ('SUBMITTING', 'SUBMITTED', 'PROGRESSING', 'COMPLETE', 'ERROR', 'CANCELED'))`.execute(db);
  await db.schema.alterTable('transcode_jobs').dropColumn('run').execute();
}
