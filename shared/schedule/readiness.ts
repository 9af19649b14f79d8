/**
 * Readiness of a scheduled class: is everything the lesson `expects` published for students, and
 * was it in time? Pure: built from the lesson's schedule and its uploads as the database has them.
 *
 * - `ready`: every expected (non-optional) file has a published current version — with a published
 *   caption track for each video or audio when the course requires captions — and, once the class
 *   has started, all of it was published before the start;
 * - `at-risk`: the class has not started and something is missing, processing, rejected or failed;
 * - `missed`: the class started while it was at risk (something was not published by then).
 * Optional files are listed with their status but never make a lesson at risk.
 */
import type { Reason } from '../contract/errors.js';

export type ReadinessState = 'ready' | 'at-risk' | 'missed';

export interface ScheduledLesson {
  course: string;
  courseTitle?: string;
  lesson: string;
  lessonTitle?: string;
  scheduledAt: Date;
  timeZone?: string;
  requireCaptions: boolean;
  expects: Array<{ file: string; optional: boolean }>;
}

/** One upload of the lesson (any version), as recorded. */
export interface LessonUpload {
  assetVersionId: string;
  fileName: string;
  kind?: string;
  status: 'processing' | 'published' | 'rejected' | 'failed';
  /** This version is what students get. */
  isCurrent: boolean;
  reasons: Reason[];
  receivedAt: Date;
  finishedAt?: Date;
  failedState?: string;
}

export type MissingStatus = 'not-uploaded' | 'processing' | 'rejected' | 'failed' | 'no-captions' | 'published-late';

export interface MissingAsset {
  file: string;
  status: MissingStatus;
  optional: boolean;
  /** The upload this is about (the latest one), when there is one. */
  assetVersionId?: string;
  /** The upload's own reasons (a rejection's line and column), when it has any. */
  reasons: Reason[];
  /** What to do, in one sentence. */
  fix: string;
}

export interface LessonReadiness {
  course: string;
  courseTitle?: string;
  lesson: string;
  lessonTitle?: string;
  scheduledAt: string;
  timeZone?: string;
  /** Milliseconds until the class starts (negative once it has started). */
  startsInMs: number;
  state: ReadinessState;
  /** Expected files that are not (or were not in time) ready, optional ones included. */
  missing: MissingAsset[];
  expected: number;
}

const MEDIA = new Set(['video', 'audio']);
const CAPTION_FILE = /\.(vtt|srt)$/i;

export function lessonReadiness(lesson: ScheduledLesson, uploads: LessonUpload[], now: Date): LessonReadiness {
  const started = now.getTime() >= lesson.scheduledAt.getTime();
  const missing: MissingAsset[] = [];
  for (const expected of lesson.expects) {
    const problem = assetProblem(expected.file, lesson, uploads, started);
    if (problem) missing.push({ ...problem, file: expected.file, optional: expected.optional });
  }
  const blocking = missing.some((m) => !m.optional);
  return {
    course: lesson.course,
    ...(lesson.courseTitle ? { courseTitle: lesson.courseTitle } : {}),
    lesson: lesson.lesson,
    ...(lesson.lessonTitle ? { lessonTitle: lesson.lessonTitle } : {}),
    scheduledAt: lesson.scheduledAt.toISOString(),
    ...(lesson.timeZone ? { timeZone: lesson.timeZone } : {}),
    startsInMs: lesson.scheduledAt.getTime() - now.getTime(),
    state: !blocking ? 'ready' : started ? 'missed' : 'at-risk',
    missing,
    expected: lesson.expects.filter((e) => !e.optional).length,
  };
}

function assetProblem(file: string, lesson: ScheduledLesson, uploads: LessonUpload[], started: boolean): Omit<MissingAsset, 'file' | 'optional'> | undefined {
  const versions = uploads.filter((u) => u.fileName === file).sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime());
  const current = versions.find((u) => u.isCurrent && u.status === 'published');
  const latest = versions[0];
  if (!current) {
    if (!latest) return { status: 'not-uploaded', reasons: [], fix: `Upload ${file} to courses/${lesson.course}/lessons/${lesson.lesson}/.` };
    return fromLatest(file, latest);
  }
  if (started && current.finishedAt && current.finishedAt.getTime() > lesson.scheduledAt.getTime()) {
    return { status: 'published-late', assetVersionId: current.assetVersionId, reasons: [], fix: `${file} was published after the class started (${current.finishedAt.toISOString()}).` };
  }
  if (lesson.requireCaptions && MEDIA.has(current.kind ?? '')) {
    const captions = captionTracks(file, uploads);
    const inTime = captions.filter((c) => !started || !c.finishedAt || c.finishedAt.getTime() <= lesson.scheduledAt.getTime());
    if (inTime.length === 0) {
      const stem = file.replace(/\.[^.]+$/, '');
      const late = captions.length > 0;
      return {
        status: late ? 'published-late' : 'no-captions',
        assetVersionId: current.assetVersionId,
        reasons: [],
        fix: late ? `The captions of ${file} were published after the class started.` : `The course requires captions: upload ${stem}.<language>.vtt (for example ${stem}.en.vtt) next to ${file}.`,
      };
    }
  }
  return undefined;
}

function fromLatest(file: string, latest: LessonUpload): Omit<MissingAsset, 'file' | 'optional'> {
  const base = { assetVersionId: latest.assetVersionId, reasons: latest.reasons };
  switch (latest.status) {
    case 'processing':
      return { ...base, status: 'processing', fix: `${file} is still being processed; nothing to do unless it stays so (then run lectern reconcile).` };
    case 'rejected':
      return { ...base, status: 'rejected', fix: `Fix ${file} as its reasons say and upload it again.` };
    case 'failed':
      return { ...base, status: 'failed', fix: `Processing ${file} failed${latest.failedState ? ` at ${latest.failedState}` : ''}: ops can replay it (lectern replay --execution ${latest.assetVersionId}).` };
    default:
      // Published but not current: a newer upload of the same file holds the pointer elsewhere.
      return { ...base, status: 'processing', fix: `${file} has no current version yet.` };
  }
}

/** Published caption tracks of a media file: `lecture.en.vtt` belongs to `lecture.mp4`. */
function captionTracks(mediaFile: string, uploads: LessonUpload[]): LessonUpload[] {
  const stem = mediaFile.replace(/\.[^.]+$/, '');
  return uploads.filter((u) => u.isCurrent && u.status === 'published' && CAPTION_FILE.test(u.fileName) && u.fileName.startsWith(`${stem}.`));
}

/** Upcoming classes first (soonest first), then the ones that have started (latest first). */
export function sortReadiness(list: LessonReadiness[]): LessonReadiness[] {
  const upcoming = list.filter((r) => r.startsInMs > 0).sort((a, b) => a.startsInMs - b.startsInMs);
  const past = list.filter((r) => r.startsInMs <= 0).sort((a, b) => b.startsInMs - a.startsInMs);
  return [...upcoming, ...past];
}

/** `lecture.mp4: rejected — line 4, column 1: …` lines for messages. */
export function describeMissing(m: MissingAsset): string {
  const status = m.status.replace('-', ' ');
  const first = m.reasons[0];
  const where = first ? ` — ${first.line ? `line ${first.line}${first.column ? `, column ${first.column}` : ''}: ` : ''}${first.message}` : '';
  return `${m.file}${m.optional ? ' (optional)' : ''}: ${status}${where} ${m.fix}`.trim();
}
