/**
 * What readiness reads and writes: scheduled lessons (from course.yaml), every upload of those
 * lessons, and the alerts already claimed per lesson and class time.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Reason } from '../contract/errors.js';
import type { LessonUpload, ScheduledLesson } from '../schedule/readiness.js';
import { withDatabase, type LecternDb } from './database.js';
import type { Database } from './schema.js';

export interface ScheduleWindow {
  /** Classes starting at or after this instant (default: all). */
  from?: Date;
  /** Classes starting at or before this instant (default: all). */
  to?: Date;
  course?: string;
}

export async function loadScheduledLessons(db: LecternDb, window: ScheduleWindow = {}): Promise<ScheduledLesson[]> {
  return withDatabase('reading class schedules', async () => {
    let query = db
      .selectFrom('lessons as l')
      .innerJoin('courses as c', 'c.id', 'l.course_id')
      .select(['c.slug as course', 'c.title as course_title', 'c.time_zone', 'c.require_captions', 'l.slug as lesson', 'l.title as lesson_title', 'l.scheduled_at', 'l.expects'])
      .where('l.scheduled_at', 'is not', null)
      .orderBy('l.scheduled_at')
      .orderBy('c.slug')
      .orderBy('l.slug');
    if (window.from) query = query.where('l.scheduled_at', '>=', window.from);
    if (window.to) query = query.where('l.scheduled_at', '<=', window.to);
    if (window.course) query = query.where('c.slug', '=', window.course);
    const rows = await query.execute();
    return rows.map((row) => ({
      course: row.course,
      ...(row.course_title ? { courseTitle: row.course_title } : {}),
      lesson: row.lesson,
      ...(row.lesson_title ? { lessonTitle: row.lesson_title } : {}),
      scheduledAt: new Date(row.scheduled_at!),
      ...(row.time_zone ? { timeZone: row.time_zone } : {}),
      requireCaptions: row.require_captions,
      expects: row.expects ?? [],
    }));
  });
}

/** Every upload of the given lessons, keyed `course/lesson`. */
export async function loadLessonUploads(db: LecternDb, lessons: ReadonlyArray<{ course: string; lesson: string }>): Promise<Map<string, LessonUpload[]>> {
  const byLesson = new Map<string, LessonUpload[]>();
  if (lessons.length === 0) return byLesson;
  const rows = await withDatabase('reading the uploads of scheduled lessons', () =>
    db
      .selectFrom('asset_versions as av')
      .leftJoin('assets as a', 'a.id', 'av.asset_id')
      .select([
        'av.id',
        'av.course_slug',
        'av.lesson_slug',
        'av.file_name',
        'av.kind',
        'av.status',
        'av.reasons',
        'av.received_at',
        'av.finished_at',
        'av.failed_state',
        sql<boolean>`coalesce(a.current_version_id = av.id, false)`.as('is_current'),
      ])
      .where((eb) => eb.or(lessons.map((l) => eb.and([eb('av.course_slug', '=', l.course), eb('av.lesson_slug', '=', l.lesson)]))))
      .execute(),
  );
  for (const row of rows) {
    if (!row.course_slug || !row.lesson_slug || !row.file_name) continue;
    const key = `${row.course_slug}/${row.lesson_slug}`;
    const list = byLesson.get(key) ?? [];
    list.push({
      assetVersionId: row.id,
      fileName: row.file_name,
      ...(row.kind ? { kind: row.kind } : {}),
      status: row.status,
      isCurrent: row.is_current,
      reasons: Array.isArray(row.reasons) ? (row.reasons as Reason[]) : [],
      receivedAt: new Date(row.received_at),
      ...(row.finished_at ? { finishedAt: new Date(row.finished_at) } : {}),
      ...(row.failed_state ? { failedState: row.failed_state } : {}),
    });
    byLesson.set(key, list);
  }
  return byLesson;
}

export interface AlertKey {
  course: string;
  lesson: string;
  scheduledAt: Date;
}

