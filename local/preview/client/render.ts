/**
 * The preview page's views as HTML strings, from the catalog (`local/preview/catalog.ts`).
 * Runs in two places: on the server (lectern dev renders the first view into the page, the static
 * builder writes it) and in the browser (bundled into `preview.js`, it re-renders on navigation and
 * on live updates).
 *
 * Rich text is never rendered here; everything is escaped. (Quiz HTML — sanitised by the pipeline
 * — is rendered by quiz-render.ts.)
 */
import type { Reason } from '../../../shared/contract/errors.js';
import type { LessonReadiness, MissingStatus } from '../../../shared/schedule/readiness.js';
import type { UploadStatus } from '../../../shared/contract/status-report.js';
import type { PreviewAsset, PreviewCatalog, PreviewCourse, PreviewLesson, UploadState } from '../catalog.js';
import { escapeHtml } from './html.js';

export { escapeHtml };

export type Route = { view: 'home' } | { view: 'course'; course: string } | { view: 'lesson'; course: string; lesson: string; file?: string };

export interface RenderedView {
  title: string;
  html: string;
}

const KIND_LABELS: Record<string, string> = { video: 'Video', audio: 'Audio', pdf: 'PDF', quiz: 'Quiz', captions: 'Captions', course: 'Course details' };
const STATE_LABELS: Record<string, string> = { published: 'Published', processing: 'Processing', rejected: 'Rejected', failed: 'Failed' };
const STATE_ICONS: Record<string, string> = { published: '✓', processing: '…', rejected: '✕', failed: '!' };

function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(tag);
    return name && name !== tag ? name : tag;
  } catch {
    return tag;
  }
}

function plural(n: number, one: string, many?: string): string {
  return `${n} ${n === 1 ? one : many || `${one}s`}`;
}

function kindLabel(kind: string | undefined): string {
  return (kind && KIND_LABELS[kind]) || (kind ? kind[0]!.toUpperCase() + kind.slice(1) : 'File');
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(date);
}

function timeTag(iso: string, text?: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(text || formatDateTime(iso))}</time>`;
}

export function formatClock(seconds: unknown): string {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

function formatBytes(bytes: unknown): string {
  if (typeof bytes !== 'number') return '';
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

// ── routes ──────────────────────────────────────────────────────────────────────────────────

/** `#/`, `#/courses/<c>`, `#/courses/<c>/lessons/<l>`, `#/courses/<c>/lessons/<l>/files/<file>`. */
export function parseRoute(hash: string | undefined): Route {
  const parts = String(hash || '')
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  if (parts[0] === 'courses' && parts[1]) {
    if (parts[2] === 'lessons' && parts[3]) {
      return { view: 'lesson', course: parts[1], lesson: parts[3], ...(parts[4] === 'files' && parts[5] ? { file: parts[5] } : {}) };
    }
    return { view: 'course', course: parts[1] };
  }
  return { view: 'home' };
}

const hrefHome = (): string => '#/';
export const hrefCourse = (c: string): string => `#/courses/${encodeURIComponent(c)}`;
export const hrefLesson = (c: string, l: string): string => `${hrefCourse(c)}/lessons/${encodeURIComponent(l)}`;
export const hrefFile = (c: string, l: string, f: string): string => `${hrefLesson(c, l)}/files/${encodeURIComponent(f)}`;

/** A stable element id for an asset (file names may hold any character). */
export function assetId(fileName: string): string {
  let hash = 5381;
  for (let i = 0; i < fileName.length; i++) hash = ((hash * 33) ^ fileName.charCodeAt(i)) >>> 0;
  return `asset-${fileName.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 48)}-${hash.toString(36)}`;
}

// ── small pieces ────────────────────────────────────────────────────────────────────────────

function badge(state: string, extra?: string, label = STATE_LABELS[state] || state): string {
  return `<span class="badge badge-${escapeHtml(state)}${extra ? ` ${extra}` : ''}"><span class="badge-icon" aria-hidden="true">${STATE_ICONS[state] || ''}</span>${escapeHtml(label)}</span>`;
}

function courseTitle(course: PreviewCourse): string {
  return course.title || course.slug;
}

function lessonTitle(lesson: PreviewLesson): string {
  return lesson.title || lesson.slug;
}

