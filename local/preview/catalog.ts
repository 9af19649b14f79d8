/**
 * What the preview page shows, as data: courses → lessons → assets, each asset with what students
 * get now (the lesson manifest's current version) and what happened to its uploads (the status
 * report, when a database is at hand). Pure: built from the manifests, the status report and the
 * course/lesson metadata rows. `load-catalog.ts` gathers those; the page renders this.
 */
import type { LessonReadiness } from '../../shared/schedule/readiness.js';
import type { LessonManifest, ManifestEntry } from '../../shared/contract/manifest.js';
import type { Quiz } from '../../shared/quiz/model.js';
import type { StatusReport, UploadStatus } from '../../shared/contract/status-report.js';
import { chooseCaptions } from '../../shared/video/lesson-captions.js';

export type UploadState = UploadStatus['status'];

export interface PreviewOutput {
  name: string;
  url: string;
  contentType: string;
  size: number;
}

/** One image of a video's thumbnail strip (from its `thumbnails.vtt`). */
export interface ThumbnailCue {
  start: number;
  end: number;
  url: string;
}

/** A published caption file of the lesson that belongs to this video (same asset stem). */
export interface CaptionTrack {
  fileName: string;
  label: string;
  language?: string;
  url: string;
}

/** The version students get now. */
export interface PreviewPublished {
  version: string;
  assetVersionId: string;
  kind: string;
  format?: string;
  /** The main output (a video's master playlist, the PDF, the quiz's `quiz.json`). */
  url: string;
  outputs: PreviewOutput[];
  metadata: Record<string, unknown>;
  publishedAt?: string;
  thumbnails?: ThumbnailCue[];
  captions?: CaptionTrack[];
  /** The canonical quiz, embedded in static builds (so they work from `file://` and other origins). */
  quiz?: Quiz;
}

export interface PreviewAsset {
  fileName: string;
  kind?: string;
  /** The latest upload's status; `published` when only the manifest is known. */
  state: UploadState;
  latest?: UploadStatus;
  published?: PreviewPublished;
  /** Every upload of this file, newest first (empty without a database). */
  history: UploadStatus[];
  /** Captions: the lesson's video or audio file they are shown with, when it is published. */
  captionsFor?: string;
}

export interface PreviewLesson {
  slug: string;
  title?: string;
  description?: string;
  /** 1-based position from course.yaml; absent when course.yaml does not list the lesson. */
  position?: number;
  /**
   * On a stage whose access is signed: `public` for a free-preview lesson (served without cookies),
   * `signed` for one that needs a grant (docs/access.md). Absent on a public stage.
   */
  access?: 'signed' | 'public';
  assets: PreviewAsset[];
}

export interface PreviewCourse {
  slug: string;
  title?: string;
  description?: string;
  /** True when a course.yaml gave the course its metadata. */
  hasMetadata: boolean;
  lessons: PreviewLesson[];
  /** course.yaml uploads, newest first. */
  uploads: UploadStatus[];
}

export interface PreviewSource {
  mode: 'local' | 'stage';
  /** The stage's access: on `signed`, files under courses/ need a grant (lectern dev gets one per course). */
  access?: 'signed' | 'public';
  stage?: string;
  /** The page polls for updates (lectern dev); false for a static snapshot. */
  live: boolean;
  /** Statuses come from the database; false: published content only. */
  statuses: boolean;
}

export interface PreviewCatalog {
  generatedAt: string;
  source: PreviewSource;
  /** Files (lesson files, course.yaml, misplaced uploads) by the state of their latest upload. */
  summary: Record<UploadState, number>;
  courses: PreviewCourse[];
  /** Uploads whose key does not place them in a course and lesson. */
  unplaced: UploadStatus[];
  /** Scheduled classes (course.yaml `scheduledAt` + `expects`), next first, with their readiness. */
  readiness?: LessonReadiness[];
}

export interface CourseRow {
  slug: string;
  title: string | null;
  description: string | null;
}

export interface LessonRow {
  course_slug: string;
  slug: string;
  title: string | null;
  description?: string | null;
  position: number | null;
}

export interface CatalogInput {
  generatedAt: string;
  source: PreviewSource;
  manifests: LessonManifest[];
  report?: StatusReport;
  courses?: CourseRow[];
  lessons?: LessonRow[];
  /**
   * Where published files are fetched from: `''` → root-relative (`/courses/…`, lectern dev),
   * `'.'` → relative to the page (a static copy), a URL → that CDN; undefined keeps the manifest's URLs.
   */
  urlBase?: string;
}

/** Rewrites a published URL onto `base` (its path is the object key, already URL-encoded). */
export function rebaseUrl(url: string, base: string | undefined): string {
  if (base === undefined) return url;
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    pathname = url.startsWith('/') ? url : `/${url}`;
  }
  return `${base.replace(/\/+$/, '')}${pathname}`;
}