export interface ClaimedAlert {
  alert: string;
  sent: boolean;
  claimedAt: Date;
}

/** The alerts claimed so far for each lesson and class time, keyed `course/lesson@ISO time`. */
export async function loadClaimedAlerts(db: LecternDb, keys: readonly AlertKey[]): Promise<Map<string, ClaimedAlert[]>> {
  const claimed = new Map<string, ClaimedAlert[]>();
  if (keys.length === 0) return claimed;
  const rows = await withDatabase('reading readiness alerts', () =>
    db
      .selectFrom('readiness_alerts')
      .select(['course_slug', 'lesson_slug', 'scheduled_at', 'alert', 'sent_at', 'claimed_at'])
      .where((eb) => eb.or(keys.map((k) => eb.and([eb('course_slug', '=', k.course), eb('lesson_slug', '=', k.lesson), eb('scheduled_at', '=', k.scheduledAt)]))))
      .execute(),
  );
  for (const row of rows) {
    const key = alertKey({ course: row.course_slug, lesson: row.lesson_slug, scheduledAt: new Date(row.scheduled_at) });
    const list = claimed.get(key) ?? [];
    list.push({ alert: row.alert, sent: row.sent_at !== null, claimedAt: new Date(row.claimed_at) });
    claimed.set(key, list);
  }
  return claimed;
}

export function alertKey(k: AlertKey): string {
  return `${k.course}/${k.lesson}@${k.scheduledAt.toISOString()}`;
}

/**
 * Claims an alert before it is sent: true for the one caller that inserted the row, false when
 * another sweep (or an earlier run) already has it.
 */
export async function claimAlert(db: LecternDb, key: AlertKey, alert: { alert: string; severity: string; state: string; detail: Record<string, unknown> }, now: Date): Promise<boolean> {
  return withDatabase('claiming a readiness alert', async () => {
    const inserted = await db
      .insertInto('readiness_alerts')
      .values({
        course_slug: key.course,
        lesson_slug: key.lesson,
        scheduled_at: key.scheduledAt,
        alert: alert.alert,
        severity: alert.severity,
        state: alert.state,
        detail: JSON.stringify(alert.detail),
        claimed_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('alert')
      .executeTakeFirst();
    return inserted !== undefined;
  });
}

/** The one row of `alert` for this class of the lesson (the table's primary key). */
const alertRow = (key: AlertKey, alert: string) => (eb: ExpressionBuilder<Database, 'readiness_alerts'>) =>
  eb.and({ course_slug: key.course, lesson_slug: key.lesson, scheduled_at: key.scheduledAt, alert });

/** Takes over a claim whose sender never confirmed delivery (it crashed), once it is stale. */
export async function reclaimStaleAlert(db: LecternDb, key: AlertKey, alert: string, staleBefore: Date, now: Date): Promise<boolean> {
  return withDatabase('retrying a readiness alert', async () => {
    const updated = await db
      .updateTable('readiness_alerts')
      .set({ claimed_at: now })
      .where(alertRow(key, alert))
      .where('sent_at', 'is', null)
      .where('claimed_at', '<', staleBefore)
      .returning('alert')
      .executeTakeFirst();
    return updated !== undefined;
  });
}

export async function markAlertSent(db: LecternDb, key: AlertKey, alert: string, now: Date): Promise<void> {
  await withDatabase('recording a sent readiness alert', () =>
    db
      .updateTable('readiness_alerts')
      .set({ sent_at: now })
      .where(alertRow(key, alert))
      .execute(),
  );
}

/** Every alert of a course (for status and tests), newest first. */
export async function listAlerts(db: LecternDb, filter: { course?: string } = {}) {
  return withDatabase('listing readiness alerts', async () => {
    let query = db.selectFrom('readiness_alerts').selectAll().orderBy('claimed_at', 'desc');
    if (filter.course) query = query.where('course_slug', '=', filter.course);
    return query.execute();
  });
}