function reasonWhere(reason: Reason): string {
  if (reason.line === undefined || reason.line === null) return '';
  return `Line ${reason.line}${reason.column !== undefined && reason.column !== null ? `, column ${reason.column}` : ''}`;
}

function reasonList(reasons: Reason[] | undefined, className?: string): string {
  if (!reasons || reasons.length === 0) return '';
  const items = reasons
    .map((r) => {
      const where = reasonWhere(r);
      return `<li class="reason">${where ? `<span class="reason-where">${escapeHtml(where)}</span>` : ''}<span class="reason-message">${escapeHtml(r.message)}</span><code class="reason-code">${escapeHtml(r.code)}</code></li>`;
    })
    .join('');
  return `<ol class="reasons ${className || ''}">${items}</ol>`;
}

function warningsBlock(warnings: Reason[] | undefined): string {
  if (!warnings || warnings.length === 0) return '';
  return `<details class="warnings"><summary>${escapeHtml(plural(warnings.length, 'warning'))} — published anyway</summary>${reasonList(warnings, 'reasons-warning')}</details>`;
}

function breadcrumb(items: Array<{ label: string; href?: string }>): string {
  const lis = items
    .map((item, i) => (i === items.length - 1 ? `<li><span aria-current="page">${escapeHtml(item.label)}</span></li>` : `<li><a href="${escapeHtml(item.href ?? '')}">${escapeHtml(item.label)}</a></li>`))
    .join('');
  return `<nav class="breadcrumb" aria-label="Breadcrumb"><ol>${lis}</ol></nav>`;
}

/** The counts of the latest upload states of a course's files. */
function courseFiles(course: PreviewCourse): number {
  return course.lessons.reduce((n, l) => n + l.assets.length, 0) + (course.uploads.length > 0 ? 1 : 0);
}

function courseCounts(course: PreviewCourse): Record<UploadState, number> {
  const counts: Record<UploadState, number> = { published: 0, processing: 0, rejected: 0, failed: 0 };
  for (const lesson of course.lessons) for (const asset of lesson.assets) counts[asset.state] = (counts[asset.state] || 0) + 1;
  for (const upload of course.uploads.slice(0, 1)) counts[upload.status] = (counts[upload.status] || 0) + 1;
  return counts;
}

function countList(counts: Record<UploadState, number>, className: string): string {
  const order: UploadState[] = ['published', 'processing', 'rejected', 'failed'];
  const items = order
    .filter((s) => counts[s] > 0 || className === 'counts')
    .map((s) => `<li class="count count-${s}"><span class="count-n">${counts[s] || 0}</span> <span class="count-label">${escapeHtml(STATE_LABELS[s]!.toLowerCase())}</span></li>`)
    .join('');
  return items ? `<ul class="${className}">${items}</ul>` : '';
}

/** Latest uploads that are rejected or failed, across the catalog, for the "Needs attention" list. */
export function attentionItems(catalog: PreviewCatalog): Array<{ upload: UploadStatus; href: string; label: string }> {
  const items: Array<{ upload: UploadStatus; href: string; label: string }> = [];
  for (const course of catalog.courses) {
    const yaml = course.uploads[0];
    if (yaml && (yaml.status === 'rejected' || yaml.status === 'failed')) {
      items.push({ upload: yaml, href: hrefCourse(course.slug), label: `${courseTitle(course)} — course.yaml` });
    }
    for (const lesson of course.lessons) {
      for (const asset of lesson.assets) {
        if (asset.latest && (asset.state === 'rejected' || asset.state === 'failed')) {
          items.push({ upload: asset.latest, href: hrefFile(course.slug, lesson.slug, asset.fileName), label: `${courseTitle(course)} › ${lessonTitle(lesson)} › ${asset.fileName}` });
        }
      }
    }
  }
  return items;
}

const READINESS_LABELS: Record<LessonReadiness['state'], string> = { ready: 'Ready', 'at-risk': 'At risk', missed: 'Missed' };
const READINESS_BADGES: Record<LessonReadiness['state'], UploadState> = { ready: 'published', 'at-risk': 'failed', missed: 'rejected' };
const MISSING_LABELS: Record<MissingStatus, string> = {
  'not-uploaded': 'not uploaded',
  processing: 'processing',
  rejected: 'rejected',
  failed: 'failed',
  'no-captions': 'no captions',
  'published-late': 'published late',
};

