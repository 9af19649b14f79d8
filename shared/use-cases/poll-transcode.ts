/**
 * PollTranscode: the safety net for lost events. When SubmitTranscode's task times out
 * (`States.Timeout`, `States.HeartbeatTimeout`: no event reached it), the state machine asks
 * MediaConvert directly (GetJob) in a Task + Wait + Choice loop until the job has ended:
 *
 * - COMPLETE → `{ done: true, … }`, on to VerifyOutputs;
 * - still queued or running → `{ done: false, progress }`, wait and ask again;
 * - no such job (its runner died; MediaConvert NotFound) → LOST, and `{ resubmit: true }` at once;
 * - ERROR / CANCELED → the same mapping as the event path: the upload's fault → ValidationError
 *   (MarkRejected); an error a new job may cure → `{ resubmit: true }`, and the state machine goes
 *   back to SubmitTranscode for the next attempt; otherwise TranscodeFailedError (MarkFailed).
 *
 * A job that has not ended `maxTranscodeHours` after it was submitted is given up on. PollTranscode
 * only reads (GetJob, the database): submitting stays SubmitTranscode's job.
 */
import type { Deps } from '../runtime/deps.js';

/** What poll transcode needs (its Lambda builds just this). */
export type PollTranscodeDeps = Pick<Deps, 'config' | 'db' | 'now' | 'transcoder'>;
import { ValidationError } from '../contract/errors.js';
import { logger } from '../runtime/logger.js';
import type { ClassifiedUpload, ExecutionRef, Validation } from '../contract/pipeline.js';
import { attemptsInRun, latestJob, markLost, recordJobUpdate, runOf } from '../db/transcode-job-repository.js';
import { failureForJob, outcomeFromRow, TranscodeFailedError, type TranscodeOutcome } from '../video/transcode-outcome.js';
import { MAX_JOB_ATTEMPTS } from './submit-transcode.js';

export interface PollTranscodeInput extends ExecutionRef {
  upload: ClassifiedUpload;
  validation: Validation;
  /** `$$.Execution.RedriveCount`: the run whose job budget a resubmission counts against. */
  redriveCount?: number;
}

/** A job recorded but never confirmed submitted for this long is considered lost. */
const SUBMIT_GRACE_MS = 10 * 60 * 1000;

export async function pollTranscode(input: PollTranscodeInput, deps: PollTranscodeDeps): Promise<TranscodeOutcome> {
  const { upload } = input;
  const row = await latestJob(deps.db, upload.assetVersionId);
  if (!row) throw new TranscodeFailedError(`No transcode job was recorded for ${upload.fileName}; SubmitTranscode never submitted one.`);
  const age = deps.now().getTime() - new Date(row.submitted_at as unknown as Date | string).getTime();

  if (!row.job_id) {
    // Recorded but CreateJob never confirmed: SubmitTranscode submits it again (same token).
    if (age > SUBMIT_GRACE_MS) logger.info('transcode job never confirmed: back to SubmitTranscode', { attempt: row.attempt });
    return outcomeFromRow(row, age > SUBMIT_GRACE_MS);
  }
  const job = await deps.transcoder.getJob(row.job_id);
  if (!job) {
    // Lost with its runner (or unknown to MediaConvert): a new job, at once, while the run's budget lasts.
    const lost = (await markLost(deps.db, row.request_token, `The transcode job ${row.job_id} (attempt ${row.attempt}) no longer exists: the transcoder lost it.`)) ?? row;
    if ((await attemptsInRun(deps.db, upload.assetVersionId, runOf(input))) < MAX_JOB_ATTEMPTS) return outcomeFromRow(lost, true);
    throw new TranscodeFailedError(`The transcode job ${row.job_id} (attempt ${row.attempt}) for ${upload.fileName} no longer exists, and this run has used its ${MAX_JOB_ATTEMPTS} attempts. Fix the cause, then replay (lectern replay).`);
  }
  const updated =
    (await recordJobUpdate(deps.db, row.request_token, {
      status: job.status,
      ...(job.progress !== undefined ? { progress: job.progress } : {}),
      ...(job.errorCode !== undefined ? { errorCode: job.errorCode } : {}),
      ...(job.errorMessage !== undefined ? { errorMessage: job.errorMessage } : {}),
      ...(job.outputGroups ? { outputGroups: job.outputGroups } : {}),
    })) ?? row;
  logger.info('transcode job polled', { jobId: row.job_id, status: updated.status, progress: updated.progress });

  if (updated.status === 'ERROR' || updated.status === 'CANCELED') {
    const failure = failureForJob(updated, upload.fileName);
    const message = failure.message.replace(/^\[[^\]]+\] /, '');
    const code = /^\[([^\]]+)\]/.exec(failure.message)?.[1];
    if (failure.error === 'ValidationError') throw new ValidationError(message, { ...(code ? { code } : {}) });
    if (failure.error === 'DependencyUnavailableError' && (await attemptsInRun(deps.db, upload.assetVersionId, runOf(input))) < MAX_JOB_ATTEMPTS) {
      logger.info('transcode job failed with a transient error: back to SubmitTranscode', { jobId: row.job_id, errorCode: updated.error_code });
      return outcomeFromRow(updated, true);
    }
    throw new TranscodeFailedError(message);
  }
  if (updated.status !== 'COMPLETE' && age > deps.config.video.maxTranscodeHours * 3600 * 1000) {
    throw new TranscodeFailedError(
      `The MediaConvert job ${row.job_id} for ${upload.fileName} has not finished ${deps.config.video.maxTranscodeHours} hours after it was submitted (status ${updated.status}, ${updated.progress} %).`,
    );
  }
  return outcomeFromRow(updated);
}
