/**
 * The transcriber port: speech → WebVTT subtitles. The AWS adapter is Amazon Transcribe
 * (`shared/adapters/transcribe-transcriber.ts`); the local twin runs pocketsphinx on the same
 * request (`local/pocketsphinx-transcriber.ts`). Either announces the end of a job as a
 * "Transcribe Job State Change" event, handled by `transcription-events`, and writes the
 * subtitles where the request says (`<OutputKey><job name>.vtt` in `OutputBucketName`).
 */
import { LecternError } from '../contract/errors.js';
import type { JsonObject } from '../transcription/plan-transcription.js';

export type TranscriptionStatus = 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface TranscriptionJobState {
  jobName: string;
  status: TranscriptionStatus;
  /** The language transcribed (asked for, or identified). */
  languageCode?: string;
  failureReason?: string;
}

export type VocabularyState = 'READY' | 'PENDING' | 'FAILED';

export interface Transcriber {
  /** Starts a planned `StartTranscriptionJob` request; the same job name again answers its state (no second job). */
  startJob(request: JsonObject): Promise<TranscriptionJobState>;
  /** The job's state; undefined when no such job exists. */
  getJob(jobName: string): Promise<TranscriptionJobState | undefined>;
  /** Creates the custom vocabulary when it does not exist yet; says whether it can be used now. */
  ensureVocabulary(name: string, languageCode: string, phrases: string[]): Promise<VocabularyState>;
}

/** The transcriber cannot run here at all (the local twin without pocketsphinx). Not the upload's fault. */
export class TranscriberUnavailableError extends LecternError {
  readonly code = 'transcriber.unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TranscriberUnavailableError';
  }
}
