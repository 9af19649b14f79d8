/**
 * `lectern status`, as data: per course, lesson and asset — what students get now (the current
 * version and its URL), what is in flight, what was rejected and why, what failed and how to
 * replay it. Pure: built from the status rows.
 */
import type { StatusRow } from './db/status-repository.js';
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
}

export function buildStatusReport(rows: StatusRow[], options: { replayCommand?: (row: StatusRow) => string; progress?: Map<string, number> } = {}): StatusReport {
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
  return { summary, courses: ordered, unplaced };
}

function toUpload(row: StatusRow, options: { replayCommand?: (row: StatusRow) => string; progress?: Map<string, number> }): UploadStatus {
  const progress = options.progress?.get(row.id);
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
  };
}
