/**
 * `courses/<course>/course.yaml`: the course's title, description, language, tags and the order
 * of its lessons. The schema is strict — an unknown key is an error (with a "did you mean"), so a
 * misspelt `descripton` never silently disappears. Documented in docs/course-yaml.md.
 */
import { ACCESS_MODES, type AccessMode } from '../access/access-policy.js';
import * as z from '../zod.js';
import { checkLanguageTag } from '../language-tag.js';
import { SLUG_PATTERN } from '../upload-key.js';

export interface CourseLesson {
  /** The lesson's folder name under `lessons/`. */
  slug: string;
  title: string;
  description?: string;
  /** `public`: a free preview, served without cookies; absent: the course's access. */
  access?: AccessMode;
}

export interface CourseMetadata {
  title: string;
  description?: string;
  /** Canonical BCP 47 tag (`en`, `pt-BR`). */
  language?: string;
  tags?: string[];
  /** Who may fetch the course's files (docs/access.md); absent: the stage's default. */
  access?: AccessMode;
  /**
   * The lessons in order (position 1, 2, …). Absent: the lesson order is left as it is.
   * Present (even empty): lessons not listed lose their position.
   */
  lessons?: CourseLesson[];
}

export const COURSE_FIELD_LIMITS = {
  title: 200,
  description: 10_000,
  lessonDescription: 5_000,
  lessons: 1_000,
  tags: 30,
  tag: 50,
} as const;

export const COURSE_KEYS = ['title', 'description', 'language', 'tags', 'access', 'lessons'] as const;
export const LESSON_KEYS = ['slug', 'title', 'description', 'access'] as const;

/** Required, non-empty text (trimmed). */
const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
/** Optional text: a missing key, `key:` with no value (null) and `""` all mean "none". */
const optionalText = (max: number) => z.nullish(z.string().check(z.trim(), z.maxLength(max)));

const language = z.pipe(
  z.string(),
  z.transform((value: string, ctx) => {
    const check = checkLanguageTag(value);
    if (check.ok) return check.tag;
    ctx.issues.push({ code: 'custom', message: check.problem, params: { code: 'course.invalid-language' }, input: value });
    return z.NEVER;
  }),
);

export const LessonSchema = z.strictObject({
  slug: z.string().check(z.regex(SLUG_PATTERN)),
  title: text(COURSE_FIELD_LIMITS.title),
  description: optionalText(COURSE_FIELD_LIMITS.lessonDescription),
  access: z.nullish(z.enum(ACCESS_MODES)),
});

export const CourseSchema = z.strictObject({
  title: text(COURSE_FIELD_LIMITS.title),
  description: optionalText(COURSE_FIELD_LIMITS.description),
  language: z.nullish(language),
  tags: z.nullish(z.array(text(COURSE_FIELD_LIMITS.tag)).check(z.maxLength(COURSE_FIELD_LIMITS.tags))),
  access: z.nullish(z.enum(ACCESS_MODES)),
  lessons: z.nullish(z.array(LessonSchema).check(z.maxLength(COURSE_FIELD_LIMITS.lessons))),
});

export type CourseInput = z.output<typeof CourseSchema>;

/** The schema's output without nulls and empty strings: what the rest of lectern sees. */
export function toCourseMetadata(input: CourseInput): CourseMetadata {
  const course: CourseMetadata = { title: input.title };
  if (input.description) course.description = input.description;
  if (input.language) course.language = input.language;
  if (input.tags) course.tags = [...new Set(input.tags)];
  if (input.access) course.access = input.access;
  if (input.lessons) {
    course.lessons = input.lessons.map((lesson) => ({
      slug: lesson.slug,
      title: lesson.title,
      ...(lesson.description ? { description: lesson.description } : {}),
      ...(lesson.access ? { access: lesson.access } : {}),
    }));
  }
  return course;
}
