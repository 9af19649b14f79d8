/**
 * course.yaml bytes → `CourseMetadata`, or every reason it is not usable, each with the line
 * and column in the file. Pure, and safe on hostile input: size cap, strict UTF-8, no control
 * characters, then the shared guarded YAML reader (yaml-reasons.ts: nesting, one YAML 1.2
 * document with unique keys, aliases bounded), the schema and the checks zod cannot make.
 */
import type { Reason } from '../contract/errors.js';
import { LANGUAGE_TAG_EXAMPLES } from '../util/language-tag.js';
import { quote } from '../contract/reasons.js';
import { parseClassTime } from '../schedule/class-time.js';
import { parseUploadKey, slugify } from '../contract/upload-key.js';
import type { YamlPath } from '../yaml/read-yaml.js';
import { decodeStrictUtf8 } from '../util/strict-utf8.js';
import { withDefaults, type CourseLimits } from './course-limits.js';
import { closest, courseReason, orderAndCap, type Locate, type Position } from './course-reasons.js';
import { COURSE_KEYS, CourseSchema, EXPECT_KEYS, LESSON_KEYS, toCourseMetadata, type CourseInput, type CourseMetadata } from './course-schema.js';
import { readCourseYaml } from './yaml-reasons.js';

export interface ParseCourseInput {
  bytes: Uint8Array;
  fileName: string;
  limits?: Partial<CourseLimits>;
}

export type ParseCourseResult = { ok: true; course: CourseMetadata; warnings: Reason[] } | { ok: false; reasons: Reason[] };

export function parseCourse(input: ParseCourseInput): ParseCourseResult {
  const limits = withDefaults(input.limits);
  const { bytes, fileName } = input;
  const reject = (reasons: Reason[], unlisted = 0): ParseCourseResult => ({ ok: false, reasons: orderAndCap(reasons, limits.maxErrors, unlisted) });

  if (bytes.length === 0) return reject([courseReason('course.empty', `${fileName} is empty (0 bytes). Write at least a title, e.g. "title: Introduction to Biology".`)]);
  if (bytes.length > limits.maxBytes) {
    return reject([
      courseReason('course.too-large', `${fileName} is ${bytes.length.toLocaleString('en')} bytes; it may be at most ${limits.maxBytes.toLocaleString('en')}. Shorten the descriptions.`),
    ]);
  }
  const decoded = decodeStrictUtf8(bytes, limits.maxErrors);
  if (!decoded.ok) {
    return reject(
      decoded.invalid.map((bad) =>
        courseReason(
          'course.invalid-utf8',
          `${fileName} is not valid UTF-8: byte 0x${bad.byte} at line ${bad.line}, column ${bad.column}. It was probably saved as Windows-1252 or Latin-1; save it again as UTF-8.`,
          bad,
        ),
      ),
      decoded.lines - decoded.invalid.length,
    );
  }
  const text = decoded.text;
  // eslint-disable-next-line no-control-regex -- control characters are what we look for
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (control) {
    const before = text.slice(0, control.index);
    const p = { line: before.split('\n').length, column: control.index - before.lastIndexOf('\n') };
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return reject([
      courseReason(
        'course.binary-content',
        `${fileName} contains the control character U+${code} at line ${p.line}, column ${p.column}: YAML files are plain text. Save course.yaml from a text editor as UTF-8.`,
        p,
      ),
    ]);
  }

  const read = readCourseYaml(text, fileName, limits);
  if (!read.ok) return reject(read.reasons);
  const { value: data, locate } = read.yaml;
  const warnings = read.warnings;
  const parsed = CourseSchema.safeParse(data);
  const errors = parsed.success ? [] : parsed.error.issues.flatMap((issue) => issueReasons(issue, data, locate));
  errors.push(...duplicateSlugs(data, locate));
  if (!parsed.success || errors.length > 0) return reject(errors);

  const schedule = scheduleReasons(parsed.data, locate);
  if (schedule.errors.length > 0) return reject(schedule.errors);
  warnings.push(...duplicateTags(parsed.data.tags ?? [], locate), ...schedule.warnings);
  return { ok: true, course: toCourseMetadata(parsed.data, (index) => schedule.times.get(index)), warnings: orderAndCap(warnings, limits.maxErrors) };
}

