/**
 * transcode_jobs: which MediaConvert job belongs to which asset version and which waiting task,
 * and how far it got. Writes are idempotent and monotonic: a job's status only moves forward
 * (SUBMITTING → SUBMITTED → PROGRESSING → COMPLETE | ERROR | CANCELED | LOST), progress only grows, and
 * a duplicate or late event rewrites nothing. Transaction pooling safe: single statements.
 */
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { OutputGroupReport } from '../video/mediaconvert-events.js';
import type { PlannedOutputs } from '../video/plan-transcode.js';
import { withDatabase, type LecternDb } from './database.js';
import type { TranscodeJobStatus, TranscodeJobsTable } from './schema.js';

export type TranscodeJobRow = Selectable<TranscodeJobsTable>;

export const FINAL_STATUSES: readonly TranscodeJobStatus[] = ['COMPLETE', 'ERROR', 'CANCELED', 'LOST'];
/** A job that ended without its outputs: the next attempt may be submitted. */
export const FAILED_STATUSES: readonly TranscodeJobStatus[] = ['ERROR', 'CANCELED', 'LOST'];

/** SQL rank of a status: a row only moves to a status of higher rank (finals are terminal). */
const rank = (column: string) =>
  sql<number>`(case ${sql.raw(column)} when 'SUBMITTING' then 0 when 'SUBMITTED' then 1 when 'PROGRESSING' then 2 else 3 end)`;

export async function latestJob(db: LecternDb, assetVersionId: string): Promise<TranscodeJobRow | undefined> {
  return withDatabase('reading the latest transcode job', () =>
    db.selectFrom('transcode_jobs').selectAll().where('asset_version_id', '=', assetVersionId).orderBy('attempt', 'desc').limit(1).executeTakeFirst(),
  );
}

export async function findJob(db: LecternDb, ref: { jobId?: string; requestToken?: string }): Promise<TranscodeJobRow | undefined> {
  return withDatabase('finding a transcode job', async () => {
    if (ref.jobId) {
      const row = await db.selectFrom('transcode_jobs').selectAll().where('job_id', '=', ref.jobId).executeTakeFirst();
      if (row) return row;
    }
    if (ref.requestToken) return db.selectFrom('transcode_jobs').selectAll().where('request_token', '=', ref.requestToken).executeTakeFirst();
    return undefined;
  });
}

export interface NewJob {
  requestToken: string;
  assetVersionId: string;
  attempt: number;
  stage: string;
  /** Null when no task waits (PollTranscode resubmitting). */
  taskToken: string | null;
  executionId: string;
  /** `runOf(…)`: the run of the execution submitting it. */
  run: string;
  expected: PlannedOutputs;
}

/** One run of an execution: its id and redrive count (a redrive or a replay is a new run). */
export function runOf(execution: { executionId: string; redriveCount?: number }): string {
  return `${execution.executionId}#${execution.redriveCount ?? 0}`;
}

/** How many jobs of this asset version the run has submitted (its share of the job budget). */
export async function attemptsInRun(db: LecternDb, assetVersionId: string, run: string): Promise<number> {
  const row = await withDatabase('counting transcode attempts', () =>
    db.selectFrom('transcode_jobs').select((eb) => eb.fn.countAll<string>().as('n')).where('asset_version_id', '=', assetVersionId).where('run', '=', run).executeTakeFirst(),
  );
  return Number(row?.n ?? 0);
}

/** A job whose runner no longer exists, or that MediaConvert does not know: LOST, so a new one may start. */
export async function markLost(db: LecternDb, requestToken: string, reason: string): Promise<TranscodeJobRow | undefined> {
  return recordJobUpdate(db, requestToken, { status: 'LOST', errorMessage: reason });
}

/**
 * Records the job before it is submitted (so an event that races CreateJob finds its task), or —
 * when SubmitTranscode runs again for the same request — binds the new task token to it.
 */
