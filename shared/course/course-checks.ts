/**
 * The checks on a course that zod cannot make with positions: a lesson slug listed twice, class
 * times read against the course's time zone, expected files held to the upload contract, a tag
 * listed twice.
 */
import type { Reason } from '../contract/errors.js';
import { quote } from '../contract/reasons.js';
import { parseClassTime } from '../schedule/class-time.js';
import { parseUploadKey } from '../contract/upload-key.js';
import type { CourseInput } from './course-schema.js';
import { courseReason, type Locate } from './course-reasons.js';

export function duplicateSlugs(data: unknown, locate: Locate): Reason[] {
  const lessons = (data as { lessons?: unknown } | null)?.lessons;
  if (!Array.isArray(lessons)) return [];
  const first = new Map<string, number>();
  const reasons: Reason[] = [];
  lessons.forEach((lesson, index) => {
    const slug = (lesson as { slug?: unknown } | null)?.slug;
    if (typeof slug !== 'string') return;
    const earlier = first.get(slug);
    if (earlier === undefined) {
      first.set(slug, index);
      return;
    }
    const p = locate(['lessons', index, 'slug']);
    const q = locate(['lessons', earlier, 'slug']);
    reasons.push(
      courseReason(
        'course.duplicate-slug',
        `Lesson ${index + 1} (line ${p.line}, column ${p.column}) repeats the slug "${slug}" of lesson ${earlier + 1} (line ${q.line}). Each lesson is listed once, by the name of its folder; remove one of them.`,
        p,
      ),
    );
  });
  return reasons;
}

/** Class times read against the course's time zone; expected files checked against the upload contract. */
export function scheduleReasons(input: CourseInput, locate: Locate): { errors: Reason[]; warnings: Reason[]; times: Map<number, Date> } {
  const errors: Reason[] = [];
  const warnings: Reason[] = [];
  const times = new Map<number, Date>();
  (input.lessons ?? []).forEach((lesson, index) => {
    if (lesson.scheduledAt) {
      const result = parseClassTime(lesson.scheduledAt, input.timeZone ?? undefined);
      const p = locate(['lessons', index, 'scheduledAt']);
      if (result.ok) times.set(index, result.at);
      else errors.push(courseReason('course.invalid-schedule', `The \`scheduledAt\` of lesson ${index + 1} ${quote(lesson.scheduledAt)} (line ${p.line}, column ${p.column}) is not usable: ${result.problem}.`, p));
    }
    const seen = new Set<string>();
    (lesson.expects ?? []).forEach((entry, j) => {
      const file = typeof entry === 'string' ? entry : entry.file;
      const path = typeof entry === 'string' ? ['lessons', index, 'expects', j] : ['lessons', index, 'expects', j, 'file'];
      const p = locate(path);
      if (seen.has(file)) {
        warnings.push(courseReason('course.duplicate-expected-file', `Lesson ${index + 1} expects ${quote(file)} twice (line ${p.line}, column ${p.column}); it is counted once.`, p));
        return;
      }
      seen.add(file);
      try {
        parseUploadKey(`courses/course/lessons/${lesson.slug}/${file}`);
      } catch (error) {
        const why = (error as Error).message.replace(/ in "courses\/course\/lessons\/[^"]*"/g, '');
        errors.push(courseReason('course.invalid-expected-file', `Lesson ${index + 1} expects ${quote(file)} (line ${p.line}, column ${p.column}), which cannot be a lesson upload: ${why} Write the file name exactly as it is uploaded into lessons/${lesson.slug}/.`, p));
      }
    });
  });
  return { errors, warnings, times };
}

export function duplicateTags(tags: string[], locate: Locate): Reason[] {
  const seen = new Set<string>();
  const reasons: Reason[] = [];
  tags.forEach((tag, index) => {
    if (!seen.has(tag)) {
      seen.add(tag);
      return;
    }
    const p = locate(['tags', index]);
    reasons.push(courseReason('course.duplicate-tag', `The tag "${tag}" is listed twice (line ${p.line}, column ${p.column}); it is kept once.`, p));
  });
  return reasons;
}