/** "Upcoming classes": each scheduled lesson's readiness and what is missing, linked to its file. */
export function classesBoard(catalog: PreviewCatalog, readiness: LessonReadiness[]): string {
  const rows = readiness
    .map((r) => {
      const course = catalog.courses.find((c) => c.slug === r.course);
      const lesson = course?.lessons.find((l) => l.slug === r.lesson);
      const title = `${course ? courseTitle(course) : r.course} › ${lesson ? lessonTitle(lesson) : (r.lessonTitle ?? r.lesson)}`;
      // The class time as the course states it: in the course's own zone, named.
      const when = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: r.timeZone ?? 'UTC', timeZoneName: 'short' }).format(new Date(r.scheduledAt));
      const missing = r.missing
        .map((m) => {
          const asset = lesson?.assets.find((a) => a.fileName === m.file);
          const name = asset ? `<a href="${escapeHtml(hrefFile(r.course, r.lesson, m.file))}">${escapeHtml(m.file)}</a>` : `<code>${escapeHtml(m.file)}</code>`;
          const first = m.reasons[0];
          const where = first ? reasonWhere(first) : '';
          const reason = first ? ` — ${where ? `<span class="reason-where">${escapeHtml(where)}</span> ` : ''}${escapeHtml(first.message)}` : '';
          return `<li>${name}${m.optional ? ' (optional)' : ''}: <strong>${escapeHtml(MISSING_LABELS[m.status])}</strong>${reason}</li>`;
        })
        .join('');
      return `<li class="attention-item">${badge(READINESS_BADGES[r.state], undefined, READINESS_LABELS[r.state])}<div class="attention-body"><a href="${escapeHtml(hrefLesson(r.course, r.lesson))}">${escapeHtml(title)}</a><p class="class-when"><time datetime="${escapeHtml(r.scheduledAt)}">${escapeHtml(when)}</time></p>${
        missing ? `<ul class="class-missing">${missing}</ul>` : ''
      }</div></li>`;
    })
    .join('');
  return `<section class="classes" aria-labelledby="classes-title"><h2 id="classes-title">Upcoming classes</h2><ul class="attention-list">${rows}</ul></section>`;
}

// ── views ───────────────────────────────────────────────────────────────────────────────────

export function renderHome(catalog: PreviewCatalog): RenderedView {
  const parts: string[] = [];
  parts.push(
    `<header class="page-head"><h1 id="view-title" tabindex="-1">Course preview</h1><p class="lede">Every course as students will see it, and every upload that still needs attention.</p></header>`,
  );
  if (catalog.source.statuses && (catalog.courses.length > 0 || catalog.unplaced.length > 0)) {
    parts.push(`<section class="summary" aria-labelledby="summary-title"><h2 id="summary-title" class="visually-hidden">Files by status</h2>${countList(catalog.summary, 'counts')}</section>`);
  }
  const attention = attentionItems(catalog);
  if (attention.length > 0) {
    const items = attention
      .map(({ upload, href, label }) => {
        const first = upload.reasons[0];
        const more = upload.reasons.length - 1;
        const where = first ? reasonWhere(first) : '';
        return `<li class="attention-item">${badge(upload.status)}<div class="attention-body"><a href="${escapeHtml(href)}">${escapeHtml(label)}</a><p class="attention-key">${escapeHtml(upload.key)}</p>${
          first
            ? `<p class="attention-reason">${where ? `<span class="reason-where">${escapeHtml(where)}</span> ` : ''}${escapeHtml(first.message)}${more > 0 ? ` <span class="more">(and ${escapeHtml(plural(more, 'more problem'))})</span>` : ''}</p>`
            : ''
        }</div></li>`;
      })
      .join('');
    parts.push(`<section class="attention" aria-labelledby="attention-title"><h2 id="attention-title">Needs attention</h2><ul class="attention-list">${items}</ul></section>`);
  }
  if (catalog.readiness && catalog.readiness.length > 0) parts.push(classesBoard(catalog, catalog.readiness));
  if (catalog.courses.length === 0) {
    parts.push(
      `<section class="empty" aria-labelledby="courses-title"><h2 id="courses-title">Courses</h2><p>${
        catalog.source.mode === 'local'
          ? 'Nothing uploaded yet. Drop files into <code>uploads/courses/&lt;course&gt;/lessons/&lt;lesson&gt;/</code> in the state folder; they appear here as they are processed.'
          : 'Nothing is published here yet.'
      }</p></section>`,
    );
  } else {
    const cards = catalog.courses
      .map((course) => {
        const files = courseFiles(course);
        return `<li class="course-card"><h3 class="course-card-title"><a href="${escapeHtml(hrefCourse(course.slug))}">${escapeHtml(courseTitle(course))}</a></h3><p class="slug">${escapeHtml(course.slug)}</p>${
          course.description ? `<p class="course-card-description">${escapeHtml(course.description)}</p>` : ''
        }<p class="meta">${escapeHtml(plural(course.lessons.length, 'lesson'))} · ${escapeHtml(plural(files, 'file'))}</p>${catalog.source.statuses ? countList(courseCounts(course), 'mini-counts') : ''}</li>`;
      })
      .join('');
    parts.push(`<section aria-labelledby="courses-title"><h2 id="courses-title">Courses</h2><ul class="course-list">${cards}</ul></section>`);
  }
  if (catalog.unplaced.length > 0) {
    const items = catalog.unplaced.map((u) => `<li class="attention-item">${badge(u.status)}<div class="attention-body"><p class="attention-key">${escapeHtml(u.key)}</p>${reasonList(u.reasons)}</div></li>`).join('');
    parts.push(
      `<section class="attention" aria-labelledby="unplaced-title"><h2 id="unplaced-title">Uploads outside the course layout</h2><p>Files must be at <code>courses/&lt;course&gt;/lessons/&lt;lesson&gt;/&lt;file&gt;</code> or <code>courses/&lt;course&gt;/course.yaml</code>.</p><ul class="attention-list">${items}</ul></section>`,
    );
  }
  return { title: 'Course preview', html: parts.join('') };
}

