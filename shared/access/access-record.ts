/**
 * A course's access as the published bucket knows it: `access/<course>.json`, written by
 * UpsertCourse from course.yaml (newest wins, like the database row) and read by PublishAsset, the
 * preview and the CDN twin's callers. It lives in the published bucket, outside `courses/*` and
 * `public/*`, so the distribution never serves it; PublishAsset needs no database to read it.
 */
import type { CourseMetadata } from '../course/course-schema.js';
import { ACCESS_MODES, effectiveAccess, type AccessMode } from './access-policy.js';

export interface CourseAccessRecord {
  schemaVersion: 1;
  course: string;
  /** The course's own `access`; absent: the stage's default. */
  access?: AccessMode;
  /** Lessons with their own `access`. */
  lessons: Record<string, AccessMode>;
  /** The course.yaml upload it came from, and its S3 event time (an older one never replaces it). */
  versionId: string;
  sourceTime: string;
}

export function accessRecordKey(course: string): string {
  return `access/${course}.json`;
}

export function toAccessRecord(course: string, metadata: CourseMetadata, versionId: string, sourceTime: Date): CourseAccessRecord {
  const lessons: Record<string, AccessMode> = {};
  for (const lesson of metadata.lessons ?? []) if (lesson.access) lessons[lesson.slug] = lesson.access;
  return { schemaVersion: 1, course, ...(metadata.access ? { access: metadata.access } : {}), lessons, versionId, sourceTime: sourceTime.toISOString() };
}

export function parseAccessRecord(text: string): CourseAccessRecord | undefined {
  try {
    const value = JSON.parse(text) as CourseAccessRecord;
    const isMode = (mode: unknown) => (ACCESS_MODES as readonly unknown[]).includes(mode);
    if (value?.schemaVersion !== 1 || typeof value.lessons !== 'object' || (value.access !== undefined && !isMode(value.access))) return undefined;
    if (!Object.values(value.lessons).every(isMode)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

/** The access of one lesson: its own, else its course's, else the stage's default. */
export function lessonAccess(record: CourseAccessRecord | undefined, lesson: string, stageDefault: AccessMode): AccessMode {
  return effectiveAccess(stageDefault, record?.access, record?.lessons[lesson]);
}
