/** course.yaml reason codes (documented in docs/course-yaml.md) and helpers for messages. */
import type { Reason } from '../contract/errors.js';
import { byPosition, capReasons, moreWere } from '../contract/reasons.js';
import type { YamlPath } from '../yaml/read-yaml.js';

export const COURSE_ERROR_CODES = [
  'course.empty',
  'course.too-large',
  'course.invalid-utf8',
  'course.binary-content',
  'course.syntax',
  'course.duplicate-key',
  'course.too-deep',
  'course.too-many-aliases',
  'course.not-a-mapping',
  'course.missing-field',
  'course.unknown-field',
  'course.wrong-type',
  'course.empty-value',
  'course.too-long',
  'course.too-many',
  'course.invalid-slug',
  'course.duplicate-slug',
  'course.invalid-language',
  'course.invalid-access',
  'course.invalid-time-zone',
  'course.invalid-schedule',
  'course.invalid-expected-file',
  'course.too-many-errors',
] as const;

export const COURSE_WARNING_CODES = ['course.duplicate-tag', 'course.duplicate-expected-file', 'course.yaml-warning', 'course.superseded'] as const;

export type CourseErrorCode = (typeof COURSE_ERROR_CODES)[number];
export type CourseWarningCode = (typeof COURSE_WARNING_CODES)[number];

export interface Position {
  line: number;
  column: number;
}

/** Where the value (or, with `'key'`, the key) at a path in course.yaml's data was written. */
export type Locate = (path: YamlPath, target?: 'key' | 'value') => Position;

export function courseReason(code: CourseErrorCode | CourseWarningCode, message: string, at?: Position): Reason {
  return at ? { code, message, line: at.line, column: at.column } : { code, message };
}

/** File-level reasons first, then by line and column; at most `max`, with a summary of the rest. */
export function orderAndCap(reasons: Reason[], max: number, alreadyOmitted = 0): Reason[] {
  const summary = (omitted: number) => courseReason('course.too-many-errors', `${moreWere(omitted, 'problem')} not listed; fix the ones above and upload course.yaml again to see the rest.`);
  return capReasons(byPosition(reasons), max, summary, alreadyOmitted);
}

/** The closest of `known` to `word` (a typo, a case slip, a missing plural), if any is close. */
export function closest(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name === lower ? 0 : editDistance(lower, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  const tolerance = Math.max(1, Math.min(3, Math.floor(best.name.length / 3)));
  return best.distance <= tolerance ? best.name : undefined;
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Number.POSITIVE_INFINITY;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