export function renderCourse(catalog: PreviewCatalog, slug: string): RenderedView {
  const course = catalog.courses.find((c) => c.slug === slug);
  if (!course) return renderNotFound(`There is no course “${slug}” here.`);
  const parts = [breadcrumb([{ label: 'All courses', href: hrefHome() }, { label: courseTitle(course) }])];
  parts.push(
    `<header class="page-head"><h1 id="view-title" tabindex="-1">${escapeHtml(courseTitle(course))}</h1>${course.title ? `<p class="slug">${escapeHtml(course.slug)}</p>` : ''}${
      course.description ? `<p class="lede">${escapeHtml(course.description)}</p>` : ''
    }</header>`,
  );
  const yaml = course.uploads[0];
  if (yaml) {
    parts.push(
      `<section class="course-yaml status-box status-${escapeHtml(yaml.status)}" aria-labelledby="course-yaml-title"><h2 id="course-yaml-title" class="box-title">course.yaml ${badge(yaml.status)}</h2>${
        yaml.status === 'rejected'
          ? `<p>The course details were not updated: ${course.hasMetadata ? 'the previous course.yaml still applies' : 'lessons are listed by folder name'}. Fix these problems and upload it again:</p>${reasonList(yaml.reasons)}`
          : yaml.status === 'failed'
            ? failedBlock(yaml)
            : yaml.status === 'processing'
              ? '<p>Reading the course details…</p>'
              : `<p>Title, description and lesson order come from the course.yaml uploaded ${timeTag(yaml.finishedAt || yaml.receivedAt)}.</p>`
      }${warningsBlock(yaml.warnings)}</section>`,
    );
  } else if (!course.hasMetadata && catalog.source.statuses) {
    parts.push(`<p class="note">No course.yaml yet: lessons are listed by folder name. Upload <code>courses/${escapeHtml(course.slug)}/course.yaml</code> to give the course a title and put its lessons in order.</p>`);
  }
  const lessons = course.lessons
    .map((lesson) => {
      const rows = lesson.assets
        .map(
          (asset) =>
            `<li class="asset-row"><span class="kind-tag kind-${escapeHtml(asset.kind || 'file')}">${escapeHtml(kindLabel(asset.kind))}</span><a href="${escapeHtml(hrefFile(course.slug, lesson.slug, asset.fileName))}">${escapeHtml(asset.fileName)}</a>${badge(asset.state, 'badge-small')}</li>`,
        )
        .join('');
      const number = lesson.position !== undefined ? `Lesson ${lesson.position}` : course.hasMetadata ? 'Not in course.yaml' : '';
      return `<li class="lesson-card"><h2 class="lesson-card-title"><a href="${escapeHtml(hrefLesson(course.slug, lesson.slug))}">${number ? `<span class="lesson-no">${escapeHtml(number)}</span>` : ''}<span class="lesson-name">${escapeHtml(lessonTitle(lesson))}</span></a>${accessTag(lesson)}</h2>${
        lesson.description ? `<p class="lesson-card-description">${escapeHtml(lesson.description)}</p>` : ''
      }${rows ? `<ul class="asset-rows">${rows}</ul>` : '<p class="note">Nothing uploaded to this lesson yet.</p>'}</li>`;
    })
    .join('');
  parts.push(lessons ? `<ol class="lesson-list">${lessons}</ol>` : '<p class="note">No lessons yet.</p>');
  return { title: courseTitle(course), html: parts.join('') };
}

