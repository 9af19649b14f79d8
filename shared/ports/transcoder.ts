/**
 * The transcoder port: submit a planned job, ask how it is doing. The AWS adapter is
 * MediaConvert (`shared/adapters/mediaconvert-transcoder.ts`); the local twin runs the same job
 * settings with ffmpeg (`local/ffmpeg-transcoder.ts`). Either announces progress and the end of
 * the job as "MediaConvert Job State Change" events, handled by `transcode-events`.
 */
import type { JobStatus, OutputGroupReport } from '../video/mediaconvert-events.js';
import type { JsonObject } from '../video/mediaconvert-settings.js';
import { LecternError } from '../contract/errors.js';

export interface SubmittedJob {
  jobId: string;
  status: JobStatus;
}

export interface JobState {
  jobId: string;
  status: JobStatus;
  /** 0–100 while the job runs. */
  progress?: number;
  errorCode?: number;
  errorMessage?: string;
  /** Set when the job is COMPLETE. */
  outputGroups?: OutputGroupReport[];
  userMetadata?: Record<string, string>;
}

export interface Transcoder {
  /**
   * Submits a CreateJob request (as planned by `planTranscode`). The same `ClientRequestToken`
   * again returns the same job instead of a second one.
   */
  createJob(request: JsonObject): Promise<SubmittedJob>;
  /** The job's state; `undefined` when no such job exists. */
  getJob(jobId: string): Promise<JobState | undefined>;
}

/** The transcoder cannot run at all here (the local twin without ffmpeg). Not the upload's fault. */
export class TranscoderUnavailableError extends LecternError {
  readonly code = 'transcoder.unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TranscoderUnavailableError';
  }
}
