/**
 * SubmitTranscode (`lambda:invoke.waitForTaskToken`): plan the MediaConvert job, record it with
 * the task token in `transcode_jobs`, and submit it. The task then waits: `transcode-events`
 * answers it when the job ends (or PollTranscode takes over when events stop). This function only
 * starts the work; its return value is not the task's result.
 *
 * Idempotent per asset version: a job that is still running (or already COMPLETE, e.g. on a
 * replay) is reused — the new task token is bound to it, and a finished job answers at once; only
 * after a job ended in ERROR or CANCELED, or was lost, is a new one (the next attempt) submitted —
 * at most MAX_JOB_ATTEMPTS in one run of the execution; a redrive or replay starts a new budget. CreateJob
 * carries `ClientRequestToken` = `<asset version id>-<attempt>`, so a retried call inside
 * MediaConvert's idempotency window returns the same job.
 */
import type { Deps } from '../runtime/deps.js';

/** What submit transcode needs (its Lambda builds just this). */
export type SubmitTranscodeDeps = Pick<Deps, 'config' | 'db' | 'now' | 'published' | 'taskCallbacks' | 'transcoder' | 'uploads'>;
import { logger } from '../runtime/logger.js';
import { parseManifest, manifestKey } from '../contract/manifest.js';
import type { ClassifiedUpload, ExecutionRef, Validation } from '../contract/pipeline.js';
import { answerTask } from './answer-task.js';
import { captionsForVideo } from '../video/lesson-captions.js';
import { planTranscode } from '../video/plan-transcode.js';
import {
  attemptsInRun,
  bindTaskToken,
  FAILED_STATUSES,
  FINAL_STATUSES,
  latestJob,
  markCallbackDelivered,
  markLost,
  runOf,
  recordJobUpdate,
  upsertSubmitting,
  type TranscodeJobRow,
} from '../db/transcode-job-repository.js';
import { answerForJob, failureForJob, TranscodeFailedError } from '../video/transcode-outcome.js';
import { InternalError } from '../contract/errors.js';

/** How many jobs one run of an execution may submit for its upload (errors that a new job may cure). */
export const MAX_JOB_ATTEMPTS = 4;

export interface SubmitTranscodeInput extends ExecutionRef {
  upload: ClassifiedUpload;
  validation: Validation;
  taskToken: string;
  /** `$$.Execution.RedriveCount`: with the execution id, the run whose job budget this counts against. */
  redriveCount?: number;
}

export interface SubmitTranscodeResult {
  requestToken: string;
  attempt: number;
  jobId?: string;
  status: string;
  /** `submitted`: a new job; `reused`: bound to a running job; `answered`: the job had already ended. */
  action: 'submitted' | 'reused' | 'answered';
}

export async function submitTranscode(input: SubmitTranscodeInput, deps: SubmitTranscodeDeps): Promise<SubmitTranscodeResult> {
  const { upload, taskToken } = input;
  const latest = await stillThere(deps, await latestJob(deps.db, upload.assetVersionId));
  if (latest && !FAILED_STATUSES.includes(latest.status)) {
    await bindTaskToken(deps.db, latest.request_token, taskToken, input.executionId);
    if (latest.status === 'COMPLETE') {
      await answer(deps, latest, taskToken, upload.fileName);
      return { requestToken: latest.request_token, attempt: latest.attempt, ...(latest.job_id ? { jobId: latest.job_id } : {}), status: latest.status, action: 'answered' };
    }
    if (latest.job_id) {
      logger.info('transcode job already running: task rebound', { jobId: latest.job_id, attempt: latest.attempt });
      return { requestToken: latest.request_token, attempt: latest.attempt, jobId: latest.job_id, status: latest.status, action: 'reused' };
    }
    // Recorded but never confirmed submitted (a crash between the two): submit it again, same token.
    return startJob(deps, input, latest.attempt, taskToken);
  }
  // The budget is per run: a redrive or replay is an operator's decision that the cause is fixed.
  const spent = await attemptsInRun(deps.db, upload.assetVersionId, runOf(input));
  if (spent >= MAX_JOB_ATTEMPTS) {
    const failure = failureForJob(latest as TranscodeJobRow, upload.fileName);
    throw new TranscodeFailedError(
      `${MAX_JOB_ATTEMPTS} transcode jobs for this upload failed in this run; the last: ${failure.message.replace(/^\[[^\]]+\] /, '')} Fix the cause, then replay (lectern replay): a replay gets ${MAX_JOB_ATTEMPTS} new attempts.`,
    );
  }
  return startJob(deps, input, (latest?.attempt ?? 0) + 1, taskToken);
}