export function renderLesson(catalog: PreviewCatalog, courseSlug: string, lessonSlug: string): RenderedView {
  const course = catalog.courses.find((c) => c.slug === courseSlug);
  const lesson = course && course.lessons.find((l) => l.slug === lessonSlug);
  if (!course || !lesson) return renderNotFound(`There is no lesson “${lessonSlug}” in “${courseSlug}” here.`);
  const index = course.lessons.indexOf(lesson);
  const previous = course.lessons[index - 1];
  const next = course.lessons[index + 1];
  const parts = [breadcrumb([{ label: 'All courses', href: hrefHome() }, { label: courseTitle(course), href: hrefCourse(course.slug) }, { label: lessonTitle(lesson) }])];
  parts.push(
    `<header class="page-head"><p class="eyebrow">${lesson.position !== undefined ? `Lesson ${escapeHtml(lesson.position)} · ` : ''}${escapeHtml(courseTitle(course))}</p><h1 id="view-title" tabindex="-1">${escapeHtml(lessonTitle(lesson))}</h1>${
      lesson.description ? `<p class="lede">${escapeHtml(lesson.description)}</p>` : ''
    }${accessNote(course.slug, lesson)}</header>`,
  );
  parts.push(`<div class="asset-stack" data-lesson="${escapeHtml(course.slug)}/${escapeHtml(lesson.slug)}">${lesson.assets.map((a) => renderAsset(catalog, a)).join('')}</div>`);
  if (lesson.assets.length === 0) parts.push('<p class="note">Nothing uploaded to this lesson yet.</p>');
  if (previous || next) {
    parts.push(
      `<nav class="pager" aria-label="Lessons">${previous ? `<a class="pager-prev" href="${escapeHtml(hrefLesson(course.slug, previous.slug))}"><span class="pager-label">Previous lesson</span> ${escapeHtml(lessonTitle(previous))}</a>` : '<span></span>'}${
        next ? `<a class="pager-next" href="${escapeHtml(hrefLesson(course.slug, next.slug))}"><span class="pager-label">Next lesson</span> ${escapeHtml(lessonTitle(next))}</a>` : ''
      }</nav>`,
    );
  }
  return { title: `${lessonTitle(lesson)} — ${courseTitle(course)}`, html: parts.join('') };
}

/** On a signed stage: a free-preview lesson is marked; the others need a grant. */
function accessTag(lesson: PreviewLesson): string {
  if (lesson.access === 'public') return ' <span class="access-tag access-public">Public · free preview</span>';
  if (lesson.access === 'signed') return ' <span class="access-tag access-signed">Enrolled students</span>';
  return '';
}

function accessNote(courseSlug: string, lesson: PreviewLesson): string {
  if (lesson.access === 'public') {
    return `<p class="access-note access-public" data-access="public"><strong>Public lesson (free preview).</strong> Anyone can open it without a grant, at <code>/public/courses/${escapeHtml(courseSlug)}/lessons/${escapeHtml(lesson.slug)}/manifest.json</code>.</p>`;
  }
  if (lesson.access === 'signed') return '<p class="access-note access-signed" data-access="signed">Enrolled students only: the files need a grant (this page got one from <code>lectern dev</code>).</p>';
  return '';
}

function renderNotFound(message: string): RenderedView {
  return {
    title: 'Not found',
    html: `${breadcrumb([{ label: 'All courses', href: hrefHome() }, { label: 'Not found' }])}<header class="page-head"><h1 id="view-title" tabindex="-1">Not found</h1><p class="lede">${escapeHtml(message)}</p></header><p><a href="#/">Back to all courses</a></p>`,
  };
}

