/**
 * course.yaml bytes → `CourseMetadata`, or every reason it is not usable, each with the line
 * and column in the file. Pure, and safe on hostile input: size cap, strict UTF-8, no control
 * characters, then the shared guarded YAML reader (yaml-reasons.ts: nesting, one YAML 1.2
 * document with unique keys, aliases bounded), the schema (issue-reasons.ts words zod's
 * issues) and the checks zod cannot make (course-checks.ts).
 */
import type { Reason } from '../contract/errors.js';
import { decodeStrictUtf8 } from '../util/strict-utf8.js';
import { duplicateSlugs, duplicateTags, scheduleReasons } from './course-checks.js';
import { withDefaults, type CourseLimits } from './course-limits.js';
import { courseReason, orderAndCap } from './course-reasons.js';
import { CourseSchema, toCourseMetadata, type CourseMetadata } from './course-schema.js';
import { issueReasons } from './issue-reasons.js';
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
