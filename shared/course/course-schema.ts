/**
 * `courses/<course>/course.yaml`: the course's title, description, language, tags and the order
 * of its lessons. The schema is strict — an unknown key is an error (with a "did you mean"), so a
 * misspelt `descripton` never silently disappears. Documented in docs/course-yaml.md.
 */
import { ACCESS_MODES, type AccessMode } from '../access/access-policy.js';
import * as z from '../util/zod.js';
import { checkLanguageTag } from '../util/language-tag.js';
import { isTimeZone } from '../schedule/class-time.js';
import { SLUG_PATTERN } from '../contract/upload-key.js';

export interface CourseLesson {
  /** The lesson's folder name under `lessons/`. */
  slug: string;
  title: string;
  description?: string;
  /** `public`: a free preview, served without cookies; absent: the course's access. */
  access?: AccessMode;
  /** When the class starts (an instant, ISO 8601 UTC), from `scheduledAt`. */
  scheduledAt?: string;
  /** The language spoken in the lesson's videos when it is not the course's (automatic captions). */
  language?: string;
  /** The asset files the class needs, in the order given. */
  expects?: ExpectedAsset[];
}

export interface ExpectedAsset {
  /** A file name of the lesson (`lecture.mp4`). */
  file: string;
  /** An optional asset is reported but never makes the lesson at risk. */
  optional: boolean;
}

export interface CourseMetadata {
  title: string;
  description?: string;
  /** Canonical BCP 47 tag (`en`, `pt-BR`). */
  language?: string;
  tags?: string[];
  /** Who may fetch the course's files (docs/access.md); absent: the stage's default. */
  access?: AccessMode;
  /** IANA time zone (`Europe/Paris`) in which local `scheduledAt` values are read. */
  timeZone?: string;
  /** Every expected video or audio needs a published caption track to be ready. */
  requireCaptions?: boolean;
  /** Terms automatic captions should recognise (a Transcribe custom vocabulary): `[mitosis, cytokinesis]`. */
  vocabulary?: string[];
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
  expects: 50,
  vocabulary: 1000,
  term: 256,
} as const;

export const COURSE_KEYS = ['title', 'description', 'language', 'tags', 'access', 'timeZone', 'requireCaptions', 'vocabulary', 'lessons'] as const;
export const LESSON_KEYS = ['slug', 'title', 'description', 'access', 'scheduledAt', 'language', 'expects'] as const;
export const EXPECT_KEYS = ['file', 'optional'] as const;

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

const timeZone = z.pipe(
  z.string(),
  z.transform((value: string, ctx) => {
    const zone = value.trim();
    if (isTimeZone(zone)) return zone;
    ctx.issues.push({ code: 'custom', message: 'is not an IANA time zone name', params: { code: 'course.invalid-time-zone' }, input: value });
    return z.NEVER;
  }),
);

/** `lecture.mp4`, or `{ file: notes.pdf, optional: true }`. The file name is checked after parsing. */
const expectedAsset = z.union([
  z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  z.strictObject({ file: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), optional: z.nullish(z.boolean()) }),
]);

export const LessonSchema = z.strictObject({
  slug: z.string().check(z.regex(SLUG_PATTERN)),
  title: text(COURSE_FIELD_LIMITS.title),
  description: optionalText(COURSE_FIELD_LIMITS.lessonDescription),
  access: z.nullish(z.enum(ACCESS_MODES)),
  /** Read against the course's time zone after parsing (parse-course.ts). */
  scheduledAt: z.nullish(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  language: z.nullish(language),
  expects: z.nullish(z.array(expectedAsset).check(z.maxLength(COURSE_FIELD_LIMITS.expects))),
});

export const CourseSchema = z.strictObject({
  title: text(COURSE_FIELD_LIMITS.title),
  description: optionalText(COURSE_FIELD_LIMITS.description),
  language: z.nullish(language),
  tags: z.nullish(z.array(text(COURSE_FIELD_LIMITS.tag)).check(z.maxLength(COURSE_FIELD_LIMITS.tags))),
  access: z.nullish(z.enum(ACCESS_MODES)),
  timeZone: z.nullish(timeZone),
  requireCaptions: z.nullish(z.boolean()),
  vocabulary: z.nullish(z.array(text(COURSE_FIELD_LIMITS.term)).check(z.maxLength(COURSE_FIELD_LIMITS.vocabulary))),
  lessons: z.nullish(z.array(LessonSchema).check(z.maxLength(COURSE_FIELD_LIMITS.lessons))),
});

export type CourseInput = z.output<typeof CourseSchema>;

/**
 * The schema's output without nulls and empty strings: what the rest of lectern sees.
 * `scheduledAt` instants come from `scheduledAt(index)`, which read them against the time zone.
 */
export function toCourseMetadata(input: CourseInput, scheduledAt: (lessonIndex: number) => Date | undefined = () => undefined): CourseMetadata {
  const course: CourseMetadata = { title: input.title };
  if (input.description) course.description = input.description;
  if (input.language) course.language = input.language;
  if (input.tags) course.tags = [...new Set(input.tags)];
  if (input.access) course.access = input.access;
  if (input.timeZone) course.timeZone = input.timeZone;
  if (input.requireCaptions) course.requireCaptions = true;
  if (input.vocabulary && input.vocabulary.length > 0) course.vocabulary = [...new Set(input.vocabulary)];
  if (input.lessons) {
    course.lessons = input.lessons.map((lesson, index) => {
      const at = scheduledAt(index);
      return {
        slug: lesson.slug,
        title: lesson.title,
        ...(lesson.description ? { description: lesson.description } : {}),
        ...(lesson.access ? { access: lesson.access } : {}),
        ...(at ? { scheduledAt: at.toISOString() } : {}),
        ...(lesson.language ? { language: lesson.language } : {}),
        ...(lesson.expects ? { expects: toExpected(lesson.expects) } : {}),
      };
    });
  }
  return course;
}

function toExpected(entries: NonNullable<CourseInput['lessons']>[number]['expects']): ExpectedAsset[] {
  const byFile = new Map<string, ExpectedAsset>();
  for (const entry of entries ?? []) {
    const expected = typeof entry === 'string' ? { file: entry, optional: false } : { file: entry.file, optional: entry.optional === true };
    if (!byFile.has(expected.file)) byFile.set(expected.file, expected);
  }
  return [...byFile.values()];
}