export function renderView(catalog: PreviewCatalog, route: Route): RenderedView {
  if (route.view === 'course') return renderCourse(catalog, route.course);
  if (route.view === 'lesson') return renderLesson(catalog, route.course, route.lesson);
  return renderHome(catalog);
}

// ── one asset ───────────────────────────────────────────────────────────────────────────────

/** The three independently updated parts of an asset card, each with a key that says when it changed. */
export function assetParts(catalog: PreviewCatalog, asset: PreviewAsset): { id: string; head: string; status: string; content: string; contentKey: string } {
  const id = assetId(asset.fileName);
  const subtitle = assetSubtitle(asset);
  const head = `<div class="asset-title"><span class="kind-tag kind-${escapeHtml(asset.kind || 'file')}">${escapeHtml(kindLabel(asset.kind))}</span><h2 id="${id}-title" class="asset-name">${escapeHtml(asset.fileName)}</h2>${
    subtitle ? `<p class="asset-subtitle">${escapeHtml(subtitle)}</p>` : ''
  }</div>${badge(asset.state)}`;
  const status = statusBlock(catalog, asset);
  const content = contentBlock(asset, id);
  return { id, head, status, content, contentKey: asset.published ? `${asset.published.assetVersionId}:${(asset.published.captions || []).map((c) => c.url).join(',')}` : 'none' };
}

export function renderAsset(catalog: PreviewCatalog, asset: PreviewAsset): string {
  const p = assetParts(catalog, asset);
  return `<article class="asset asset-${escapeHtml(asset.state)}" id="${p.id}" data-file="${escapeHtml(asset.fileName)}" aria-labelledby="${p.id}-title"><header class="asset-head" data-part="head">${p.head}</header><div class="asset-status" data-part="status">${p.status}</div><div class="asset-body" data-part="content" data-key="${escapeHtml(p.contentKey)}">${p.content}</div></article>`;
}

function assetSubtitle(asset: PreviewAsset): string {
  const m = asset.published?.metadata ?? {};
  const bits: string[] = [];
  if (typeof m.title === 'string' && m.title) bits.push(m.title);
  if (typeof m.questionCount === 'number') bits.push(plural(m.questionCount, 'question'));
  if (typeof m.pageCount === 'number') bits.push(plural(m.pageCount, 'page'));
  if (typeof m.cues === 'number') bits.push(plural(m.cues, 'cue'));
  if (typeof m.language === 'string' && asset.kind === 'captions') bits.push(languageName(m.language));
  return bits.join(' · ');
}

function statusBlock(catalog: PreviewCatalog, asset: PreviewAsset): string {
  const latest = asset.latest;
  const published = asset.published;
  const stillPublished = published && latest && published.assetVersionId !== latest.assetVersionId;
  const studentsSee = published
    ? `Students still get the version published ${published.publishedAt ? timeTag(published.publishedAt) : 'earlier'}.`
    : 'Students do not see this file.';
  if (!latest) {
    return `<p class="status-line">${catalog.source.statuses ? 'Published.' : 'Published (statuses need the database).'}</p>`;
  }
  if (latest.status === 'published') {
    return `<p class="status-line">Published ${timeTag(latest.finishedAt || latest.receivedAt)}${latest.durationMs ? ` · ${escapeHtml(formatClock(latest.durationMs / 1000))} from upload to published` : ''}.</p>${warningsBlock(latest.warnings)}${historyBlock(asset)}`;
  }
  if (latest.status === 'processing') {
    const progress =
      typeof latest.progress === 'number'
        ? `<div class="progress-row"><span id="${assetId(asset.fileName)}-progress-label">Transcoding</span><progress max="100" value="${escapeHtml(latest.progress)}" aria-labelledby="${assetId(asset.fileName)}-progress-label">${escapeHtml(latest.progress)}%</progress><span class="progress-value">${escapeHtml(latest.progress)}%</span></div>`
        : '<div class="progress-row"><span class="spinner" aria-hidden="true"></span><span>Checking the file…</span></div>';
    return `<div class="status-box status-processing"><p>Uploaded ${timeTag(latest.receivedAt)}; being processed now.${stillPublished ? ` ${studentsSee}` : ''}</p>${progress}</div>${historyBlock(asset)}`;
  }
  if (latest.status === 'rejected') {
    return `<div class="status-box status-rejected"><p class="status-lead"><strong>This upload was rejected</strong> (uploaded ${timeTag(latest.receivedAt)}). ${studentsSee} Fix ${
      latest.reasons.length === 1 ? 'this problem' : `these ${latest.reasons.length} problems`
    } and upload the file again:</p>${reasonList(latest.reasons)}${warningsBlock(latest.warnings)}</div>${historyBlock(asset)}`;
  }
  return `<div class="status-box status-failed">${failedBlock(latest)}<p>${studentsSee}</p></div>${historyBlock(asset)}`;
}

