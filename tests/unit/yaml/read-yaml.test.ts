/**
 * One guarded YAML reader serves course.yaml and native quizzes: the same hostile text gets the
 * same verdict at the same place from both, each worded with its own reason codes.
 */
import { describe, expect, it } from 'vitest';
import type { Reason } from '../../../shared/contract/errors.js';
import { parseCourse } from '../../../shared/course/parse-course.js';
import { parseQuiz } from '../../../shared/quiz/parse-quiz.js';
import { readYaml, type YamlLimits } from '../../../shared/yaml/read-yaml.js';
import { timed } from '../../helpers/timed.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const where = (reasons: Reason[]) => reasons.map((r) => `${r.code}@${r.line ?? '-'}:${r.column ?? '-'}`);

function courseVerdict(text: string): string[] {
  const result = parseCourse({ bytes: bytes(text), fileName: 'course.yaml' });
  return result.ok ? ['accepted'] : where(result.reasons).map((w) => w.replace(/^course\./, ''));
}

function quizVerdict(text: string): string[] {
  const result = parseQuiz({ bytes: bytes(text), fileName: 'q.quiz.yaml' });
  return result.ok ? ['accepted'] : where(result.reasons).map((w) => w.replace(/^quiz\./, ''));
}

const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('\n') + '\n';

describe('the shared YAML reader, through course.yaml and native quizzes', () => {
  it.each([
    ['"- " × 100,000: too deep where the indentation passes 128 columns', '- '.repeat(100_000) + 'x', ['too-deep@1:129']],
    ['a second document', 'title: T\n---\ntitle: U\n', ['syntax@2:1']],
    ['a directive with no document after it', '%YAML 1.2\n', ['syntax@1:1']],
    ['a mapping of 1,001 keys', lines(1001, (i) => `k${i}: 1`), ['too-large@1:1']],
    ['an alias with no anchor before it: a mistake where it stands, not an alias bomb', 'x: 1\ny: *later\nz: &later 2\n', ['syntax@2:4']],
    ['500 aliases of one anchor', `x: &a [1, 2, 3]\ny: [${Array.from({ length: 500 }, () => '*a').join(', ')}]\n`, ['too-many-aliases@2:5']],
    ['garbage: the earliest of its problems, not the last', lines(400, (i) => (i % 2 ? '  - : ] } "' : 'x: [')), ['syntax@2:9']],
    [
      '"key: a: b" on 100 lines: a syntax mistake on the first, not nesting 100 deep',
      lines(100, (i) => `k${i}: Cells: the basics`),
      ['syntax@1:5'],
    ],
  ])('%s', (_name, text, expected) => {
    const course = timed(() => courseVerdict(text), 6_000);
    const quiz = timed(() => quizVerdict(text), 6_000);
    expect(course).toEqual(expected);
    expect(quiz).toEqual(expected);
  });

  it('names each caller\'s own codes and file', () => {
    const text = `x: &a [1, 2, 3]\ny: [${Array.from({ length: 500 }, () => '*a').join(', ')}]\n`;
    const course = parseCourse({ bytes: bytes(text), fileName: 'course.yaml' });
    const quiz = parseQuiz({ bytes: bytes(text), fileName: 'q.quiz.yaml' });
    expect(!course.ok && course.reasons[0]).toMatchObject({ code: 'course.too-many-aliases', message: expect.stringMatching(/^course\.yaml uses YAML aliases/) });
    expect(!quiz.ok && quiz.reasons[0]).toMatchObject({ code: 'quiz.too-many-aliases', message: expect.stringMatching(/^The YAML quiz expands YAML aliases/) });
  });
});

describe('readYaml', () => {
  const LIMITS: YamlLimits = { maxFlowDepth: 8, maxIndent: 32, maxDepth: 16, maxValues: 1000, maxMapKeys: 100, maxSyntaxProblems: 10, maxAliasCount: 10, maxExpandedBytes: 10_000 };

  it('locates values, keys, the nearest ancestor of what is missing, and anchored text behind an alias', () => {
    const text = 'title: T\nlessons:\n  - &first\n    slug: a\n    title: A\n  - *first\n';
    const read = readYaml(text, LIMITS);
    if (!read.ok) throw new Error(JSON.stringify(read.problem));
    expect(read.value).toEqual({ title: 'T', lessons: [{ slug: 'a', title: 'A' }, { slug: 'a', title: 'A' }] });
    expect(read.root).toEqual({ kind: 'map', at: { line: 1, column: 1 } });
    expect(read.locate(['title'])).toEqual({ line: 1, column: 8 });
    expect(read.locate(['lessons', 0, 'slug'], 'key')).toEqual({ line: 4, column: 5 });
    expect(read.locate(['lessons', 0, 'slug'])).toEqual({ line: 4, column: 11 });
    expect(read.locate(['lessons', 0, 'missing'])).toEqual({ line: 4, column: 5 });
    expect(read.locate(['lessons', 1, 'title'])).toEqual({ line: 5, column: 12 });
  });

  it('reports each guard as data for the caller to word', () => {
    const problem = (text: string) => {
      const read = readYaml(text, LIMITS);
      return read.ok ? undefined : read.problem;
    };
    expect(problem(`a: ${'['.repeat(9)}`)).toEqual({ kind: 'nesting', nesting: 'flow', at: { line: 1, column: 12 } });
    expect(problem(`a:\n${' '.repeat(40)}b: 1\n`)).toEqual({ kind: 'nesting', nesting: 'indent', at: { line: 2, column: 33 } });
    expect(problem(lines(17, (i) => `${'  '.repeat(i)}k:`))).toEqual({ kind: 'too-deep', at: { line: 17, column: 33 } });
    expect(problem('# nothing here\n')).toEqual({ kind: 'empty' });
    expect(problem('a: 1\na: 2\n')).toMatchObject({ kind: 'syntax', errors: [{ code: 'DUPLICATE_KEY', at: { line: 2, column: 1 } }] });
    expect(problem(`a: &a "${'x'.repeat(3000)}"\nb: [*a, *a, *a, *a]\n`)).toEqual({ kind: 'alias-expansion', at: { line: 2, column: 13 } });
  });
});