export async function upsertSubmitting(db: LecternDb, job: NewJob): Promise<TranscodeJobRow> {
  return withDatabase('recording a transcode job', () =>
    db
      .insertInto('transcode_jobs')
      .values({
        request_token: job.requestToken,
        asset_version_id: job.assetVersionId,
        attempt: job.attempt,
        stage: job.stage,
        task_token: job.taskToken,
        execution_id: job.executionId,
        run: job.run,
        status: 'SUBMITTING',
        expected: JSON.stringify(job.expected),
      })
      .onConflict((oc) =>
        oc.column('request_token').doUpdateSet((eb) => ({
          task_token: sql<string>`coalesce(${eb.ref('excluded.task_token')}, transcode_jobs.task_token)`,
          execution_id: eb.ref('excluded.execution_id'),
          updated_at: sql`now()`,
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

/** Binds a new waiting task (another attempt of SubmitTranscode, a replay) to an existing job. */
export async function bindTaskToken(db: LecternDb, requestToken: string, taskToken: string, executionId: string): Promise<void> {
  await withDatabase('binding a task token to a transcode job', () =>
    db
      .updateTable('transcode_jobs')
      .set({ task_token: taskToken, execution_id: executionId, updated_at: sql`now()` })
      .where('request_token', '=', requestToken)
      .execute(),
  );
}

export interface JobUpdate {
  jobId?: string;
  status?: TranscodeJobStatus;
  progress?: number;
  phase?: string;
  errorCode?: number;
  errorMessage?: string;
  outputGroups?: OutputGroupReport[];
  eventAt?: Date;
}

/** Applies what an event, CreateJob or GetJob said; never moves a job backwards. Returns the row. */
export async function recordJobUpdate(db: LecternDb, requestToken: string, update: JobUpdate): Promise<TranscodeJobRow | undefined> {
  return withDatabase('recording transcode progress', () => {
    const status = update.status;
    const advances = status ? sql<boolean>`(${rank('transcode_jobs.status')} < 3 and ${rank(`'${status}'`)} >= ${rank('transcode_jobs.status')})` : sql<boolean>`false`;
    return db
      .updateTable('transcode_jobs')
      .set({
        ...(update.jobId ? { job_id: sql<string>`coalesce(transcode_jobs.job_id, ${update.jobId})` } : {}),
        ...(status ? { status: sql<TranscodeJobStatus>`case when ${advances} then ${status} else transcode_jobs.status end` } : {}),
        ...(update.progress !== undefined ? { progress: sql<number>`greatest(transcode_jobs.progress, ${Math.round(update.progress)})` } : {}),
        ...(update.phase ? { phase: sql<string>`case when ${rank('transcode_jobs.status')} < 3 then ${update.phase} else transcode_jobs.phase end` } : {}),
        ...(update.errorCode !== undefined ? { error_code: sql<number>`case when ${advances} then ${update.errorCode} else transcode_jobs.error_code end` } : {}),
        ...(update.errorMessage !== undefined ? { error_message: sql<string>`case when ${advances} then ${update.errorMessage} else transcode_jobs.error_message end` } : {}),
        ...(update.outputGroups
          ? { output_groups: sql<string>`case when ${advances} then ${JSON.stringify(update.outputGroups)}::jsonb else transcode_jobs.output_groups end` }
          : {}),
        ...(status && FINAL_STATUSES.includes(status) ? { finished_at: sql<Date>`coalesce(transcode_jobs.finished_at, now())` } : {}),
        ...(update.eventAt ? { last_event_at: update.eventAt, events: sql<number>`transcode_jobs.events + 1` } : {}),
        updated_at: sql`now()`,
      })
      .where('request_token', '=', requestToken)
      .returningAll()
      .executeTakeFirst();
  });
}

/** The final callback reached a waiting task (or there was none to reach). */
export async function markCallbackDelivered(db: LecternDb, requestToken: string): Promise<void> {
  await withDatabase('recording a transcode callback', () =>
    db.updateTable('transcode_jobs').set({ callback_at: sql`coalesce(transcode_jobs.callback_at, now())` }).where('request_token', '=', requestToken).execute(),
  );
}
