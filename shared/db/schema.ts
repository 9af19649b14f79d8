/** Table types for kysely. Column names are snake_case, as in SQL. */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type AssetStatus = 'processing' | 'published' | 'rejected' | 'failed';

export interface CoursesTable {
  id: Generated<number>;
  slug: string;
  title: string | null;
  description: string | null;
  /** From course.yaml (migration 0003). */
  language: string | null;
  tags: ColumnType<string[] | null, string | null, string | null>;
  /** The course.yaml version the metadata came from: only a newer upload may replace it. */
  metadata_version_id: string | null;
  metadata_source_time: ColumnType<Date | null, Date | string | null, Date | string | null>;
  /** From course.yaml (migration 0004): IANA zone of local class times; captions required. */
  time_zone: string | null;
  require_captions: Generated<boolean>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface LessonsTable {
  id: Generated<number>;
  course_id: number;
  slug: string;
  title: string | null;
  /** From course.yaml (migration 0003). */
  description: string | null;
  position: number | null;
  /** From course.yaml (migration 0004): when the class starts, and the files it needs. */
  scheduled_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  expects: ColumnType<ExpectedAssetRow[] | null, string | null, string | null>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface ExpectedAssetRow {
  file: string;
  optional: boolean;
}

/** One readiness alert per lesson, class time and threshold (migration 0004). */
export interface ReadinessAlertsTable {
  course_slug: string;
  lesson_slug: string;
  scheduled_at: Timestamp;
  /** `T-24h`, `T-2h`, `T-30m`, `missed`, or `all-clear@<threshold>`. */
  alert: string;
  severity: string;
  state: string;
  detail: Json<Record<string, unknown>>;
  claimed_at: Timestamp;
  /** Null while claimed but not yet delivered (a later sweep delivers it). */
  sent_at: Timestamp | null;
}

export interface AssetsTable {
  id: Generated<number>;
  lesson_id: number;
  file_name: string;
  stem: string;
  kind: string;
  /** The asset version students get; only ever moves forward in upload order. */
  current_version_id: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface AssetVersionsTable {
  /** `av-…`, derived from bucket + key + version id / ETag; also the execution name. */
  id: string;
  asset_id: number | null;
  source_bucket: string;
  source_key: string;
  source_etag: string;
  source_version_id: string | null;
  source_size: ColumnType<string | number, number, number>;
  source_event_time: Timestamp | null;
  course_slug: string | null;
  lesson_slug: string | null;
  file_name: string | null;
  kind: string | null;
  format: string | null;
  status: AssetStatus;
  reasons: Json<unknown[]>;
  warnings: Json<unknown[]>;
  metadata: Json<Record<string, unknown>>;
  outputs: Json<unknown[]>;
  content_sha256: string | null;
  url: string | null;
  execution_id: string | null;
  failed_state: string | null;
  error: Json<Record<string, unknown> | null>;
  attempts: Generated<number>;
  received_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  duration_ms: ColumnType<number | null, number | null, number | null>;
  updated_at: Generated<Timestamp>;
}

/** LOST (migration 0005): the job's runner no longer exists, or MediaConvert does not know the job. */
export type TranscodeJobStatus = 'SUBMITTING' | 'SUBMITTED' | 'PROGRESSING' | 'COMPLETE' | 'ERROR' | 'CANCELED' | 'LOST';

/** One MediaConvert job of an asset version (migration 0002): job id ↔ task token, progress. */
export interface TranscodeJobsTable {
  /** The job's `ClientRequestToken`: `<asset version id>-<attempt>`. */
  request_token: string;
  asset_version_id: string;
  attempt: number;
  stage: string;
  /** Set once CreateJob answered (or an event named it). */
  job_id: string | null;
  /** The SubmitTranscode task waiting for this job (latest binding); never logged. */
  task_token: string | null;
  execution_id: string | null;
  /** The run of the execution that submitted it, `<execution id>#<redrive count>` (migration 0005). */
  run: string | null;
  status: TranscodeJobStatus;
  progress: Generated<number>;
  phase: string | null;
  error_code: number | null;
  error_message: string | null;
  output_groups: ColumnType<unknown[] | null, string | null | undefined, string | null>;
  /** The planned outputs (`PlannedOutputs`) VerifyOutputs checks. */
  expected: Json<unknown>;
  events: Generated<number>;
  submitted_at: Generated<Timestamp>;
  last_event_at: Timestamp | null;
  finished_at: Timestamp | null;
  /** When the final callback (success or failure) was delivered to a waiting task. */
  callback_at: Timestamp | null;
  updated_at: Generated<Timestamp>;
}

export type TranscriptionJobStatus = 'SUBMITTING' | 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'LOST';

/** One Transcribe job of a video's automatic captions (migration 0006): job name ↔ task token. */
export interface TranscriptionJobsTable {
  /** `lectern-<stage>-<asset version id>-<attempt>`. */
  job_name: string;
  asset_version_id: string;
  attempt: number;
  stage: string;
  /** `<execution id>#<redrive count>`: the run that started it. */
  run: string;
  /** The SubmitTranscription task waiting for this job (latest binding); never logged. */
  task_token: string | null;
  execution_id: string | null;
  status: TranscriptionJobStatus;
  /** The language asked for (course.yaml), BCP 47; null: identified by Transcribe. */
  language: string | null;
  /** Transcribe's language code (asked for, or identified). */
  language_code: string | null;
  failure_reason: string | null;
  /** `TranscriptionOutcome` fields fixed at submission: subtitles and transcript keys. */
  plan: Json<unknown>;
  submitted_at: Generated<Timestamp>;
  finished_at: Timestamp | null;
  callback_at: Timestamp | null;
  updated_at: Generated<Timestamp>;
}

export interface Database {
  courses: CoursesTable;
  lessons: LessonsTable;
  assets: AssetsTable;
  asset_versions: AssetVersionsTable;
  transcode_jobs: TranscodeJobsTable;
  transcription_jobs: TranscriptionJobsTable;
  readiness_alerts: ReadinessAlertsTable;
}

export type AssetVersionRow = Selectable<AssetVersionsTable>;
export type NewAssetVersion = Insertable<AssetVersionsTable>;