// ── zod issues → reasons ───────────────────────────────────────────────────────────────────────

type Path = YamlPath;

/** The part of a zod issue the wording uses. */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  keys?: string[];
  origin?: string;
  maximum?: number | bigint;
  params?: Record<string, unknown>;
}

function issueReasons(issue: Issue, data: unknown, locate: Locate): Reason[] {
  const path = issue.path;
  const value = valueAt(data, path);
  const where = (p: Position) => `line ${p.line}, column ${p.column}`;
  const key = path[path.length - 1];

  if (issue.code === 'unrecognized_keys') {
    const known: readonly string[] = path.length === 0 ? COURSE_KEYS : path[2] === 'expects' ? EXPECT_KEYS : LESSON_KEYS;
    const container = path.length === 0 ? 'the course' : lowerFirst(describe(path));
    return (issue.keys ?? []).map((name) => {
      const p = locate([...path, name], 'key');
      const guess = closest(name, known);
      const hint = guess ? `Did you mean \`${guess}\`? ` : '';
      const misplaced = path.length === 0 && (LESSON_KEYS as readonly string[]).includes(name) && name !== 'title' && name !== 'description' ? 'Lesson fields go under `lessons:`, one `- slug: …` entry per lesson. ' : '';
      return courseReason('course.unknown-field', `Unknown field \`${name}\` in ${container} (${where(p)}). ${hint}${misplaced}Allowed: ${known.join(', ')}.`, p);
    });
  }

  if (issue.code === 'invalid_type' && value === undefined) {
    const parent = path.slice(0, -1);
    const p = locate(parent);
    const owner = parent.length === 0 ? 'The course' : describe(parent);
    const example =
      key === 'slug' ? '`slug: cells` (the name of the lesson\'s folder under lessons/)'
      : key === 'title' ? (parent.length === 0 ? '`title: Introduction to Biology`' : '`title: …` with the lesson\'s title')
      : `\`${String(key)}: …\``;
    return [courseReason('course.missing-field', `${owner} (${where(p)}) has no \`${String(key)}\`. Add ${example}.`, p)];
  }

  const p = locate(path);
  const label = describe(path);
  switch (issue.code) {
    case 'invalid_type':
      return [courseReason('course.wrong-type', `${label} (${where(p)}) must be ${expectedWords(issue.expected, path)}, but it is ${typeWords(value)}. ${typeHint(path, value)}`.trim(), p)];
    case 'too_small':
      return [courseReason('course.empty-value', `${label} (${where(p)}) is empty. ${key === 'title' ? 'Write a title.' : 'Write some text, or remove the line.'}`, p)];
    case 'too_big':
      if (issue.origin === 'array') {
        return [courseReason('course.too-many', `${label} (${where(p)}) lists ${Array.isArray(value) ? value.length : 'too many'} entries; at most ${String(issue.maximum)} are allowed.`, p)];
      }
      return [
        courseReason(
          'course.too-long',
          `${label} (${where(p)}) is ${typeof value === 'string' ? value.trim().length.toLocaleString('en') : 'too many'} characters long; at most ${String(issue.maximum)} are allowed. Shorten it.`,
          p,
        ),
      ];
    case 'invalid_format': {
      const suggestion = typeof value === 'string' ? slugify(value) : '';
      return [
        courseReason(
          'course.invalid-slug',
          `${label} ${quote(String(value))} (${where(p)}) is not a valid slug: use 1–63 lower-case letters, digits and dashes, starting with a letter or digit — the name of the lesson's folder under lessons/.${suggestion ? ` Try "${suggestion}".` : ''}`,
          p,
        ),
      ];
    }
    case 'invalid_value':
      if (key === 'access') {
        return [
          courseReason(
            'course.invalid-access',
            `${label} (${where(p)}) is ${typeWords(value)}, not an access mode. Write \`access: signed\` (students need a grant from the platform) or \`access: public\` (anyone, without cookies), or leave it out for the stage's default. See docs/access.md.`,
            p,
          ),
        ];
      }
      return [courseReason('course.wrong-type', `${label} (${where(p)}): ${issue.message}.`, p)];
    case 'custom':
      if (issue.params?.code === 'course.invalid-language') {
        return [courseReason('course.invalid-language', `${label} ${quote(String(value))} (${where(p)}) is not usable: ${issue.message}. Write a BCP 47 language tag such as ${LANGUAGE_TAG_EXAMPLES}.`, p)];
      }
      if (issue.params?.code === 'course.invalid-time-zone') {
        return [courseReason('course.invalid-time-zone', `${label} ${quote(String(value))} (${where(p)}) ${issue.message}. Write a zone such as Europe/Paris, America/New_York or UTC.`, p)];
      }
      return [courseReason('course.wrong-type', `${label} (${where(p)}): ${issue.message}.`, p)];
    case 'invalid_union':
      return [courseReason('course.wrong-type', `${label} (${where(p)}) must be a file name such as lecture.mp4, or \`file: notes.pdf\` with \`optional: true\`.`, p)];
    default:
      return [courseReason('course.wrong-type', `${label} (${where(p)}): ${issue.message}.`, p)];
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function describe(path: Path): string {
  const [first, index, field] = path;
  if (path.length === 0) return 'The course';
  if (first === 'lessons') {
    if (index === undefined) return '`lessons`';
    if (field === undefined) return `Lesson ${Number(index) + 1}`;
    if (field === 'expects' && path[3] !== undefined) return `Entry ${Number(path[3]) + 1} of \`expects\` in lesson ${Number(index) + 1}`;
    return `The \`${String(field)}\` of lesson ${Number(index) + 1}`;
  }
  if (first === 'tags' && index !== undefined) return `Tag ${Number(index) + 1}`;
  return first === 'title' || first === 'description' || first === 'access' ? `The course \`${String(first)}\`` : `\`${String(first)}\``;
}

function expectedWords(expected: string | undefined, path: Path): string {
  if (path.length === 1 && (path[0] === 'lessons' || path[0] === 'tags')) return 'a list';
  if (path[0] === 'lessons' && path.length === 2) return 'a lesson (slug and title)';
  switch (expected) {
    case 'string':
      return 'text';
    case 'array':
      return 'a list';
    case 'object':
      return 'a set of "key: value" lines';
    default:
      return expected ?? 'something else';
  }
}

function typeWords(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a set of "key: value" lines';
  if (typeof value === 'string') return `the text ${quote(value)}`;
  return `the ${typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'true/false value' : typeof value} ${String(value)}`;
}

function typeHint(path: Path, value: unknown): string {
  const key = path[path.length - 1];
  if (typeof value === 'number' || typeof value === 'boolean') return typeof key === 'string' ? `Put it in quotes: ${key}: "${String(value)}".` : `Put it in quotes: "${String(value)}".`;
  if (path[0] === 'lessons' && path.length === 2) return 'Write each lesson as "- slug: <folder name>" with "title: …" on the next line, indented to match.';
  if (path.length === 1 && path[0] === 'lessons') return 'Write one "- slug: …" entry per lesson on the lines below "lessons:".';
  if (path.length === 1 && path[0] === 'tags') return 'Write the tags as a list: tags: [biology, cells].';
  return '';
}

function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Object.hasOwn(value, segment) ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
  }
  return value;
}

// ── checks zod cannot express with positions ───────────────────────────────────────────────────

function duplicateSlugs(data: unknown, locate: Locate): Reason[] {
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
function scheduleReasons(input: CourseInput, locate: Locate): { errors: Reason[]; warnings: Reason[]; times: Map<number, Date> } {
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

function duplicateTags(tags: string[], locate: Locate): Reason[] {
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
