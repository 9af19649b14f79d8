/**
 * transcription-events: the EventBridge rule for "Transcribe Job State Change" events of this
 * stage's jobs (job names `lectern-<stage>-…`) invokes this. It records how the job ended in
 * `transcription_jobs` and answers the SubmitTranscription task waiting for it — COMPLETED →
 * SendTaskSuccess with where the subtitles are; FAILED → SendTaskFailure (`TranscriptionFailedError`,
 * caught into a warning); any other status → a heartbeat. Safe to receive anything, like
 * transcode-events: other stages' and unknown jobs, duplicates and late events are ignored.
 */
import type { Deps } from '../runtime/deps.js';
import { logger } from '../runtime/logger.js';
import { findTranscription, markTranscriptionAnswered, recordTranscriptionUpdate } from '../db/transcription-job-repository.js';
import { transcriptionJobPrefix } from '../transcription/plan-transcription.js';
import { parseTranscriptionStateChange } from '../transcription/transcribe-events.js';
import { answerForTranscription } from '../transcription/transcription-outcome.js';
import { answerTask } from './answer-task.js';

export type TranscriptionEventsDeps = Pick<Deps, 'config' | 'db' | 'taskCallbacks'>;

export interface TranscriptionEventResult {
  action: 'succeeded' | 'failed' | 'heartbeat' | 'recorded' | 'ignored';
  reason?: string;
  jobName?: string;
  status?: string;
}

export async function handleTranscriptionEvent(event: unknown, deps: TranscriptionEventsDeps): Promise<TranscriptionEventResult> {
  const parsed = parseTranscriptionStateChange(event);
  if ('ignored' in parsed) return ignored(parsed.ignored);
  const { jobName, status } = parsed;
  if (!jobName.startsWith(transcriptionJobPrefix(deps.config.stage))) return ignored('a job of another stage', jobName);
  const row = await findTranscription(deps.db, jobName);
  if (!row) return ignored('unknown job (not started by lectern in this stage)', jobName);
  const failureReason = status === 'FAILED' ? 'Amazon Transcribe reported FAILED (GetTranscriptionJob gives the reason).' : undefined;
  const current = (await recordTranscriptionUpdate(deps.db, jobName, { status, ...(failureReason ? { failureReason } : {}) })) ?? row;
  const token = current.task_token;
  if (!token) return { action: 'recorded', reason: 'no task waits for this job (PollTranscription follows it)', jobName, status: current.status };
  if (status === 'COMPLETED' || status === 'FAILED') {
    if (current.status !== status) return { ...ignored(`the job already ended as ${current.status}`, jobName), status: current.status };
    const delivery = await answerTask(deps.taskCallbacks, token, answerForTranscription(current));
    if (!delivery.delivered) return { ...ignored(`the waiting task is gone (${delivery.problem})`, jobName), status };
    await markTranscriptionAnswered(deps.db, jobName);
    logger.info('transcription job answered', { jobName, status });
    return { action: status === 'COMPLETED' ? 'succeeded' : 'failed', jobName, status };
  }
  const heartbeat = await answerTask(deps.taskCallbacks, token, { kind: 'heartbeat' });
  if (!heartbeat.delivered) return { ...ignored(`the waiting task is gone (${heartbeat.problem})`, jobName), status };
  return { action: 'heartbeat', jobName, status };
}

function ignored(reason: string, jobName?: string): TranscriptionEventResult {
  logger.info('transcription event ignored', { reason, jobName });
  return { action: 'ignored', reason, ...(jobName ? { jobName } : {}) };
}
