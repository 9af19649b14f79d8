/**
 * The data that flows between the states of `publish-content`. Every state receives and returns
 * plain JSON (Step Functions payloads ≤ 256 KB): bytes never travel in the state, only keys.
 */
import type { SourceObject } from './asset-version.js';
import type { UploadKind } from './upload-key.js';
import type { Reason } from './errors.js';
import type { MediaSummary } from '../video/probe-verdict.js';
import type { TranscodeOutcome } from '../video/transcode-outcome.js';

export interface ExecutionRef {
  executionId: string;
  executionName: string;
}

export interface ClassifyInput extends ExecutionRef {
  source: SourceObject;
}

export interface ClassifiedUpload {
  assetVersionId: string;
  source: SourceObject;
  kind: UploadKind;
  course: string;
  lesson?: string;
  fileName: string;
  stem: string;
  /** When the upload arrived (the S3 event time); the start of upload-to-published latency. */
  receivedAt: string;
}

/** A file to publish: staged under the upload bucket's `_work/` prefix, or the source itself. */
export interface StagedArtifact {
  name: string;
  contentType: string;
  sha256: string;
  size: number;
  from: { store: 'uploads'; key: string };
}

/**
 * A file already written in place under the version's immutable prefix of the published bucket
 * (what MediaConvert produced); `name` is its path below the prefix, e.g. `hls/master.m3u8`.
 */
export interface InPlaceArtifact {
  name: string;
  contentType: string;
  size: number;
  from: { store: 'published'; key: string };
}

export type Artifact = StagedArtifact | InPlaceArtifact;

export interface Validation {
  accepted: boolean;
  format?: string;
  reasons: Reason[];
  warnings: Reason[];
  metadata: Record<string, unknown>;
  /** SHA-256 of the source bytes: the content address of this version's outputs. */
  contentSha256?: string;
  /**
   * The version's address when it is not derived from `contentSha256` (videos: the first 16 hex
   * of the asset version id, because hashing a 20 GB source is not worth a Lambda's time).
   */
  version?: string;
  /** Video and audio: what the probe found (the transcode plan's input). */
  media?: MediaSummary;
  artifacts: Artifact[];
}

export interface ValidateInput extends ExecutionRef {
  upload: ClassifiedUpload;
}

export interface PublishedOutput {
  name: string;
  key: string;
  url: string;
  contentType: string;
  size: number;
  /** Unknown for outputs a transcoder wrote in place. */
  sha256?: string;
}

export interface Published {
  /** Content address: first 16 hex of the source's SHA-256. */
  version: string;
  prefix: string;
  url: string;
  outputs: PublishedOutput[];
  manifestKey: string;
  /** Mutable paths to invalidate (empty when a newer version is already current). */
  invalidationPaths: string[];
}

export interface PublishInput extends ExecutionRef {
  upload: ClassifiedUpload;
  validation: Validation;
}

export interface InvalidateInput extends ExecutionRef {
  paths: string[];
}

export interface RecordInput extends ExecutionRef {
  upload: ClassifiedUpload;
  validation: Validation;
  published: Published;
}

/** What a Catch adds at `$.error`: Lambda's error name and its serialised error as the cause. */
export interface CaughtError {
  Error: string;
  Cause?: string;
}

/** The whole execution state, as MarkRejected and MarkFailed receive it. */
export interface ExecutionState {
  source: SourceObject;
  upload?: ClassifiedUpload;
  validation?: Validation;
  published?: Published;
  invalidation?: unknown;
  /** Video/audio: the transcode job's outcome (SubmitTranscode callback or PollTranscode). */
  transcode?: TranscodeOutcome;
  /** Video/audio: SubmitTranscode timed out (lost events); PollTranscode took over. */
  transcodeTimeout?: CaughtError;
  error?: CaughtError;
  /**
   * The state whose failure was caught into MarkFailed, recorded by the state machine itself (the
   * `<State>Failed` Pass states that `npm run build:asl` puts between each Catch and MarkFailed).
   */
  failedState?: string;
  /** What MarkFailed returned when a redrive resumed the execution. */
  failure?: FailureOutcome;
}

/** MarkFailed's result on a redrive: where to resume. (On a first failure it throws instead.) */
export interface FailureOutcome {
  resumeAt: string;
  /** The redrive count in which the execution resumed; a later failure in it is a new failure. */
  resumedInRedrive: number;
}

export interface MarkInput extends ExecutionRef {
  state: ExecutionState;
  /** `$$.Execution.RedriveCount`: 0 on the first attempt, n after n redrives. */
  redriveCount?: number;
}

export interface RecordResult {
  assetVersionId: string;
  status: 'published' | 'rejected' | 'failed';
  reportKey: string;
  /** RecordPublished: upload-to-published, as recorded (so the outcome needs no database read). */
  durationMs?: number;
}
