/** Property tests: whatever the bytes, a verdict — never an exception — and accepted courses round-trip. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { COURSE_ERROR_CODES, COURSE_WARNING_CODES } from '../../../shared/course/course-reasons.js';
import { parseCourse, type ParseCourseResult } from '../../../shared/course/parse-course.js';
import { bytes, fixtureText, parseText } from './helpers.js';

const KNOWN = new Set<string>([...COURSE_ERROR_CODES, ...COURSE_WARNING_CODES]);

function checkVerdict(result: ParseCourseResult): void {
  if (result.ok) {
    expect(result.course.title.length).toBeGreaterThan(0);
    // The parsed course, written back as YAML, parses to itself.
    const again = parseText(stringify(result.course));
    expect(again.ok && again.course).toEqual(result.course);
  } else {
    expect(result.reasons.length).toBeGreaterThan(0);
  }
  for (const reason of result.ok ? result.warnings : result.reasons) {
    expect(KNOWN.has(reason.code), reason.code).toBe(true);
    if (reason.line !== undefined) expect(reason.line).toBeGreaterThanOrEqual(1);
    if (reason.column !== undefined) expect(reason.column).toBeGreaterThanOrEqual(1);
  }
}

const token = fc.constantFrom(
  'title', 'description', 'lessons', 'slug', 'language', 'tags', 'titel', ':', ': ', '\n', '  ', '- ', '[', ']', '{', '}', ',', '"', "'",
  '&a ', '*a', '!!str ', '!!binary ', '|', '>', '#', '---', '...', '?', 'cells', 'Cells Intro', 'en', 'xx', '42', 'true', 'null', '~', '\t', 'é',
);

describe('parseCourse properties', () => {
  it('any bytes → a verdict, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => {
        checkVerdict(parseCourse({ bytes: data, fileName: 'course.yaml' }));
      }),
      { numRuns: 1000 },
    );
  });

  it('any text → a verdict, never an exception', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
        checkVerdict(parseCourse({ bytes: bytes(text), fileName: 'course.yaml' }));
      }),
      { numRuns: 1000 },
    );
  });

  it('any sequence of YAML-ish tokens → a verdict', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        checkVerdict(parseCourse({ bytes: bytes(tokens.join('')), fileName: 'course.yaml' }));
      }),
      { numRuns: 2000 },
    );
  });

  it('valid files with random damage → a verdict', () => {
    const sources = ['course.yaml', 'errors.yaml', 'alias-bomb.yaml', 'crlf-bom.yaml'].map(fixtureText);
    fc.assert(
      fc.property(
        fc.constantFrom(...sources),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.oneof(token, fc.string({ maxLength: 4 }))), { minLength: 1, maxLength: 5 }),
        (source, edits) => {
          let text = source;
          for (const [at, cut, insert] of edits) {
            const position = at % (text.length + 1);
            text = text.slice(0, position) + insert + text.slice(position + cut);
          }
          checkVerdict(parseCourse({ bytes: bytes(text), fileName: 'course.yaml' }));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('any well-formed course round-trips through YAML', () => {
    const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);
    // eslint-disable-next-line no-control-regex -- generated text without control characters
    const text = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim().length > 0 && !/[\u0000-\u001f\u007f\ufeff]/.test(s));
    const course = fc.record(
      {
        title: text,
        description: text,
        language: fc.constantFrom('en', 'fr', 'pt-BR', 'zh-Hant', 'es-419'),
        tags: fc.uniqueArray(text, { maxLength: 5 }),
        lessons: fc.uniqueArray(fc.record({ slug, title: text }, { requiredKeys: ['slug', 'title'] }), { selector: (l) => l.slug, maxLength: 20 }),
      },
      { requiredKeys: ['title'] },
    );
    fc.assert(
      fc.property(course, (input) => {
        const result = parseText(stringify(input));
        if (!result.ok) throw new Error(JSON.stringify(result.reasons));
        const trimmed = (s: string) => s.trim();
        expect(result.course.title).toBe(trimmed(input.title));
        expect(result.course.lessons?.map((l) => l.slug)).toEqual(input.lessons?.map((l) => l.slug));
        expect(result.course.lessons?.map((l) => l.title)).toEqual(input.lessons?.map((l) => trimmed(l.title)));
      }),
      { numRuns: 300 },
    );
  });
});
