/**
 * transcription_jobs: which Transcribe job makes a video's automatic captions, which task waits
 * for it, and how it ended. Writes are idempotent and monotonic like transcode_jobs': a status
 * only moves forward (SUBMITTING → QUEUED → IN_PROGRESS → COMPLETED | FAILED | LOST). Single
 * statements (transaction pooling safe).
 */
import { sql, type Selectable } from 'kysely';
import { withDatabase, type LecternDb } from './database.js';
import type { TranscriptionJobStatus, TranscriptionJobsTable } from './schema.js';

export type TranscriptionJobRow = Selectable<TranscriptionJobsTable>;

export const TRANSCRIPTION_FINAL: readonly TranscriptionJobStatus[] = ['COMPLETED', 'FAILED', 'LOST'];

const rank = (column: string) => sql<number>`(case ${sql.raw(column)} when 'SUBMITTING' then 0 when 'QUEUED' then 1 when 'IN_PROGRESS' then 2 else 3 end)`;

export async function latestTranscription(db: LecternDb, assetVersionId: string): Promise<TranscriptionJobRow | undefined> {
  return withDatabase('reading the latest transcription job', () =>
    db.selectFrom('transcription_jobs').selectAll().where('asset_version_id', '=', assetVersionId).orderBy('attempt', 'desc').limit(1).executeTakeFirst(),
  );
}

export async function findTranscription(db: LecternDb, jobName: string): Promise<TranscriptionJobRow | undefined> {
  return withDatabase('finding a transcription job', () => db.selectFrom('transcription_jobs').selectAll().where('job_name', '=', jobName).executeTakeFirst());
}

export async function transcriptionsInRun(db: LecternDb, assetVersionId: string, run: string): Promise<number> {
  const row = await withDatabase('counting transcription attempts', () =>
    db.selectFrom('transcription_jobs').select((eb) => eb.fn.countAll<string>().as('n')).where('asset_version_id', '=', assetVersionId).where('run', '=', run).executeTakeFirst(),
  );
  return Number(row?.n ?? 0);
}

export interface NewTranscription {
  jobName: string;
  assetVersionId: string;
  attempt: number;
  stage: string;
  run: string;
  taskToken: string | null;
  executionId: string;
  language?: string;
  languageCode?: string;
  plan: unknown;
}

/** Records the job before it is started (an event racing the start finds its task), or binds a new task token to it. */
export async function upsertTranscription(db: LecternDb, job: NewTranscription): Promise<TranscriptionJobRow> {
  return withDatabase('recording a transcription job', () =>
    db
      .insertInto('transcription_jobs')
      .values({
        job_name: job.jobName,
        asset_version_id: job.assetVersionId,
        attempt: job.attempt,
        stage: job.stage,
        run: job.run,
        task_token: job.taskToken,
        execution_id: job.executionId,
        status: 'SUBMITTING',
        language: job.language ?? null,
        language_code: job.languageCode ?? null,
        plan: JSON.stringify(job.plan),
      })
      .onConflict((oc) =>
        oc.column('job_name').doUpdateSet((eb) => ({
          task_token: sql<string>`coalesce(${eb.ref('excluded.task_token')}, transcription_jobs.task_token)`,
          execution_id: eb.ref('excluded.execution_id'),
          updated_at: sql`now()`,
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

export async function bindTranscriptionToken(db: LecternDb, jobName: string, taskToken: string, executionId: string): Promise<void> {
  await withDatabase('binding a task token to a transcription job', () =>
    db.updateTable('transcription_jobs').set({ task_token: taskToken, execution_id: executionId, updated_at: sql`now()` }).where('job_name', '=', jobName).execute(),
  );
}

/** Applies what an event, the start or a poll said; never moves a job backwards. */
export async function recordTranscriptionUpdate(
  db: LecternDb,
  jobName: string,
  update: { status: TranscriptionJobStatus; languageCode?: string; failureReason?: string },
): Promise<TranscriptionJobRow | undefined> {
  const advances = sql<boolean>`(${rank('transcription_jobs.status')} < 3 and ${rank(`'${update.status}'`)} >= ${rank('transcription_jobs.status')})`;
  return withDatabase('recording a transcription job update', () =>
    db
      .updateTable('transcription_jobs')
      .set({
        status: sql<TranscriptionJobStatus>`case when ${advances} then ${update.status} else transcription_jobs.status end`,
        ...(update.languageCode ? { language_code: sql<string>`coalesce(transcription_jobs.language_code, ${update.languageCode})` } : {}),
        ...(update.failureReason !== undefined ? { failure_reason: sql<string>`case when ${advances} then ${update.failureReason} else transcription_jobs.failure_reason end` } : {}),
        ...(TRANSCRIPTION_FINAL.includes(update.status) ? { finished_at: sql<Date>`coalesce(transcription_jobs.finished_at, now())` } : {}),
        updated_at: sql`now()`,
      })
      .where('job_name', '=', jobName)
      .returningAll()
      .executeTakeFirst(),
  );
}

export async function markTranscriptionAnswered(db: LecternDb, jobName: string): Promise<void> {
  await withDatabase('recording a transcription callback', () =>
    db.updateTable('transcription_jobs').set({ callback_at: sql`coalesce(transcription_jobs.callback_at, now())` }).where('job_name', '=', jobName).execute(),
  );
}
