/**
 * zod's issues about course.yaml, worded for the person who wrote it: which field, where (line
 * and column), what it holds, what it must be, and an example of the fix.
 */
import type { Reason } from '../contract/errors.js';
import { LANGUAGE_TAG_EXAMPLES } from '../util/language-tag.js';
import { quote } from '../contract/reasons.js';
import { slugify } from '../contract/upload-key.js';
import type { YamlPath as Path } from '../yaml/read-yaml.js';
import { COURSE_KEYS, EXPECT_KEYS, LESSON_KEYS } from './course-schema.js';
import { closest, courseReason, type Locate, type Position } from './course-reasons.js';

/** The part of a zod issue the wording uses. */
export interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  keys?: string[];
  origin?: string;
  maximum?: number | bigint;
  params?: Record<string, unknown>;
}

export function issueReasons(issue: Issue, data: unknown, locate: Locate): Reason[] {
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
