/**
 * Gathers what the preview shows: the lesson manifests from the published bucket (any
 * `ObjectStore`: the local folder or S3), and — when a database is at hand — the status report,
 * transcode progress and the course/lesson metadata from course.yaml. Then adds what the page
 * needs from the published files themselves: each video's thumbnail strip, and (for static
 * builds) each quiz's canonical JSON.
 */
import { readinessReport } from '../../shared/use-cases/readiness.js';
import { sql } from 'kysely';
import type { LecternDb } from '../../shared/db/database.js';
import { loadStatusRows, type StatusRow } from '../../shared/db/status-repository.js';
import { DamagedManifestError } from '../../shared/contract/errors.js';
import { logger } from '../../shared/runtime/logger.js';
import { manifestKey, parseManifest, type LessonManifest } from '../../shared/contract/manifest.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';
import type { Quiz } from '../../shared/quiz/model.js';
import { buildStatusReport } from '../../shared/contract/status-report.js';
import { lessonAccess } from '../../shared/access/access-record.js';
import { readAccessRecord } from '../../shared/use-cases/apply-lesson-access.js';
import { buildPreviewCatalog, type CourseRow, type LessonRow, type PreviewCatalog, type PreviewSource, type ThumbnailCue } from './catalog.js';

export interface CatalogSources {
  published: ObjectStore;
  db?: LecternDb;
  source: Omit<PreviewSource, 'statuses'>;
  /** See `CatalogInput.urlBase`. */
  urlBase?: string;
  /** The replay hint shown with a failed upload. */
  replayCommand?: (row: StatusRow) => string;
  /** Put each quiz's JSON into the catalog (static builds). */
  embedQuizzes?: boolean;
  /**
   * Find lessons by listing the bucket (no database, or to include lessons the database does not
   * know). With a database, its rows name the lessons and nothing is listed.
   */
  listBucket?: boolean;
  /** Parsed immutable files (thumbnail tracks, quizzes) by key, kept between calls. */
  cache?: Map<string, unknown>;
}

const MANIFEST_KEY = /^courses\/([^/]+)\/lessons\/([^/]+)\/manifest\.json$/;

export async function loadPreviewCatalog(sources: CatalogSources): Promise<PreviewCatalog> {
  const { published, db } = sources;
  const cache = sources.cache ?? new Map<string, unknown>();
  let report;
  let courses: CourseRow[] = [];
  let lessons: LessonRow[] = [];
  if (db) {
    const rows = await loadStatusRows(db);
    const progress = await loadTranscodeProgress(db);
    report = buildStatusReport(rows, { ...(sources.replayCommand ? { replayCommand: sources.replayCommand } : {}), progress });
    [courses, lessons] = await Promise.all([loadCourseRows(db), loadLessonRows(db)]);
  }

  const refs = new Map<string, { course: string; lesson: string }>();
  const addRef = (course: string, lesson: string) => refs.set(manifestKey(course, lesson), { course, lesson });
  for (const c of report?.courses ?? []) for (const l of c.lessons) addRef(c.course, l.lesson);
  for (const l of lessons) addRef(l.course_slug, l.slug);
  if (sources.listBucket || !db) {
    for (const key of await published.list('courses/')) {
      const match = MANIFEST_KEY.exec(key);
      if (match) addRef(match[1] as string, match[2] as string);
    }
  }
  const manifests: LessonManifest[] = [];
  for (const [key, { course, lesson }] of [...refs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const bytes = await published.get(key);
    if (!bytes) continue;
    let manifest: LessonManifest;
    try {
      manifest = parseManifest(new TextDecoder().decode(bytes), key);
    } catch (error) {
      if (!(error instanceof DamagedManifestError)) throw error;
      // The preview still shows the rest; the lesson's published files are listed once it is fixed.
      logger.warn('preview: a lesson manifest is damaged', { course, lesson, error: error.message });
      continue;
    }
    if (Object.keys(manifest.assets).length > 0) manifests.push(manifest);
  }

  const catalog = buildPreviewCatalog({
    generatedAt: new Date().toISOString(),
    source: { ...sources.source, statuses: Boolean(db) },
    manifests,
    ...(report ? { report } : {}),
    courses,
    lessons,
    ...(sources.urlBase !== undefined ? { urlBase: sources.urlBase } : {}),
  });

  // On a signed stage, which lessons are free previews: access/<course>.json, as PublishAsset reads it.
  if (sources.source.access === 'signed') {
    for (const course of catalog.courses) {
      const record = await readAccessRecord({ published }, course.slug);
      for (const lesson of course.lessons) lesson.access = lessonAccess(record, lesson.slug, 'signed');
    }
  }

  // The files the page reads from the published assets themselves (immutable keys: cached).
  for (const manifest of manifests) {
    const lesson = catalog.courses.find((c) => c.slug === manifest.course)?.lessons.find((l) => l.slug === manifest.lesson);
    for (const asset of lesson?.assets ?? []) {
      const entry = manifest.assets[asset.fileName];
      if (!asset.published || !entry) continue;
      const prefix = `courses/${manifest.course}/lessons/${manifest.lesson}/${asset.fileName}/${entry.version}/`;
      const thumbnails = asset.published.outputs.find((o) => o.name === 'thumbnails.vtt');
      if (thumbnails) {
        const cues = await cached(cache, `${prefix}${thumbnails.name}`, async (key) => {
          const bytes = await published.get(key);
          return bytes ? parseThumbnailTrack(new TextDecoder().decode(bytes)) : [];
        });
        const base = thumbnails.url.slice(0, thumbnails.url.length - thumbnails.name.length);
        if (cues.length > 0) asset.published.thumbnails = cues.map((c) => ({ ...c, url: `${base}${c.url.split('/').map(encodeURIComponent).join('/')}` }));
      }
      const quiz = asset.published.outputs.find((o) => o.name === 'quiz.json');
      if (quiz && sources.embedQuizzes) {
        const value = await cached(cache, `${prefix}${quiz.name}`, async (key) => {
          const bytes = await published.get(key);
          return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as Quiz) : undefined;
        });
        if (value) asset.published.quiz = value;
      }
    }
  }
  if (db) {
    // Classes that have not started, and those of the last day: the front page's board.
    const now = new Date();
    const readiness = await readinessReport({ db, now: () => now }, { from: new Date(now.getTime() - 86_400_000) });
    if (readiness.length > 0) catalog.readiness = readiness;
  }
  return catalog;
}

