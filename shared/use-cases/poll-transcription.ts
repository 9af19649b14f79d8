/**
 * PollTranscription: the safety net for lost events, as PollTranscode is for MediaConvert. When
 * SubmitTranscription's task times out (no event reached it), the state machine asks Transcribe
 * (GetTranscriptionJob) in a Task + Wait + Choice loop: COMPLETED → `{ done: true }`; queued or
 * running → `{ done: false }`, wait and ask again; FAILED, unknown to Transcribe, or older than
 * `LECTERN_AUTO_CAPTIONS_MAX_HOURS` → TranscriptionFailedError (a warning; a replay tries again).
 */
import type { Deps } from '../runtime/deps.js';
import { logger } from '../runtime/logger.js';
import type { ClassifiedUpload, ExecutionRef } from '../contract/pipeline.js';
import { latestTranscription, recordTranscriptionUpdate } from '../db/transcription-job-repository.js';
import { outcomeFromTranscription, TranscriptionFailedError, type TranscriptionOutcome } from '../transcription/transcription-outcome.js';

export type PollTranscriptionDeps = Pick<Deps, 'config' | 'db' | 'now' | 'transcriber'>;

export interface PollTranscriptionInput extends ExecutionRef {
  upload: ClassifiedUpload;
}

export async function pollTranscription(input: PollTranscriptionInput, deps: PollTranscriptionDeps): Promise<TranscriptionOutcome> {
  const row = await latestTranscription(deps.db, input.upload.assetVersionId);
  if (!row) throw new TranscriptionFailedError(`No speech recognition job was recorded for ${input.upload.fileName}.`);
  const job = await deps.transcriber.getJob(row.job_name);
  if (!job) {
    await recordTranscriptionUpdate(deps.db, row.job_name, { status: 'LOST', failureReason: 'the transcriber does not know the job (its runner stopped)' });
    throw new TranscriptionFailedError(`The speech recognition job ${row.job_name} no longer exists. Replay the upload to try again.`);
  }
  const updated =
    (await recordTranscriptionUpdate(deps.db, row.job_name, {
      status: job.status,
      ...(job.languageCode ? { languageCode: job.languageCode } : {}),
      ...(job.failureReason ? { failureReason: job.failureReason } : {}),
    })) ?? row;
  logger.info('transcription job polled', { jobName: row.job_name, status: updated.status });
  if (updated.status === 'FAILED') throw new TranscriptionFailedError(`The speech recognition job ${row.job_name} failed: ${updated.failure_reason ?? 'no reason given'}`);
  const age = deps.now().getTime() - new Date(row.submitted_at as unknown as string).getTime();
  if (updated.status !== 'COMPLETED' && age > deps.config.autoCaptions.maxHours * 3600_000) {
    throw new TranscriptionFailedError(`The speech recognition job ${row.job_name} has not finished ${deps.config.autoCaptions.maxHours} hours after it started (status ${updated.status}).`);
  }
  return outcomeFromTranscription(updated);
}
