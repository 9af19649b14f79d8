/**
 * The preview page's views as HTML strings, from the catalog (`local/preview/catalog.ts`).
 * Runs in two places: on the server (lectern dev renders the first view into the page, the static
 * builder writes it) and in the browser (bundled into `preview.js`, it re-renders on navigation and
 * on live updates).
 *
 * Rich text is never rendered here; everything is escaped. (Quiz HTML — sanitised by the pipeline
 * — is rendered by quiz-render.ts.)
 */
import type { PreviewCatalog, PreviewCourse, PreviewLesson, UploadState } from '../catalog.js';
import type { UploadStatus } from '../../../shared/contract/status-report.js';
import { renderAsset } from './asset-card.js';
import { classesBoard } from './classes-board.js';
import { formatDateTime, formatTime, plural } from './format.js';
import { escapeHtml } from './html.js';
import { badge, breadcrumb, courseTitle, failedBlock, kindLabel, lessonTitle, reasonList, reasonWhere, STATE_LABELS, timeTag, warningsBlock } from './pieces.js';
import { hrefCourse, hrefFile, hrefHome, hrefLesson, type Route } from './route.js';

export interface RenderedView {
  title: string;
  html: string;
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
