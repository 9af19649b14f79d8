/**
 * The data that flows between the states of `publish-content`. Every state receives and returns
 * plain JSON (Step Functions payloads ≤ 256 KB): bytes never travel in the state, only keys.
 */
import type { SourceObject } from './asset-version.js';
import type { UploadKind } from './config.js';
import type { Reason } from './errors.js';

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
export interface Artifact {
  name: string;
  contentType: string;
  sha256: string;
  size: number;
  from: { store: 'uploads'; key: string };
}

export interface Validation {
  accepted: boolean;
  format?: string;
  reasons: Reason[];
  warnings: Reason[];
  metadata: Record<string, unknown>;
  /** SHA-256 of the source bytes: the content address of this version's outputs. */
  contentSha256?: string;
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
  sha256: string;
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
  error?: CaughtError;
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
}
