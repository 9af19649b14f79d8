import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { COURSE_ERROR_CODES, COURSE_WARNING_CODES, closest } from '../../../shared/course/course-reasons.js';
import { accepted, fixtureBytes, parseFixture, parseText, rejected, where } from './helpers.js';

describe('parseCourse: files that are accepted', () => {
  it('reads a full course.yaml: title, block-scalar description, canonical language, tags, lessons in order', () => {
    const { course, warnings } = accepted(parseFixture('course.yaml'));
    expect(course).toEqual({
      title: 'Introduction to Biology',
      description: 'An introductory course on the living world:\ncells, genetics and evolution.',
      language: 'en-GB',
      tags: ['biology', 'cells', 'genetics'],
      lessons: [
        { slug: 'cells', title: 'Cells: the unit of life', description: 'What cells are made of, and how they divide.' },
        { slug: 'genetics', title: 'Genetics basics' },
        { slug: 'evolution-101', title: 'Evolution, briefly' },
      ],
    });
    expect(warnings).toEqual([]);
  });

  it('needs only a title; without a lessons key the lesson order is left alone', () => {
    const { course } = accepted(parseFixture('minimal.yaml'));
    expect(course).toEqual({ title: 'Minimal course' });
    expect('lessons' in course).toBe(false);
  });

  it('keeps an explicit empty lessons list (every lesson loses its position)', () => {
    expect(accepted(parseText('title: T\nlessons: []\n')).course.lessons).toEqual([]);
  });

  it('accepts a BOM and CRLF line ends', () => {
    expect([...fixtureBytes('crlf-bom.yaml').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(accepted(parseFixture('crlf-bom.yaml')).course).toEqual({ title: 'Cours de biologie', language: 'fr', lessons: [{ slug: 'cellules', title: 'Les cellules à la loupe' }] });
  });

  it('treats empty optional values as absent and trims text', () => {
    expect(accepted(parseText('title: "  Spaced  "\ndescription:\nlanguage: ~\ntags:\n')).course).toEqual({ title: 'Spaced' });
  });

  it('keeps YAML 1.2 semantics: yes/no/on are text, not booleans', () => {
    expect(accepted(parseText('title: no\nlessons:\n  - slug: on\n    title: yes\n')).course).toEqual({ title: 'no', lessons: [{ slug: 'on', title: 'yes' }] });
  });

  it('warns about a repeated tag and keeps it once', () => {
    const { course, warnings } = accepted(parseText('title: T\ntags:\n  - a\n  - b\n  - a\n'));
    expect(course.tags).toEqual(['a', 'b']);
    expect(where(warnings)).toEqual(['course.duplicate-tag@5:5']);
  });

  it('allows a few harmless aliases', () => {
    expect(accepted(parseText('title: &t Biology\nlessons:\n  - slug: a\n    title: *t\n')).course.lessons).toEqual([{ slug: 'a', title: 'Biology' }]);
  });
});

describe('parseCourse: every problem, where it is', () => {
  it('reports all the errors of a broken course.yaml with line and column', () => {
    const reasons = rejected(parseFixture('errors.yaml'));
    expect(where(reasons)).toEqual([
      'course.empty-value@1:8',
      'course.unknown-field@2:1',
      'course.invalid-language@3:11',
      'course.wrong-type@4:17',
      'course.invalid-slug@6:11',
      'course.missing-field@8:5',
      'course.unknown-field@9:5',
      'course.wrong-type@11:12',
      'course.wrong-type@12:5',
      'course.duplicate-slug@13:11',
    ]);
    const message = (at: string) => reasons[where(reasons).indexOf(at)]!.message;
    expect(message('course.unknown-field@2:1')).toContain('Did you mean `description`?');
    expect(message('course.unknown-field@9:5')).toContain('Did you mean `title`?');
    expect(message('course.invalid-slug@6:11')).toContain('Try "cells-intro"');
    expect(message('course.wrong-type@11:12')).toContain('Put it in quotes: title: "2024"');
    expect(message('course.duplicate-slug@13:11')).toContain('of lesson 3 (line 10)');
  });

  it('reports YAML syntax errors where the parser found them', () => {
    const reasons = rejected(parseFixture('syntax-error.yaml'));
    expect(reasons[0]).toMatchObject({ code: 'course.syntax', line: 5, column: 4 });
    expect(reasons[0]!.message).toContain('All sequence items must start at the same column');
  });

  it('explains the commonest YAML slips', () => {
    expect(rejected(parseText('title: T\n---\ntitle: U\n'))[0]!.message).toContain('remove the "---" line');
    expect(rejected(parseText('title: T\n\tlessons: []\n'))[0]!.message).toContain('not tabs');
    expect(rejected(parseText('title: T\nTags: [a]\n'))[0]!.message).toContain('Did you mean `tags`?');
  });

  it('names a repeated key', () => {
    const reasons = rejected(parseFixture('duplicate-key.yaml'));
    expect(where(reasons)).toEqual(['course.duplicate-key@3:1']);
    expect(reasons[0]!.message).toContain('"title"');
  });

  it('points at each invalid UTF-8 byte', () => {
    expect(where(rejected(parseFixture('latin1.yaml')))).toEqual(['course.invalid-utf8@1:14', 'course.invalid-utf8@3:24']);
  });

  it('stops an alias bomb at the alias limit', () => {
    const reasons = rejected(parseFixture('alias-bomb.yaml'));
    expect(where(reasons)).toEqual(['course.too-many-aliases@3:8']);
  });

  it('refuses nesting deeper than any course.yaml needs', () => {
    expect(where(rejected(parseFixture('deep-flow.yaml')))).toEqual(['course.too-deep@2:42']);
  });

  const CASES: Array<[string, string, string]> = [
    ['course.empty', '-:-', ''],
    ['course.empty', '-:-', '# just a comment\n\n'],
    ['course.not-a-mapping', '1:1', '- cells\n- genetics\n'],
    ['course.not-a-mapping', '1:1', 'Introduction to Biology\n'],
    ['course.missing-field', '1:1', 'description: no title here\n'],
    ['course.missing-field', '3:5', 'title: T\nlessons:\n  - title: No slug\n'],
    ['course.wrong-type', '2:10', 'title: T\nlessons: cells, genetics\n'],
    ['course.wrong-type', '1:8', 'title: [a, b]\n'],
    ['course.unknown-field', '2:1', 'title: T\nTags: [a]\n'],
    ['course.too-long', '1:8', `title: ${'x'.repeat(201)}\n`],
    ['course.too-many', '2:7', `title: T\ntags: [${Array.from({ length: 31 }, (_, i) => `t${i}`).join(', ')}]\n`],
    ['course.empty-value', '3:12', 'title: T\nlessons:\n  - title: ""\n    slug: a\n'],
    ['course.invalid-language', '2:11', 'title: T\nlanguage: en-XX\n'],
    ['course.syntax', '2:1', 'title: "unclosed\n'],
    ['course.syntax', '2:1', 'title: T\n---\ntitle: U\n'],
    ['course.syntax', '2:1', 'title: T\n\tlessons: []\n'],
    ['course.duplicate-key', '5:5', 'title: T\nlessons:\n  - slug: a\n    title: A\n    title: B\n'],
  ];

  it.each(CASES)('%s at %s for %j', (code, at, text) => {
    const reasons = rejected(parseText(text));
    expect(where(reasons)).toContain(`${code}@${at}`);
    expect(reasons.find((r) => r.code === code)!.message.length).toBeGreaterThan(30);
  });

  it('rejects a file over the size limit before parsing it', () => {
    expect(where(rejected(parseText(`title: ${'x'.repeat(100)}\n`, { maxBytes: 50 })))).toEqual(['course.too-large@-:-']);
  });

  it('caps the number of reasons', () => {
    const lessons = Array.from({ length: 80 }, (_, i) => `  - slug: Bad Slug ${i}\n    title: L${i}`).join('\n');
    const reasons = rejected(parseText(`title: T\nlessons:\n${lessons}\n`));
    expect(reasons).toHaveLength(51);
    expect(reasons[50]).toMatchObject({ code: 'course.too-many-errors' });
    expect(reasons[50]!.message).toMatch(/^30 more problems were not listed/);
  });

  it('suggests the closest known key', () => {
    expect(closest('titel', ['title', 'description'])).toBe('title');
    expect(closest('Title', ['title'])).toBe('title');
    expect(closest('lesson', ['title', 'lessons'])).toBe('lessons');
    expect(closest('descripton', ['title', 'description'])).toBe('description');
    expect(closest('author', ['title', 'description', 'lessons', 'tags', 'language'])).toBeUndefined();
  });

  it('documents every code in docs/course-yaml.md', async () => {
    const doc = await readFile(new URL('../../../docs/course-yaml.md', import.meta.url), 'utf8');
    for (const code of [...COURSE_ERROR_CODES, ...COURSE_WARNING_CODES]) expect(doc, code).toContain(`\`${code}\``);
  });
});

describe('parseCourse: access', () => {
  it('reads the course access and each lesson’s, leaving absent ones to the stage default', () => {
    const text = 'title: T\naccess: signed\nlessons:\n  - slug: intro\n    title: Intro\n    access: public\n  - slug: deep\n    title: Deep\n';
    expect(accepted(parseText(text)).course).toEqual({ title: 'T', access: 'signed', lessons: [{ slug: 'intro', title: 'Intro', access: 'public' }, { slug: 'deep', title: 'Deep' }] });
    expect(accepted(parseText('title: T\naccess:\n')).course).toEqual({ title: 'T' });
  });

  it('rejects any other access value where it is written, and suggests the key for a typo', () => {
    const reasons = rejected(parseText('title: T\naccess: private\nlessons:\n  - slug: a\n    title: A\n    access: 3\n  - slug: b\n    title: B\n    acess: public\n'));
    expect(where(reasons)).toEqual(['course.invalid-access@2:9', 'course.invalid-access@6:13', 'course.unknown-field@9:5']);
    expect(reasons[0]!.message).toBe(
      'The course `access` (line 2, column 9) is the text "private", not an access mode. Write `access: signed` (students need a grant from the platform) or `access: public` (anyone, without cookies), or leave it out for the stage\'s default. See docs/access.md.',
    );
    expect(reasons[2]!.message).toContain('Did you mean `access`?');
  });
});
