/**
 * What SubmitTranscription's callback and PollTranscription put at `$.transcription`, and how a
 * finished Transcribe job answers the waiting task. A failed job fails the task with
 * `TranscriptionFailedError`, which the state machine catches into MarkCaptionsMissing: the video
 * stays published, the report gets a warning, a metric counts it, and a replay tries again.
 */
import type { TranscriptionJobStatus } from '../db/schema.js';
import { LecternError } from '../contract/errors.js';
import type { TaskAnswer } from '../use-cases/answer-task.js';

export interface TranscriptionOutcome {
  /** The subtitles are written: PublishCaptions can run. */
  done: boolean;
  /** Why no job runs (captions reviewed by the educator exist, automatic captions are off). */
  skipped?: string;
  jobName?: string;
  attempt?: number;
  status?: TranscriptionJobStatus;
  /** The language asked for (course.yaml), BCP 47; absent: Transcribe identifies it. */
  language?: string;
  /** Transcribe's language code (asked for, or identified). */
  languageCode?: string;
  subtitlesKey?: string;
  transcriptKey?: string;
  /** A custom vocabulary was asked for but is not READY yet: this job ran without it. */
  vocabularyPending?: boolean;
}

/** The automatic captions could not be made; never the upload's fault, never the video's failure. */
export class TranscriptionFailedError extends LecternError {
  readonly code = 'captions.auto-failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TranscriptionFailedError';
  }
}

export interface TranscriptionRowLike {
  job_name: string;
  attempt: number;
  status: TranscriptionJobStatus;
  language: string | null;
  language_code: string | null;
  failure_reason: string | null;
  plan: unknown;
}

export function outcomeFromTranscription(row: TranscriptionRowLike): TranscriptionOutcome {
  const plan = (row.plan ?? {}) as { subtitlesKey?: string; transcriptKey?: string; vocabularyPending?: boolean };
  return {
    done: row.status === 'COMPLETED',
    jobName: row.job_name,
    attempt: row.attempt,
    status: row.status,
    ...(row.language ? { language: row.language } : {}),
    ...(row.language_code ? { languageCode: row.language_code } : {}),
    ...(plan.subtitlesKey ? { subtitlesKey: plan.subtitlesKey } : {}),
    ...(plan.transcriptKey ? { transcriptKey: plan.transcriptKey } : {}),
    ...(plan.vocabularyPending ? { vocabularyPending: true } : {}),
  };
}

/** How the waiting task is answered for a job that ended. */
export function answerForTranscription(row: TranscriptionRowLike): TaskAnswer {
  if (row.status === 'COMPLETED') return { kind: 'success', output: outcomeFromTranscription(row) };
  const message = `[captions.auto-failed] The speech recognition job ${row.job_name} ${row.status === 'LOST' ? 'was lost' : 'failed'}: ${row.failure_reason ?? 'no reason given'}`;
  return { kind: 'failure', error: 'TranscriptionFailedError', cause: JSON.stringify({ errorType: 'TranscriptionFailedError', errorMessage: message }) };
}
