/**
 * `lectern status`, as data: per course, lesson and asset — what students get now (the current
 * version and its URL), what is in flight, what was rejected and why, what failed and how to
 * replay it. Pure: built from the status rows.
 */
import type { StatusRow } from '../db/status-repository.js';
import type { Reason } from './errors.js';

export interface UploadStatus {
  assetVersionId: string;
  key: string;
  status: StatusRow['status'];
  kind?: string;
  format?: string;
  reasons: Reason[];
  warnings: Reason[];
  url?: string;
  receivedAt: string;
  finishedAt?: string;
  durationMs?: number;
  failedState?: string;
  error?: unknown;
  replay?: string;
  progress?: number;
  /** A `processing` upload that no longer moves: for how long, why, and what ops run. */
  stuck?: StuckUpload;
}

export interface StuckUpload {
  minutes: number;
  detail: string;
  fix: string;
}

/** A file in the upload bucket that has no record yet (never processed). */
export interface UnrecordedUpload {
  key: string;
  assetVersionId: string;
  since: string;
  detail: string;
}

export interface AssetStatus {
  fileName: string;
  kind?: string;
  /** The version students get, if any. */
  current?: { assetVersionId: string; url?: string; publishedAt?: string };
  uploads: UploadStatus[];
}

export interface LessonStatus {
  lesson: string;
  title?: string;
  position?: number;
  assets: AssetStatus[];
}

export interface CourseStatus {
  course: string;
  title?: string;
  lessons: LessonStatus[];
  /** course.yaml uploads. */
  uploads: UploadStatus[];
}

export interface StatusReport {
  summary: Record<StatusRow['status'], number>;
  courses: CourseStatus[];
  /** Uploads whose key does not place them in a course and lesson (rejected for their key). */
  unplaced: UploadStatus[];
  /** Files in the upload bucket with no record at all (known where the bucket was listed: locally). */
  unrecorded: UnrecordedUpload[];
}

export interface StatusOptions {
  replayCommand?: (row: StatusRow) => string;
  progress?: Map<string, number>;
  /** Uploads known to be stuck (locally: their execution ended without updating the record), by id. */
  stuck?: Map<string, { detail: string; fix: string }>;
  /** Elsewhere: a `processing` record unchanged this long is shown as stuck, with this fix. */
  stuckAfter?: { ms: number; fix: string };
  unrecorded?: UnrecordedUpload[];
  now?: Date;
}

export function buildStatusReport(rows: StatusRow[], options: StatusOptions = {}): StatusReport {
  const summary = { processing: 0, published: 0, rejected: 0, failed: 0 };
  const courses = new Map<string, CourseStatus>();
  const unplaced: UploadStatus[] = [];
  for (const row of rows) {
    summary[row.status]++;
    const upload = toUpload(row, options);
    if (!row.course_slug) {
      unplaced.push(upload);
      continue;
    }
    let course = courses.get(row.course_slug);
    if (!course) {
      course = { course: row.course_slug, ...(row.course_title ? { title: row.course_title } : {}), lessons: [], uploads: [] };
      courses.set(row.course_slug, course);
    }
    if (!row.lesson_slug) {
      course.uploads.push(upload);
      continue;
    }
    let lesson = course.lessons.find((l) => l.lesson === row.lesson_slug);
    if (!lesson) {
      lesson = {
        lesson: row.lesson_slug,
        ...(row.lesson_title ? { title: row.lesson_title } : {}),
        ...(row.lesson_position !== null ? { position: row.lesson_position } : {}),
        assets: [],
      };
      course.lessons.push(lesson);
    }
    const fileName = row.file_name ?? row.source_key.split('/').at(-1) ?? row.source_key;
    let asset = lesson.assets.find((a) => a.fileName === fileName);
    if (!asset) {
      asset = { fileName, ...(row.kind ? { kind: row.kind } : {}), uploads: [] };
      lesson.assets.push(asset);
    }
    if (row.is_current) {
      asset.current = { assetVersionId: row.id, ...(row.url ? { url: row.url } : {}), ...(row.finished_at ? { publishedAt: row.finished_at.toISOString() } : {}) };
    }
    asset.uploads.push(upload);
  }
  const ordered = [...courses.values()].sort((a, b) => a.course.localeCompare(b.course));
  for (const course of ordered) {
    course.lessons.sort((a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER) || a.lesson.localeCompare(b.lesson));
  }
  return { summary, courses: ordered, unplaced, unrecorded: options.unrecorded ?? [] };
}

function toUpload(row: StatusRow, options: StatusOptions): UploadStatus {
  const progress = options.progress?.get(row.id);
  const stuck = row.status === 'processing' ? stuckUpload(row, options) : undefined;
  return {
    assetVersionId: row.id,
    key: row.source_key,
    status: row.status,
    ...(row.kind ? { kind: row.kind } : {}),
    ...(row.format ? { format: row.format } : {}),
    reasons: (row.reasons ?? []) as Reason[],
    warnings: (row.warnings ?? []) as Reason[],
    ...(row.url ? { url: row.url } : {}),
    receivedAt: row.received_at.toISOString(),
    ...(row.finished_at ? { finishedAt: row.finished_at.toISOString() } : {}),
    ...(row.duration_ms !== null ? { durationMs: row.duration_ms } : {}),
    ...(row.failed_state ? { failedState: row.failed_state } : {}),
    ...(row.status === 'failed' && row.error ? { error: row.error } : {}),
    ...(row.status === 'failed' && options.replayCommand ? { replay: options.replayCommand(row) } : {}),
    ...(progress !== undefined && row.status === 'processing' ? { progress } : {}),
    ...(stuck ? { stuck } : {}),
  };
}

function stuckUpload(row: StatusRow, options: StatusOptions): StuckUpload | undefined {
  const now = options.now ?? new Date();
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(row.updated_at).getTime()) / 60_000));
  const known = options.stuck?.get(row.id);
  if (known) return { minutes, ...known };
  if (options.stuckAfter && now.getTime() - new Date(row.updated_at).getTime() > options.stuckAfter.ms) {
    return { minutes, detail: `its record has not changed for ${minutes} min`, fix: options.stuckAfter.fix };
  }
  return undefined;
}
