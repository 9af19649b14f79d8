/**
 * Course metadata from course.yaml: the course row (title, description, language, tags) and its
 * lessons (title, description, position), written in one transaction.
 *
 * - Upserts keyed by natural keys (course slug; course + lesson slug): running twice writes the
 *   same rows, and a row whose values do not change is not touched (its `updated_at` stays).
 * - Lessons listed in the file get positions 1, 2, …; lessons of the course that the file does not
 *   list keep their rows (their assets stay published) but lose their position (`null`).
 *   A file without a `lessons` key leaves the lessons as they are.
 * - Only a newer course.yaml wins: the course remembers which upload (S3 event time, then asset
 *   version id) its metadata came from, and an older upload that finishes late changes nothing.
 */
import { sql } from 'kysely';
import type { CourseMetadata } from '../course/course-schema.js';
import { withDatabase, type LecternDb } from './database.js';

export interface CourseMetadataRecord {
  /** The course folder's slug. */
  slug: string;
  course: CourseMetadata;
  /** The course.yaml upload: its asset version id and when it was uploaded (S3 event time). */
  versionId: string;
  sourceTime: Date;
}

export interface SavedCourse {
  courseId: number;
  /** False when a newer course.yaml had already been recorded: nothing was changed. */
  applied: boolean;
}

export async function saveCourseMetadata(db: LecternDb, record: CourseMetadataRecord): Promise<SavedCourse> {
  const { slug, course, versionId, sourceTime } = record;
  return withDatabase('recording course metadata', () =>
    db.transaction().execute(async (trx) => {
      await trx
        .insertInto('courses')
        .values({
          slug,
          title: course.title,
          description: course.description ?? null,
          language: course.language ?? null,
          tags: course.tags ? JSON.stringify(course.tags) : null,
          time_zone: course.timeZone ?? null,
          require_captions: course.requireCaptions === true,
          metadata_version_id: versionId,
          metadata_source_time: sourceTime,
        })
        .onConflict((oc) =>
          oc
            .column('slug')
            .doUpdateSet((eb) => ({
              title: eb.ref('excluded.title'),
              description: eb.ref('excluded.description'),
              language: eb.ref('excluded.language'),
              tags: eb.ref('excluded.tags'),
              time_zone: eb.ref('excluded.time_zone'),
              require_captions: eb.ref('excluded.require_captions'),
              metadata_version_id: eb.ref('excluded.metadata_version_id'),
              metadata_source_time: eb.ref('excluded.metadata_source_time'),
              updated_at: sql`now()`,
            }))
            .where(
              sql<boolean>`(courses.metadata_source_time is null
                or (courses.metadata_source_time, courses.metadata_version_id) <= (excluded.metadata_source_time, excluded.metadata_version_id))`,
            )
            .where(
              sql<boolean>`(courses.title, courses.description, courses.language, courses.tags, courses.time_zone, courses.require_captions, courses.metadata_version_id, courses.metadata_source_time)
                is distinct from (excluded.title, excluded.description, excluded.language, excluded.tags, excluded.time_zone, excluded.require_captions, excluded.metadata_version_id, excluded.metadata_source_time)`,
            ),
        )
        .execute();
      // The conflicting row is locked by the upsert above, so this read sees the winner.
      const row = await trx.selectFrom('courses').select(['id', 'metadata_version_id']).where('slug', '=', slug).executeTakeFirstOrThrow();
      if (row.metadata_version_id !== versionId) return { courseId: row.id, applied: false };
      if (course.lessons) await saveLessons(trx, row.id, course.lessons);
      return { courseId: row.id, applied: true };
    }),
  );
}

async function saveLessons(trx: LecternDb, courseId: number, lessons: NonNullable<CourseMetadata['lessons']>): Promise<void> {
  if (lessons.length > 0) {
    await trx
      .insertInto('lessons')
      .values(
        lessons.map((lesson, index) => ({
          course_id: courseId,
          slug: lesson.slug,
          title: lesson.title,
          description: lesson.description ?? null,
          position: index + 1,
          scheduled_at: lesson.scheduledAt ?? null,
          expects: lesson.expects ? JSON.stringify(lesson.expects) : null,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['course_id', 'slug'])
          .doUpdateSet((eb) => ({
            title: eb.ref('excluded.title'),
            description: eb.ref('excluded.description'),
            position: eb.ref('excluded.position'),
            scheduled_at: eb.ref('excluded.scheduled_at'),
            expects: eb.ref('excluded.expects'),
            updated_at: sql`now()`,
          }))
          .where(
            sql<boolean>`(lessons.title, lessons.description, lessons.position, lessons.scheduled_at, lessons.expects)
              is distinct from (excluded.title, excluded.description, excluded.position, excluded.scheduled_at, excluded.expects)`,
          ),
      )
      .execute();
  }
  // A lesson the file no longer lists is no longer ordered, nor scheduled.
  let unlisted = trx
    .updateTable('lessons')
    .set({ position: null, scheduled_at: null, expects: null, updated_at: sql`now()` })
    .where('course_id', '=', courseId)
    .where((eb) => eb.or([eb('position', 'is not', null), eb('scheduled_at', 'is not', null)]));
  if (lessons.length > 0) unlisted = unlisted.where('slug', 'not in', lessons.map((lesson) => lesson.slug));
  await unlisted.execute();
}

export interface CourseOutline {
  id: number;
  slug: string;
  title: string | null;
  description: string | null;
  language: string | null;
  tags: string[] | null;
  /** Positioned lessons first, in order; then the unpositioned ones by slug. */
  lessons: Array<{ slug: string; title: string | null; description: string | null; position: number | null }>;
}

/** A course and its lessons in order, or undefined when there is no such course. */
export async function getCourseOutline(db: LecternDb, slug: string): Promise<CourseOutline | undefined> {
  return withDatabase('reading a course', async () => {
    const course = await db.selectFrom('courses').select(['id', 'slug', 'title', 'description', 'language', 'tags']).where('slug', '=', slug).executeTakeFirst();
    if (!course) return undefined;
    const lessons = await db
      .selectFrom('lessons')
      .select(['slug', 'title', 'description', 'position'])
      .where('course_id', '=', course.id)
      .orderBy(sql`position asc nulls last`)
      .orderBy('slug')
      .execute();
    return { ...course, lessons };
  });
}