export function buildPreviewCatalog(input: CatalogInput): PreviewCatalog {
  const { report, urlBase } = input;
  const courses = new Map<string, PreviewCourse>();
  const course = (slug: string): PreviewCourse => {
    let found = courses.get(slug);
    if (!found) {
      found = { slug, hasMetadata: false, lessons: [], uploads: [] };
      courses.set(slug, found);
    }
    return found;
  };
  const lesson = (courseSlug: string, slug: string): PreviewLesson => {
    const c = course(courseSlug);
    let found = c.lessons.find((l) => l.slug === slug);
    if (!found) {
      found = { slug, assets: [] };
      c.lessons.push(found);
    }
    return found;
  };
  const asset = (l: PreviewLesson, fileName: string): PreviewAsset => {
    let found = l.assets.find((a) => a.fileName === fileName);
    if (!found) {
      found = { fileName, state: 'published', history: [] };
      l.assets.push(found);
    }
    return found;
  };
  const rebaseUpload = (u: UploadStatus): UploadStatus => (u.url ? { ...u, url: rebaseUrl(u.url, urlBase) } : u);

  for (const row of input.courses ?? []) {
    const c = course(row.slug);
    if (row.title) c.title = row.title;
    if (row.description) c.description = row.description;
    c.hasMetadata = Boolean(row.title);
  }
  for (const row of input.lessons ?? []) {
    const l = lesson(row.course_slug, row.slug);
    if (row.title) l.title = row.title;
    if (row.description) l.description = row.description;
    if (row.position !== null) l.position = row.position;
  }

  for (const c of report?.courses ?? []) {
    const target = course(c.course);
    if (c.title && !target.title) target.title = c.title;
    target.uploads.push(...c.uploads.map(rebaseUpload));
    for (const l of c.lessons) {
      const targetLesson = lesson(c.course, l.lesson);
      if (l.title && !targetLesson.title) targetLesson.title = l.title;
      if (l.position !== undefined && targetLesson.position === undefined) targetLesson.position = l.position;
      for (const a of l.assets) {
        const target = asset(targetLesson, a.fileName);
        if (a.kind) target.kind = a.kind;
        target.history = a.uploads.map(rebaseUpload);
        const latest = target.history[0];
        if (latest) {
          target.latest = latest;
          target.state = latest.status;
        }
      }
    }
  }

  for (const manifest of input.manifests) {
    const l = lesson(manifest.course, manifest.lesson);
    for (const [fileName, entry] of Object.entries(manifest.assets)) {
      const target = asset(l, fileName);
      target.kind ??= entry.kind;
      target.published = published(entry, target.history, urlBase);
    }
    attachCaptions(l, manifest, urlBase);
  }

  const ordered = [...courses.values()].sort((a, b) => a.slug.localeCompare(b.slug));
  for (const c of ordered) {
    c.lessons.sort((a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER) || a.slug.localeCompare(b.slug));
    for (const l of c.lessons) l.assets.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
  }
  const unplaced = (report?.unplaced ?? []).map(rebaseUpload);
  const summary: Record<UploadState, number> = { processing: 0, published: 0, rejected: 0, failed: 0 };
  for (const c of ordered) {
    const yaml = c.uploads[0];
    if (yaml) summary[yaml.status]++;
    for (const l of c.lessons) for (const a of l.assets) summary[a.state]++;
  }
  for (const u of unplaced) summary[u.status]++;
  return {
    generatedAt: input.generatedAt,
    source: input.source,
    summary,
    courses: ordered,
    unplaced,
  };
}

function published(entry: ManifestEntry, history: UploadStatus[], urlBase: string | undefined): PreviewPublished {
  const upload = history.find((u) => u.assetVersionId === entry.assetVersionId);
  return {
    version: entry.version,
    assetVersionId: entry.assetVersionId,
    kind: entry.kind,
    ...(entry.format ? { format: entry.format } : {}),
    url: rebaseUrl(entry.url, urlBase),
    outputs: entry.outputs.map((o) => ({ ...o, url: rebaseUrl(o.url, urlBase) })),
    metadata: entry.metadata ?? {},
    ...(upload?.finishedAt ? { publishedAt: upload.finishedAt } : {}),
  };
}

/**
 * A video or audio file gets as `<track>`s the caption files its HLS ladder carries (the same
 * choice: one per language, the educator's before an automatic one); every caption file of its
 * stem says which video it belongs to.
 */
function attachCaptions(l: PreviewLesson, manifest: LessonManifest, urlBase: string | undefined): void {
  const captions = Object.entries(manifest.assets).filter(([, e]) => e.kind === 'captions');
  if (captions.length === 0) return;
  for (const a of l.assets) {
    if (!a.published || (a.published.kind !== 'video' && a.published.kind !== 'audio')) continue;
    const stem = a.fileName.replace(/\.[^.]+$/, '');
    for (const [fileName, entry] of captions) {
      const captionsAsset = entry.metadata?.videoStem === stem ? l.assets.find((x) => x.fileName === fileName) : undefined;
      if (captionsAsset) captionsAsset.captionsFor ??= a.fileName;
    }
    const tracks: CaptionTrack[] = chooseCaptions(manifest, stem).map(({ fileName, output, language, label }) => ({ fileName, label, ...(language ? { language } : {}), url: rebaseUrl(output.url, urlBase) }));
    if (tracks.length > 0) a.published.captions = tracks;
  }
}
