import { describe, expect, it } from 'vitest';
import type { QuestionOf } from '../../../shared/quiz/model.js';
import { accepted, columnOf, fixtureText, lineOf, parseFixture, parseText, rejected } from './helpers.js';

describe('native YAML', () => {
  const text = fixtureText('all-types.quiz.yaml');
  const { quiz, warnings } = accepted(parseFixture('all-types.quiz.yaml', { knownAssets: ['images/cell.png'] }));

  it('reads every question type, each on the line of its list item', () => {
    expect(quiz.title).toBe('Cells — all question types');
    expect(quiz.questions.map((q) => q.type)).toEqual([
      'multiple-choice',
      'multiple-response',
      'multiple-response',
      'true-false',
      'short-answer',
      'numerical',
      'matching',
      'essay',
      'description',
    ]);
    const itemLines = text.split('\n').flatMap((l, i) => (l.startsWith('  - type:') ? [i + 1] : []));
    expect(quiz.questions.map((q) => q.source.line)).toEqual(itemLines);
    expect(warnings).toEqual([]);
  });

  it('renders Markdown (the quiz default here) and lets a question say html', () => {
    const mc = quiz.questions[0] as QuestionOf<'multiple-choice'>;
    expect(mc.stem).toBe('What surrounds <strong>every</strong> cell?');
    expect(mc.stemFormat).toBe('markdown');
    const description = quiz.questions[8];
    expect(description?.stemFormat).toBe('html');
    expect(description?.stem).toContain('<em>building blocks</em>');
  });

  it('turns `correct: true` into credit 100 and keeps ids, tags, points, feedback', () => {
    const mc = quiz.questions[0] as QuestionOf<'multiple-choice'>;
    expect([mc.id, mc.category, mc.tags, mc.points]).toEqual(['membrane', 'Biology/Cells', ['cells', 'membranes'], 2]);
    expect(mc.choices.map((c) => [c.text, c.credit])).toEqual([
      ['The cell membrane', 100],
      ['The nucleus', 0],
      ['The ribosome', 0],
    ]);
    expect(mc.feedback).toEqual({ general: 'The membrane is a lipid bilayer.', correct: 'Well done.', incorrect: 'Read section 1.2 again.' });
  });

  it('multiple response: `correct` marks make an all-or-nothing question; explicit credits add up', () => {
    const marked = quiz.questions[1] as QuestionOf<'multiple-response'>;
    expect(marked.allOrNothing).toBe(true);
    expect(marked.choices.map((c) => c.credit)).toEqual([50, 50, -100]);
    const credited = quiz.questions[2] as QuestionOf<'multiple-response'>;
    expect(credited.allOrNothing).toBe(false);
    expect(credited.choices.map((c) => c.credit)).toEqual([50, 50, -100]);
  });

  it('reads short answers, numbers (value, tolerance, range, any) and matching', () => {
    const sa = quiz.questions[4] as QuestionOf<'short-answer'>;
    expect(sa.answers).toEqual([
      { text: 'mitochondrion', credit: 100 },
      { text: 'mitochondria', credit: 50, feedback: 'That is the plural.' },
    ]);
    const num = quiz.questions[5] as QuestionOf<'numerical'>;
    expect(num.answers).toEqual([
      { kind: 'exact', value: 46, tolerance: 0, credit: 100 },
      { kind: 'exact', value: 23, tolerance: 0, credit: 50, feedback: 'That is a gamete.' },
      { kind: 'range', min: 40, max: 50, credit: 10 },
      { kind: 'any', credit: 0, feedback: 'Count the pairs.' },
    ]);
    const m = quiz.questions[6] as QuestionOf<'matching'>;
    expect(m.distractors).toEqual(['digests sugar']);
  });

  it('maps every schema problem back to its line and column', () => {
    const bad = fixtureText('errors.quiz.yaml');
    const reasons = rejected(parseFixture('errors.quiz.yaml'));
    expect(reasons.every((r) => r.code === 'quiz.schema')).toBe(true);
    const find = (needle: string) => reasons.find((r) => r.message.includes(needle));
    expect([find('credit')?.line, find('credit')?.column]).toEqual([lineOf(bad, 'credit: 150'), columnOf(bad, '150')]);
    expect(find('question type')?.line).toBe(lineOf(bad, 'true-fals'));
    expect([find("'stme'")?.line, find("'stme'")?.column]).toEqual([lineOf(bad, 'stme:'), columnOf(bad, 'stme:')]);
    expect(find("'stem' is required")?.line).toBe(lineOf(bad, 'type: essay'));
    expect(find('answers')?.line).toBe(lineOf(bad, 'answers: cell'));
  });

  it('then checks answerability, with native hints', () => {
    const reasons = rejected(parseText('q.quiz.yaml', 'questions:\n  - type: multiple-choice\n    stem: Pick\n    choices: [a, b]\n'));
    expect(reasons.map((r) => [r.code, r.line])).toEqual([['quiz.no-correct-answer', 2]]);
    expect(reasons[0]?.message).toContain('correct: true');
  });

  it('reports YAML syntax errors and duplicate keys with their lines', () => {
    const reasons = rejected(parseText('q.quiz.yaml', 'title: a\ntitle: b\nquestions: []\n'));
    expect(reasons.map((r) => [r.code, r.line])).toEqual([['quiz.syntax', 2]]);
    expect(rejected(parseText('q.quiz.yaml', 'questions: [\n  {type: essay\n')).map((r) => r.code)).toContain('quiz.syntax');
  });
});

describe('native JSON', () => {
  it('reads the same model from JSON', () => {
    const { quiz } = accepted(parseFixture('all-types.quiz.json'));
    expect(quiz.title).toBe('Cells in JSON');
    expect(quiz.questions.map((q) => q.type)).toEqual(['multiple-choice', 'true-false', 'numerical', 'matching']);
    const text = fixtureText('all-types.quiz.json');
    expect(quiz.questions[1]?.source.line).toBe(lineOf(text, '"type": "true-false"') - 1);
  });

  it('must be strict JSON: YAML-only syntax and trailing commas are errors at their position', () => {
    const yamlish = rejected(parseText('q.quiz.json', 'questions: []'));
    expect(yamlish.map((r) => [r.code, r.line, r.column])).toEqual([['quiz.syntax', 1, 1]]);
    const trailing = '{\n  "questions": [\n    {"type": "essay", "stem": "x"},\n  ]\n}';
    const reasons = rejected(parseText('q.quiz.json', trailing));
    expect(reasons[0]?.code).toBe('quiz.syntax');
    expect(reasons[0]?.line).toBe(4);
    expect(reasons[0]?.message).toContain('trailing comma');
  });

  it('reports duplicate keys (which JSON.parse would silently accept)', () => {
    const reasons = rejected(parseText('q.quiz.json', '{"questions": [], "questions": []}'));
    expect(reasons.map((r) => r.code)).toEqual(['quiz.syntax']);
  });
});