function failedBlock(upload: UploadStatus): string {
  const error = upload.error && typeof upload.error === 'object' ? (upload.error as { message?: unknown; cause?: unknown }) : undefined;
  const message = upload.reasons[0] ? upload.reasons[0].message : error && (error.message || error.cause) ? String(error.message || error.cause) : '';
  return `<p class="status-lead"><strong>Processing failed</strong>${upload.failedState ? ` in step <code>${escapeHtml(upload.failedState)}</code>` : ''}. This is not a problem with the file: the pipeline could not finish, and nothing was lost.</p>${
    message ? `<p class="failure-message">${escapeHtml(message)}</p>` : ''
  }${
    upload.replay
      ? `<div class="replay"><p>To try again, run:</p><div class="command"><code>${escapeHtml(upload.replay)}</code><button type="button" class="copy" data-copy="${escapeHtml(upload.replay)}">Copy command</button></div></div>`
      : ''
  }`;
}

function historyBlock(asset: PreviewAsset): string {
  if (!asset.history || asset.history.length < 2) return '';
  const items = asset.history
    .map((u) => `<li>${badge(u.status, 'badge-small')} uploaded ${timeTag(u.receivedAt)}${u.reasons.length ? ` — ${escapeHtml(plural(u.reasons.length, 'problem'))}` : ''}</li>`)
    .join('');
  return `<details class="history"><summary>Upload history (${asset.history.length})</summary><ol class="history-list">${items}</ol></details>`;
}