/**
 * The latest job as it really is: one recorded as running whose runner no longer exists (the
 * local twin's process died) or that MediaConvert does not know (GetJob NotFound) is marked LOST
 * now, so a new attempt starts at once instead of waiting out the heartbeat for events that
 * cannot come.
 */
export async function stillThere(deps: Pick<Deps, 'db' | 'transcoder'>, row: TranscodeJobRow | undefined): Promise<TranscodeJobRow | undefined> {
  if (!row?.job_id || FINAL_STATUSES.includes(row.status)) return row;
  if (await deps.transcoder.getJob(row.job_id)) return row;
  logger.warn('transcode job lost: its runner no longer exists', { jobId: row.job_id, attempt: row.attempt });
  return (await markLost(deps.db, row.request_token, `The transcode job ${row.job_id} (attempt ${row.attempt}) no longer exists: the transcoder lost it (its process stopped, or MediaConvert does not know it).`)) ?? row;
}

/**
 * Plans and submits attempt `attempt` of this upload's job. `taskToken` null: nobody waits for
 * events (PollTranscode resubmitting after a transient error polls the new job itself).
 */
export async function startJob(
  deps: SubmitTranscodeDeps,
  input: ExecutionRef & { upload: ClassifiedUpload; validation: Validation; redriveCount?: number },
  attempt: number,
  taskToken: string | null,
): Promise<SubmitTranscodeResult> {
  const { upload, validation } = input;
  if (!validation.media || !upload.lesson) throw new InternalError('SubmitTranscode needs a probed lesson video or audio upload.');
  const { config } = deps;
  const captions = validation.media.kind === 'video' ? await lessonCaptions(deps, upload) : [];
  const plan = planTranscode({
    assetVersionId: upload.assetVersionId,
    stage: config.stage,
    course: upload.course,
    lesson: upload.lesson,
    fileName: upload.fileName,
    source: { bucket: deps.uploads.bucket, key: upload.source.key },
    publishedBucket: deps.published.bucket,
    media: validation.media,
    captions,
    config: config.video,
    attempt,
  });
  const row = await upsertSubmitting(deps.db, {
    requestToken: plan.clientRequestToken,
    assetVersionId: upload.assetVersionId,
    attempt,
    stage: config.stage,
    taskToken,
    executionId: input.executionId,
    run: runOf(input),
    expected: plan.expected,
  });
  const job = await deps.transcoder.createJob(plan.request);
  const updated = await recordJobUpdate(deps.db, row.request_token, { jobId: job.jobId, status: job.status });
  logger.info('transcode job submitted', { jobId: job.jobId, attempt, renditions: plan.expected.hls.renditions.length, captions: captions.length });
  return { requestToken: row.request_token, attempt, jobId: job.jobId, status: updated?.status ?? job.status, action: 'submitted' };
}

/** Answers a waiting task for a job that already ended (a replay of a finished upload, say). */
async function answer(deps: SubmitTranscodeDeps, row: TranscodeJobRow, taskToken: string, fileName: string): Promise<void> {
  if (row.status !== 'COMPLETE' && !FINAL_STATUSES.includes(row.status)) return;
  if ((await answerTask(deps.taskCallbacks, taskToken, answerForJob(row, fileName))).delivered) await markCallbackDelivered(deps.db, row.request_token);
}

async function lessonCaptions(deps: SubmitTranscodeDeps, upload: ClassifiedUpload) {
  const key = manifestKey(upload.course, upload.lesson as string);
  const bytes = await deps.published.get(key);
  const manifest = bytes ? parseManifest(new TextDecoder().decode(bytes), key) : undefined;
  return captionsForVideo(manifest, upload.stem, deps.published.bucket);
}
