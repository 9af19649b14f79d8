/** "Upcoming classes" on the home page: each scheduled lesson's readiness and what it still lacks. */
import type { LessonReadiness, MissingStatus } from '../../../shared/schedule/readiness.js';
import type { PreviewCatalog, UploadState } from '../catalog.js';
import { escapeHtml } from './html.js';
import { badge, courseTitle, lessonTitle, reasonWhere } from './pieces.js';
import { hrefFile, hrefLesson } from './route.js';

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