async function cached<T>(cache: Map<string, unknown>, key: string, load: (key: string) => Promise<T>): Promise<T> {
  if (cache.has(key)) return cache.get(key) as T;
  const value = await load(key);
  cache.set(key, value);
  return value;
}

/** Transcode progress (0–100) of the asset versions whose job is still running. */
export async function loadTranscodeProgress(db: LecternDb): Promise<Map<string, number>> {
  try {
    const rows = await db
      .selectFrom('transcode_jobs')
      .select(['asset_version_id', sql<number>`max(progress)`.as('progress')])
      .where('status', 'not in', ['COMPLETE', 'ERROR', 'CANCELED'])
      .groupBy('asset_version_id')
      .execute();
    return new Map(rows.map((r) => [r.asset_version_id, Number(r.progress)]));
  } catch {
    // A database from before transcoding (no transcode_jobs table): no progress to show.
    return new Map();
  }
}

async function loadCourseRows(db: LecternDb): Promise<CourseRow[]> {
  return db.selectFrom('courses').select(['slug', 'title', 'description']).execute();
}

async function loadLessonRows(db: LecternDb): Promise<LessonRow[]> {
  // selectAll: `lessons.description` arrived with course.yaml (migration 0003); older databases lack it.
  const rows = await db.selectFrom('lessons as l').innerJoin('courses as c', 'c.id', 'l.course_id').selectAll('l').select('c.slug as course_slug').execute();
  return rows.map((r) => ({ course_slug: r.course_slug, slug: r.slug, title: r.title, description: r.description ?? null, position: r.position }));
}

/** The cues of a WebVTT thumbnail track: `start --> end` and the image path (relative to the track). */
export function parseThumbnailTrack(text: string): ThumbnailCue[] {
  const cues: ThumbnailCue[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const timing = /^\s*([\d:.]+)\s+-->\s+([\d:.]+)/.exec(lines[i] as string);
    const image = lines[i + 1]?.trim();
    if (!timing || !image) continue;
    const start = seconds(timing[1] as string);
    const end = seconds(timing[2] as string);
    if (Number.isFinite(start) && Number.isFinite(end)) cues.push({ start, end, url: image });
  }
  return cues;
}

function seconds(stamp: string): number {
  return stamp.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}
