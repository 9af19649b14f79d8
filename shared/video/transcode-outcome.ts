/**
 * What SubmitTranscode's callback and PollTranscode put at `$.transcode`, and how a finished job
 * becomes a task outcome: success with the outputs, or a failure whose error name routes it in the
 * state machine (`ValidationError` → MarkRejected; `DependencyUnavailableError` → retried as a
 * new job; `TranscodeFailedError` → MarkFailed). The cause is Lambda-shaped JSON
 * (`{"errorType","errorMessage"}`, message prefixed with the reason code), so MarkRejected and
 * MarkFailed read it exactly as they read a Lambda error.
 */
import type { TranscodeJobStatus } from '../db/schema.js';
import { classifyTranscodeError, type OutputGroupReport } from './mediaconvert-events.js';
import type { PlannedOutputs } from './plan-transcode.js';
import { LecternError } from '../contract/errors.js';
import type { TaskAnswer } from '../use-cases/answer-task.js';

export interface TranscodeOutcome {
  /** True when the job is COMPLETE and VerifyOutputs can run. */
  done: boolean;
  /**
   * PollTranscode: the job ended with an error a new job may cure (or was never submitted) — the
   * state machine goes back to SubmitTranscode, which submits the next attempt.
   */
  resubmit: boolean;
  jobId?: string;
  requestToken: string;
  attempt: number;
  status: TranscodeJobStatus;
  progress: number;
  expected: PlannedOutputs;
  outputGroups?: OutputGroupReport[];
}

/** The job failed, and it is neither the upload's fault nor worth another job. → MarkFailed. */
export class TranscodeFailedError extends LecternError {
  readonly code = 'pipeline.transcode-failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TranscodeFailedError';
  }
}

/** MediaConvert said COMPLETE, but what it left does not hold up (missing or broken outputs). */
export class TranscodeOutputsError extends LecternError {
  readonly code = 'pipeline.transcode-outputs';
  constructor(message: string) {
    super(message);
    this.name = 'TranscodeOutputsError';
  }
}

export interface JobRowLike {
  request_token: string;
  attempt: number;
  job_id: string | null;
  status: TranscodeJobStatus;
  progress: number;
  expected: unknown;
  output_groups: unknown;
  error_code: number | null;
  error_message: string | null;
}

export function outcomeFromRow(row: JobRowLike, resubmit = false): TranscodeOutcome {
  return {
    done: row.status === 'COMPLETE',
    resubmit,
    ...(row.job_id ? { jobId: row.job_id } : {}),
    requestToken: row.request_token,
    attempt: row.attempt,
    status: row.status,
    progress: row.status === 'COMPLETE' ? 100 : row.progress,
    expected: row.expected as PlannedOutputs,
    ...(Array.isArray(row.output_groups) ? { outputGroups: row.output_groups as OutputGroupReport[] } : {}),
  };
}

export interface TaskFailure {
  error: 'ValidationError' | 'DependencyUnavailableError' | 'TranscodeFailedError';
  cause: string;
  /** The `[code] message` the report shows. */
  message: string;
}

/** How an ERROR or CANCELED job fails the waiting task. */
export function failureForJob(row: Pick<JobRowLike, 'status' | 'error_code' | 'error_message' | 'job_id'>, fileName: string): TaskFailure {
  if (row.status === 'LOST') {
    return failure('TranscodeFailedError', 'pipeline.transcode-lost', row.error_message ?? `The transcode job ${row.job_id ?? ''} was lost before it finished.`);
  }
  if (row.status === 'CANCELED') {
    return failure('TranscodeFailedError', 'pipeline.transcode-canceled', `The MediaConvert job ${row.job_id ?? ''} was canceled before it finished; redrive the execution to transcode again.`);
  }
  const classified = classifyTranscodeError(row.error_code ?? undefined, row.error_message ?? undefined, fileName);
  const name = classified.owner === 'upload' ? 'ValidationError' : classified.owner === 'transient' ? 'DependencyUnavailableError' : 'TranscodeFailedError';
  return failure(name, classified.code, classified.message);
}

/** How the waiting task is answered for a job that ended: its outcome, or its failure. */
export function answerForJob(row: JobRowLike, fileName: string): TaskAnswer {
  if (row.status === 'COMPLETE') return { kind: 'success', output: outcomeFromRow(row) };
  const failure = failureForJob(row, fileName);
  return { kind: 'failure', error: failure.error, cause: failure.cause };
}

function failure(error: TaskFailure['error'], code: string, text: string): TaskFailure {
  const message = `[${code}] ${text}`;
  return { error, message, cause: JSON.stringify({ errorType: error, errorMessage: message }) };
}
