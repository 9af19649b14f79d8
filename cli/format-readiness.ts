/** Readiness of scheduled classes, as `lectern status` and `lectern readiness` print it. */
import { formatClassTime } from '../shared/schedule/class-time.js';
import { describeMissing, type LessonReadiness } from '../shared/schedule/readiness.js';

export function formatReadiness(list: LessonReadiness[], now: Date): string {
  if (list.length === 0) return 'Classes: none scheduled (add scheduledAt and expects to lessons in course.yaml)';
  const lines = ['Classes (next first):'];
  for (const r of list) {
    const when = formatClassTime(new Date(r.scheduledAt), r.timeZone);
    lines.push(`  ${r.state.padEnd(8)} ${when}  ${relative(new Date(r.scheduledAt).getTime() - now.getTime())}  ${r.course}/${r.lesson}${r.lessonTitle ? ` — ${r.lessonTitle}` : ''}`);
    for (const m of r.missing) lines.push(`             ${describeMissing(m)}`);
  }
  return lines.join('\n');
}

function relative(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const text = minutes < 90 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} days`;
  return ms >= 0 ? `(in ${text})` : `(started ${text} ago)`;
}
