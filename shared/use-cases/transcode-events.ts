/**
 * transcode-events: the EventBridge rule for "MediaConvert Job State Change" events of this stage
 * (`detail.userMetadata.stage`) invokes this. It records what the job did in `transcode_jobs` and
 * answers the SubmitTranscode task waiting for the job:
 *
 * - COMPLETE → SendTaskSuccess with the outcome (the planned outputs and what MediaConvert wrote);
 * - ERROR / CANCELED → SendTaskFailure with MediaConvert's code and message, named so the state
 *   machine routes it (the upload's fault → MarkRejected; transient → a new job; else MarkFailed);
 * - PROGRESSING, STATUS_UPDATE and the other statuses → progress recorded, SendTaskHeartbeat.
 *
 * Safe to receive anything: events of other stages, of jobs lectern did not submit, duplicates,
 * and late events for tasks that already finished or timed out (TaskTimedOut / TaskDoesNotExist /
 * InvalidToken) are recorded where that makes sense and otherwise ignored. Only a failure to reach
 * the database or Step Functions is an error (EventBridge retries the invocation).
 */
import type { Deps } from '../runtime/deps.js';

/** What transcode events needs (its Lambda builds just this). */
export type TranscodeEventsDeps = Pick<Deps, 'config' | 'db' | 'taskCallbacks'>;
import { logger } from '../runtime/logger.js';
import { answerTask } from './answer-task.js';
import { parseJobStateChange, type JobStatus } from '../video/mediaconvert-events.js';
import { FINAL_STATUSES, findJob, markCallbackDelivered, recordJobUpdate, type TranscodeJobRow } from '../db/transcode-job-repository.js';
import { answerForJob } from '../video/transcode-outcome.js';

export interface TranscodeEventResult {
  action: 'succeeded' | 'failed' | 'heartbeat' | 'recorded' | 'ignored';
  /** Why nothing (more) was done: another stage, an unknown job, the task is gone, … */
  reason?: string;
  jobId?: string;
  status?: string;
  progress?: number;
}

export async function handleTranscodeEvent(event: unknown, deps: TranscodeEventsDeps): Promise<TranscodeEventResult> {
  const parsed = parseJobStateChange(event);
  if ('ignored' in parsed) return ignored(parsed.ignored);
  const { jobId, status, userMetadata } = parsed;
  if (userMetadata.stage && userMetadata.stage !== deps.config.stage) return ignored(`job of stage ${userMetadata.stage}`, jobId);
  const row = await findJob(deps.db, { jobId, ...(userMetadata.requestToken ? { requestToken: userMetadata.requestToken } : {}) });
  if (!row) return ignored('unknown job (not submitted by lectern in this stage)', jobId);

  const jobStatus: JobStatus | undefined = ['SUBMITTED', 'PROGRESSING', 'COMPLETE', 'ERROR', 'CANCELED'].includes(status) ? (status as JobStatus) : undefined;
  const updated = await recordJobUpdate(deps.db, row.request_token, {
    jobId,
    ...(jobStatus ? { status: jobStatus } : status === 'STATUS_UPDATE' || status === 'INPUT_INFORMATION' ? { status: 'PROGRESSING' as const } : {}),
    ...(status === 'COMPLETE' ? { progress: 100 } : parsed.progress !== undefined ? { progress: parsed.progress } : {}),
    ...(parsed.phase ? { phase: parsed.phase } : {}),
    ...(parsed.errorCode !== undefined ? { errorCode: parsed.errorCode } : {}),
    ...(parsed.errorMessage !== undefined ? { errorMessage: parsed.errorMessage } : {}),
    ...(parsed.outputGroups ? { outputGroups: parsed.outputGroups } : {}),
    eventAt: new Date(parsed.time),
  });
  const current = updated ?? row;
  const base = { jobId, status: current.status, progress: current.progress };
  const token = current.task_token;

  if (status === 'COMPLETE' || status === 'ERROR' || status === 'CANCELED') {
    if (current.status !== status) {
      // The job already ended differently (an ERROR after COMPLETE cannot happen; a stale event can).
      return { ...ignored(`the job already ended as ${current.status}`, jobId), status: current.status };
    }
    if (!token) return { action: 'recorded', reason: 'no task waits for this job (PollTranscode follows it)', ...base };
    return callback(deps, current, token, base);
  }
  if (FINAL_STATUSES.includes(current.status)) return { ...ignored(`a ${status} event after the job ended`, jobId), status: current.status };
  if (!token) return { action: 'recorded', ...base };
  const heartbeat = await answerTask(deps.taskCallbacks, token, { kind: 'heartbeat' });
  if (!heartbeat.delivered) return { ...ignored(`the waiting task is gone (${heartbeat.problem})`, jobId), ...base };
  logger.info('transcode progress', { jobId, status, progress: current.progress });
  return { action: 'heartbeat', ...base };
}

async function callback(deps: TranscodeEventsDeps, row: TranscodeJobRow, token: string, base: { jobId: string; status: string; progress: number }): Promise<TranscodeEventResult> {
  const delivery = await answerTask(deps.taskCallbacks, token, answerForJob(row, fileNameOf(row)));
  if (!delivery.delivered) {
    // A duplicate event, or one arriving after the task timed out and PollTranscode took over.
    logger.info('late or duplicate transcode event ignored', { jobId: base.jobId, status: row.status, problem: delivery.problem });
    return { ...ignored(`the waiting task is gone (${delivery.problem})`, base.jobId), ...base };
  }
  await markCallbackDelivered(deps.db, row.request_token);
  logger.info('transcode job answered', { jobId: base.jobId, status: row.status, errorCode: row.error_code ?? undefined });
  return { action: row.status === 'COMPLETE' ? 'succeeded' : 'failed', ...base };
}

function ignored(reason: string, jobId?: string): TranscodeEventResult {
  logger.info('transcode event ignored', { reason, jobId });
  return { action: 'ignored', reason, ...(jobId ? { jobId } : {}) };
}

/** The asset's file name, from the planned prefix `courses/<c>/lessons/<l>/<file>/<version>/`. */
function fileNameOf(row: TranscodeJobRow): string {
  const prefix = (row.expected as { prefix?: string } | null)?.prefix ?? '';
  return prefix.split('/')[4] ?? 'the upload';
}
