/** The example course's course.yaml is accepted as written. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCourse } from '../../../shared/course/parse-course.js';
import { accepted } from './helpers.js';

describe('example course.yaml', () => {
  it('examples/courses/intro-to-biology/course.yaml: title and two lessons in order, no warnings', () => {
    const bytes = readFileSync(new URL('../../../examples/courses/intro-to-biology/course.yaml', import.meta.url));
    const { course, warnings } = accepted(parseCourse({ bytes, fileName: 'course.yaml' }));
    expect(course.title).toBe('Introduction to Biology');
    expect(course.lessons?.map((l) => [l.slug, l.title])).toEqual([
      ['cells', 'Cells: the unit of life'],
      ['genetics', 'Genetics basics'],
    ]);
    expect(warnings).toEqual([]);
  });
});
