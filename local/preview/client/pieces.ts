/** Small pieces of HTML the views and the file cards share: badges, titles, reasons, breadcrumbs, times, a failed run. */
import type { Reason } from '../../../shared/contract/errors.js';
import type { UploadStatus } from '../../../shared/contract/status-report.js';
import type { PreviewCourse, PreviewLesson } from '../catalog.js';
import { formatDateTime, plural } from './format.js';
import { escapeHtml } from './html.js';

const KIND_LABELS: Record<string, string> = { video: 'Video', audio: 'Audio', pdf: 'PDF', quiz: 'Quiz', captions: 'Captions', course: 'Course details' };
export const STATE_LABELS: Record<string, string> = { published: 'Published', processing: 'Processing', rejected: 'Rejected', failed: 'Failed' };
const STATE_ICONS: Record<string, string> = { published: '✓', processing: '…', rejected: '✕', failed: '!' };

export function kindLabel(kind: string | undefined): string {
  return (kind && KIND_LABELS[kind]) || (kind ? kind[0]!.toUpperCase() + kind.slice(1) : 'File');
}

export function timeTag(iso: string, text?: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(text || formatDateTime(iso))}</time>`;
}

export function badge(state: string, extra?: string, label = STATE_LABELS[state] || state): string {
  return `<span class="badge badge-${escapeHtml(state)}${extra ? ` ${extra}` : ''}"><span class="badge-icon" aria-hidden="true">${STATE_ICONS[state] || ''}</span>${escapeHtml(label)}</span>`;
}

export function courseTitle(course: PreviewCourse): string {
  return course.title || course.slug;
}

export function lessonTitle(lesson: PreviewLesson): string {
  return lesson.title || lesson.slug;
}

export function reasonWhere(reason: Reason): string {
  if (reason.line === undefined || reason.line === null) return '';
  return `Line ${reason.line}${reason.column !== undefined && reason.column !== null ? `, column ${reason.column}` : ''}`;
}

export function reasonList(reasons: Reason[] | undefined, className?: string): string {
  if (!reasons || reasons.length === 0) return '';
  const items = reasons
    .map((r) => {
      const where = reasonWhere(r);
      return `<li class="reason">${where ? `<span class="reason-where">${escapeHtml(where)}</span>` : ''}<span class="reason-message">${escapeHtml(r.message)}</span><code class="reason-code">${escapeHtml(r.code)}</code></li>`;
    })
    .join('');
  return `<ol class="reasons ${className || ''}">${items}</ol>`;
}

export function warningsBlock(warnings: Reason[] | undefined): string {
  if (!warnings || warnings.length === 0) return '';
  return `<details class="warnings"><summary>${escapeHtml(plural(warnings.length, 'warning'))} — published anyway</summary>${reasonList(warnings, 'reasons-warning')}</details>`;
}

export function breadcrumb(items: Array<{ label: string; href?: string }>): string {
  const lis = items
    .map((item, i) => (i === items.length - 1 ? `<li><span aria-current="page">${escapeHtml(item.label)}</span></li>` : `<li><a href="${escapeHtml(item.href ?? '')}">${escapeHtml(item.label)}</a></li>`))
    .join('');
  return `<nav class="breadcrumb" aria-label="Breadcrumb"><ol>${lis}</ol></nav>`;
}

export function failedBlock(upload: UploadStatus): string {
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
