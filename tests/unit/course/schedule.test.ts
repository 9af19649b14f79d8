/** course.yaml class schedules: time zone, scheduledAt, expects, requireCaptions — with line and column. */
import { describe, expect, it } from 'vitest';
import { accepted, parseText, rejected, where } from './helpers.js';

const COURSE = `title: Introduction to Biology
timeZone: Europe/Paris
requireCaptions: true
lessons:
  - slug: cells
    title: Cells
    scheduledAt: 2027-03-29 08:00
    expects: [lecture.mp4, slides.pdf, { file: week-1.gift, optional: true }]
  - slug: genetics
    title: Genetics
    scheduledAt: 2027-04-05T12:00:00-04:00
    expects:
      - lecture.mp4
      - lecture.mp4
  - slug: evolution
    title: Evolution
`;

describe('course.yaml schedules', () => {
  it('reads class times (local in the course zone, or with an offset), expected files and the captions rule', () => {
    const result = accepted(parseText(COURSE));
    expect(result.course.timeZone).toBe('Europe/Paris');
    expect(result.course.requireCaptions).toBe(true);
    expect(result.course.lessons).toEqual([
      {
        slug: 'cells',
        title: 'Cells',
        scheduledAt: '2027-03-29T06:00:00.000Z',
        expects: [
          { file: 'lecture.mp4', optional: false },
          { file: 'slides.pdf', optional: false },
          { file: 'week-1.gift', optional: true },
        ],
      },
      { slug: 'genetics', title: 'Genetics', scheduledAt: '2027-04-05T16:00:00.000Z', expects: [{ file: 'lecture.mp4', optional: false }] },
      { slug: 'evolution', title: 'Evolution' },
    ]);
    expect(where(result.warnings)).toEqual(['course.duplicate-expected-file@14:9']);
  });

  it('points at a class time that cannot be read, and says what to write', () => {
    const reasons = rejected(
      parseText(`title: Bio
lessons:
  - slug: cells
    title: Cells
    scheduledAt: 2027-03-29 08:00
  - slug: dna
    title: DNA
    scheduledAt: monday morning
`),
    );
    expect(where(reasons)).toEqual(['course.invalid-schedule@5:18', 'course.invalid-schedule@8:18']);
    expect(reasons[0]!.message).toMatch(/no offset and the course has no `timeZone`/);
    expect(reasons[1]!.message).toMatch(/not a date and time/);
  });

  it('refuses a class in the hour daylight saving time skips', () => {
    const reasons = rejected(parseText(`title: Bio\ntimeZone: Europe/Paris\nlessons:\n  - slug: cells\n    title: Cells\n    scheduledAt: "2027-03-28 02:30"\n`));
    expect(where(reasons)).toEqual(['course.invalid-schedule@6:18']);
    expect(reasons[0]!.message).toMatch(/does not exist in Europe\/Paris/);
  });

  it('refuses an unknown time zone, with examples', () => {
    const reasons = rejected(parseText('title: Bio\ntimeZone: Europe/Pariss\n'));
    expect(where(reasons)).toEqual(['course.invalid-time-zone@2:11']);
    expect(reasons[0]!.message).toMatch(/Europe\/Pariss.*not an IANA time zone.*Europe\/Paris/);
  });

  it('refuses an expected file that could not be a lesson upload, and unknown keys in an entry', () => {
    const reasons = rejected(
      parseText(`title: Bio
lessons:
  - slug: cells
    title: Cells
    expects: [slides.docx, { file: notes.pdf, optional: true }]
`),
    );
    expect(where(reasons)).toEqual(['course.invalid-expected-file@5:15']);
    expect(reasons[0]!.message).toMatch(/"slides\.docx" has an extension lectern does not accept/);
    const typo = rejected(parseText('title: Bio\nlessons:\n  - slug: cells\n    title: Cells\n    expects: [{ file: notes.pdf, optionl: true }]\n'));
    expect(where(typo)).toEqual(['course.unknown-field@5:34']);
    expect(typo[0]!.message).toMatch(/Did you mean `optional`\?.*Allowed: file, optional/);
  });

  it('checks the types of the new keys', () => {
    const reasons = rejected(parseText('title: Bio\nrequireCaptions: sometimes\nlessons:\n  - slug: cells\n    title: Cells\n    expects: lecture.mp4\n'));
    expect(where(reasons)).toEqual(['course.wrong-type@2:18', 'course.wrong-type@6:14']);
  });

  it('suggests the right key for a misspelt schedule key', () => {
    const reasons = rejected(parseText('title: Bio\nlessons:\n  - slug: cells\n    title: Cells\n    scheduledat: 2027-01-11T08:00Z\n'));
    expect(reasons[0]!.message).toMatch(/Did you mean `scheduledAt`\?/);
  });
});