function contentBlock(asset: PreviewAsset, id: string): string {
  const published = asset.published;
  if (!published) return '';
  const output = (name: string) => published.outputs.find((o) => o.name === name);
  const byType = (re: RegExp) => published.outputs.find((o) => re.test(o.name));
  switch (published.kind) {
    case 'video':
    case 'audio': {
      const hls = byType(/\.m3u8$/i);
      const file = byType(/\.(mp4|m4a)$/i);
      const poster = output('poster.jpg');
      const m = published.metadata || {};
      const tag = published.kind === 'video' ? 'video' : 'audio';
      const tracks = (published.captions || [])
        .map((t, i) => `<track kind="captions" src="${escapeHtml(t.url)}" label="${escapeHtml(t.label)}"${t.language ? ` srclang="${escapeHtml(t.language)}"` : ''}${i === 0 ? ' default' : ''}>`)
        .join('');
      const size = tag === 'video' && m.width && m.height ? ` width="${escapeHtml(m.width)}" height="${escapeHtml(m.height)}"` : '';
      const facts = [];
      const duration = typeof m.outputDurationSeconds === 'number' ? m.outputDurationSeconds : m.durationSeconds;
      if (typeof duration === 'number') facts.push(formatClock(duration));
      if (m.width && m.height) facts.push(`${m.width}×${m.height}`);
      if (Array.isArray(m.renditions) && m.renditions.length) facts.push(`${plural(m.renditions.length, 'rendition')} (${m.renditions.map((r) => r.name).join(', ')})`);
      const captions = published.captions ?? [];
      facts.push(captions.length ? `captions: ${captions.map((c) => c.label).join(', ')}` : 'no captions');
      const thumbs = (published.thumbnails || [])
        .map(
          (t) =>
            `<li><button type="button" class="thumb" data-seek="${escapeHtml(t.start)}" aria-label="Play from ${escapeHtml(formatClock(t.start))}"><img src="${escapeHtml(t.url)}" alt="" loading="lazy"><span class="thumb-time" aria-hidden="true">${escapeHtml(formatClock(t.start))}</span></button></li>`,
        )
        .join('');
      return `<figure class="player player-${tag}"><${tag} class="media" controls preload="none" playsinline${poster ? ` poster="${escapeHtml(poster.url)}"` : ''}${size} aria-label="${escapeHtml(asset.fileName)}"${
        hls ? ` data-hls="${escapeHtml(hls.url)}"` : ''
      }${file ? ` data-fallback="${escapeHtml(file.url)}"` : ''}>${tracks}<p>This browser cannot play the ${tag}.${file ? ` <a href="${escapeHtml(file.url)}">Download it</a>.` : ''}</p></${tag}><figcaption class="player-facts">${escapeHtml(
        facts.join(' · '),
      )}<span class="player-engine" aria-live="polite"></span></figcaption></figure>${
        captions.length
          ? `<section class="transcript" aria-labelledby="${id}-transcript"><h3 id="${id}-transcript" class="small-title">Transcript <span class="facts">(${escapeHtml(captions[0]!.label)})</span></h3><ol class="transcript-cues"></ol></section>`
          : ''
      }${
        thumbs ? `<section class="thumbs" aria-labelledby="${id}-thumbs"><h3 id="${id}-thumbs" class="small-title">Thumbnails</h3><ul class="thumb-strip">${thumbs}</ul></section>` : ''
      }`;
    }
    case 'pdf': {
      const pdf = byType(/\.pdf$/i) || { url: published.url, size: undefined };
      const facts = [formatBytes(pdf.size)].filter(Boolean);
      return `<div class="pdf-frame"><iframe src="${escapeHtml(pdf.url)}" title="${escapeHtml(asset.fileName)} (PDF)" loading="lazy"></iframe></div><p class="actions"><a href="${escapeHtml(pdf.url)}" target="_blank" rel="noopener">Open the PDF in a new tab</a>${
        facts.length ? ` <span class="facts">${escapeHtml(facts.join(' · '))}</span>` : ''
      }</p>`;
    }
    case 'image': {
      const image = byType(/\.(png|jpe?g|gif|webp|svg)$/i) || { url: published.url, size: undefined };
      const m = published.metadata || {};
      const facts = [m.width && m.height ? `${m.width}×${m.height}` : '', formatBytes(image.size)].filter(Boolean);
      return `<figure class="lesson-image"><img src="${escapeHtml(image.url)}" alt="${escapeHtml(asset.fileName)}" loading="lazy"><figcaption class="facts">${escapeHtml(facts.join(' · '))}</figcaption></figure>`;
    }
    case 'quiz': {
      const quiz = output('quiz.json') || { url: published.url };
      return `<div class="quiz-mount" data-quiz-url="${escapeHtml(quiz.url)}" data-quiz-id="${id}"><p class="note">Loading the quiz…</p></div>`;
    }
    case 'captions': {
      const m = published.metadata || {};
      const vtt = byType(/\.vtt$/i) || { url: published.url };
      const language = typeof m.language === 'string' && m.language ? `${languageName(m.language)} ` : '';
      const shown = asset.captionsFor
        ? `Shown as the ${escapeHtml(language)}captions of <strong>${escapeHtml(asset.captionsFor)}</strong> in this lesson.`
        : `No video or audio named <strong>${escapeHtml(m.videoStem || asset.fileName)}.*</strong> is published in this lesson yet: these captions will be shown with it once it is.`;
      return `<p>${shown} <a href="${escapeHtml(vtt.url)}">Open the WebVTT file</a>.</p>`;
    }
    default:
      return `<p><a href="${escapeHtml(published.url)}">Open the published file</a>.</p>`;
  }
}

/** The line in the top bar that says where the data comes from and how fresh it is. */
export function renderSource(catalog: PreviewCatalog, state?: { offline?: boolean; checkedAt?: string }): string {
  const s = catalog.source;
  const where = s.mode === 'local' ? 'Local' : `Stage ${s.stage || ''}`.trim();
  const when = s.live
    ? state && state.offline
      ? 'reconnecting…'
      : `live · updated ${formatTime((state && state.checkedAt) || catalog.generatedAt)}`
    : `snapshot of ${formatDateTime(catalog.generatedAt)}`;
  const statuses = s.statuses ? '' : 'published content only (no database)';
  return `<span class="source-where">${escapeHtml(where)}</span><span class="source-when${s.live ? ' source-live' : ''}${state && state.offline ? ' source-offline' : ''}">${escapeHtml(when)}</span>${statuses ? `<span class="source-note">${escapeHtml(statuses)}</span>` : ''}`;
}
