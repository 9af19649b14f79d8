/**
 * UpsertCourse: parse courses/<course>/course.yaml and record the course's title, description,
 * language, tags and lesson order in one transaction. Content problems are a verdict (with line
 * and column), not an error; database trouble is a transient error (retried by the state machine).
 * The CDN paths an access change touched are returned, not invalidated here: this function runs in
 * the database's VPC, where CloudFront's API (which has no VPC endpoint) cannot be reached, so the
 * state machine hands them to InvalidateCdn, which runs outside it.
 */
import type { CourseMetadata } from '../course/course-schema.js';
import { courseReason } from '../course/course-reasons.js';
import { parseCourse } from '../course/parse-course.js';
import { recordEnded } from '../db/asset-repository.js';
import { saveCourseMetadata } from '../db/course-repository.js';
import { writeReport } from '../contract/report.js';
import type { Deps } from '../runtime/deps.js';

/** What upsert course needs (its Lambda builds just this). */
export type UpsertCourseDeps = Pick<Deps, 'config' | 'db' | 'now' | 'uploads' | 'published'>;
import type { Validation, ValidateInput } from '../contract/pipeline.js';
import { readSource } from './read-source.js';
import { accessRecordKey, toAccessRecord } from '../access/access-record.js';
import { PUBLIC_PREFIX } from '../access/access-policy.js';
import { applyLessonAccess, publishedLessons, readAccessRecord } from './apply-lesson-access.js';

export const COURSE_FORMAT = 'course-yaml';

export async function upsertCourse(input: ValidateInput, deps: UpsertCourseDeps): Promise<Validation & { course?: CourseMetadata; invalidationPaths: string[] }> {
  const { upload } = input;
  const { bytes, sha256 } = await readSource(deps, upload);
  const result = parseCourse({ bytes, fileName: upload.fileName, limits: { maxBytes: deps.config.limits.maxBytes.course } });
  if (!result.ok) {
    return { accepted: false, format: COURSE_FORMAT, reasons: result.reasons, warnings: [], metadata: {}, contentSha256: sha256, artifacts: [], invalidationPaths: [] };
  }
  const { course } = result;
  const saved = await saveCourseMetadata(deps.db, {
    slug: upload.course,
    course,
    versionId: upload.assetVersionId,
    sourceTime: new Date(upload.source.eventTime ?? upload.receivedAt),
  });
  const warnings = saved.applied
    ? result.warnings
    : [
        ...result.warnings,
        courseReason('course.superseded', 'A newer course.yaml for this course was already recorded, so this older one changed nothing. Upload the file again if it is the one you want.'),
      ];
  const invalidationPaths = saved.applied ? await applyCourseAccess(upload.course, course, upload.assetVersionId, new Date(upload.source.eventTime ?? upload.receivedAt), deps) : [];
  // course.yaml has no published file of its own: recording it is publishing it.
  const metadata = { title: course.title, lessonCount: course.lessons?.length ?? 0 };
  const finishedAt = deps.now();
  const receivedAt = new Date(upload.receivedAt);
  await recordEnded(deps.db, {
    version: { id: upload.assetVersionId, source: upload.source, receivedAt, courseSlug: upload.course, fileName: upload.fileName, kind: 'course', executionId: input.executionId },
    status: 'published',
    format: COURSE_FORMAT,
    reasons: [],
    warnings,
    metadata,
    finishedAt,
  });
  await writeReport(deps.uploads, {
    key: upload.source.key,
    assetVersionId: upload.assetVersionId,
    status: 'published',
    kind: 'course',
    format: COURSE_FORMAT,
    reasons: [],
    warnings,
    metadata,
    receivedAt: upload.receivedAt,
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.max(0, finishedAt.getTime() - receivedAt.getTime()),
    executionId: input.executionId,
  });
  return {
    accepted: true,
    format: COURSE_FORMAT,
    reasons: [],
    warnings,
    metadata,
    contentSha256: sha256,
    artifacts: [],
    course,
    invalidationPaths,
  };
}

/**
 * Records the course's access beside its published files (unless a newer course.yaml already did)
 * and brings every published lesson in line with it: public lessons mirrored under public/, signed
 * ones not (apply-lesson-access.ts). Returns the CDN paths that changed, for InvalidateCdn.
 */
async function applyCourseAccess(slug: string, course: CourseMetadata, versionId: string, sourceTime: Date, deps: UpsertCourseDeps): Promise<string[]> {
  const current = await readAccessRecord(deps, slug);
  if (current && (current.sourceTime > sourceTime.toISOString() || (current.sourceTime === sourceTime.toISOString() && current.versionId > versionId))) return [];
  const record = toAccessRecord(slug, course, versionId, sourceTime);
  await deps.published.put(accessRecordKey(slug), `${JSON.stringify(record, null, 2)}\n`, { contentType: 'application/json' });
  const paths: string[] = [];
  const lessons = await publishedLessons(deps, slug);
  for (const lesson of lessons) paths.push(...(await applyLessonAccess(slug, lesson, deps, record)));
  // A retry of this very version finds its copies already made (or removed) and so nothing
  // changed; what the first attempt changed is unknown, so its invalidation covers the course's
  // public copies as a whole (one path) rather than being lost.
  const retried = current?.versionId === versionId && current.sourceTime === sourceTime.toISOString();
  if (retried && deps.config.access.stageDefault === 'signed' && lessons.length > 0) return [`/${PUBLIC_PREFIX}courses/${slug}/*`];
  return [...new Set(paths)].sort();
}
