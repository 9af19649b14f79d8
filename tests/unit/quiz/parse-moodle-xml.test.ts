import { describe, expect, it } from 'vitest';
import type { QuestionOf, QuestionType } from '../../../shared/quiz/model.js';
import { accepted, fixtureText, lineOf, parseFixture, parseText, rejected } from './helpers.js';

describe('Moodle XML: the supported question types', () => {
  const text = fixtureText('all-types.moodle.xml');
  const { quiz, warnings } = accepted(parseFixture('all-types.moodle.xml', { knownAssets: ['cell.png'] }));
  const byTitle = <T extends QuestionType>(title: string, type: T): QuestionOf<T> => {
    const q = quiz.questions.find((x) => x.title === title);
    expect(q?.type).toBe(type);
    return q as QuestionOf<T>;
  };

  it('reads every question, on the line of its <question> element, with its category', () => {
    expect(quiz.questions.map((q) => q.type)).toEqual([
      'multiple-choice',
      'multiple-response',
      'true-false',
      'short-answer',
      'numerical',
      'matching',
      'essay',
      'description',
    ]);
    expect(quiz.questions.every((q) => q.category === 'Biology/Cells')).toBe(true);
    expect(byTitle('Membrane', 'multiple-choice').source.line).toBe(lineOf(text, '<text>Membrane</text>') - 1);
    expect(warnings).toEqual([]);
  });

  it('reads idnumber, default grade, tags, combined feedback and @@PLUGINFILE@@ images', () => {
    const q = byTitle('Membrane', 'multiple-choice');
    expect(q.id).toBe('mc-membrane');
    expect(q.points).toBe(2);
    expect(q.tags).toEqual(['cells']);
    expect(q.feedback).toEqual({ general: 'The membrane is a lipid bilayer.', correct: 'Your answer is correct.' });
    expect(q.stem).toContain('<img src="cell.png" alt="cell" />');
    expect(q.choices.map((c) => c.credit)).toEqual([100, 0, -33.33333]);
    expect(q.shuffle).toBe(true);
  });

  it('reads <single>false</single> as multiple response, thirds adding up to 100%', () => {
    expect(byTitle('Organelles', 'multiple-response').choices.map((c) => c.credit)).toEqual([33.33333, 33.33333, 33.33333, -100]);
  });

  it('reads true/false feedback per answer, short answers, numerical tolerances and catch-alls', () => {
    const tf = byTitle('Wall', 'true-false');
    expect([tf.correct, tf.trueFeedback, tf.falseFeedback]).toEqual([true, 'Yes, made of cellulose.', 'They do.']);
    const sa = byTitle('ATP', 'short-answer');
    expect(sa.caseSensitive).toBe(false);
    expect(sa.stemFormat).toBe('plain');
    expect(sa.answers.map((a) => [a.text, a.credit])).toEqual([['mitochondrion', 100], ['mitochondria', 50]]);
    expect(byTitle('Chromosomes', 'numerical').answers.map((a) => a.kind)).toEqual(['exact', 'exact', 'any']);
  });

  it('reads matching subquestions, an empty one as a distractor; Markdown essays are rendered', () => {
    const m = byTitle('Jobs', 'matching');
    expect(m.pairs.map((p) => p.answer)).toEqual(['makes proteins', 'stores DNA']);
    expect(m.distractors).toEqual(['digests sugar']);
    const essay = byTitle('Small', 'essay');
    expect(essay.stem).toBe('Explain why cells are <strong>small</strong>.');
    expect(essay.graderInfo).toBe('Surface to volume.');
  });

  it('warns about an image that was not uploaded with the quiz', () => {
    const result = accepted(parseFixture('all-types.moodle.xml', { knownAssets: [] }));
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([['quiz.missing-asset', lineOf(text, '<text>Membrane</text>') - 1]]);
    expect(result.warnings[0]?.message).toContain("'cell.png'");
  });
});

describe('Moodle XML: rejections', () => {
  const text = fixtureText('unsupported.moodle.xml');

  it('with the strict policy, rejects the file for unsupported types (calculated, ddmarker), naming each on its line', () => {
    const reasons = rejected(parseFixture('unsupported.moodle.xml', { unsupportedQuestions: 'reject' }));
    const unsupported = reasons.filter((r) => r.code === 'quiz.unsupported-question-type');
    expect(unsupported.map((r) => r.line)).toEqual([lineOf(text, 'type="calculated"'), lineOf(text, 'type="ddmarker"')]);
    expect(unsupported[0]?.message).toContain("'calculated'");
    expect(unsupported[1]?.message).toContain('drag and drop markers');
  });

  it('by default publishes the rest and warns about each unsupported question on its line', () => {
    const xml = [
      '<quiz>',
      '  <question type="truefalse"><questiontext><text>Fine.</text></questiontext>',
      '    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>',
      '  <question type="calculated"><name><text>Area</text></name><questiontext><text>Area of {r}?</text></questiontext></question>',
      '</quiz>',
    ].join('\n');
    const { quiz, warnings } = accepted(parseText('q.xml', xml));
    expect(quiz.questions.map((q) => q.type)).toEqual(['true-false']);
    expect(warnings.map((w) => [w.code, w.line])).toEqual([['quiz.unsupported-question-type', 4]]);
    expect(warnings[0]?.message).toContain('published without it');
  });

  it('rejects a file in which no question is of a supported type: there is nothing to publish', () => {
    const xml = '<quiz>\n  <question type="calculated"><questiontext><text>Area of {r}?</text></questiontext></question>\n</quiz>';
    expect(rejected(parseText('q.xml', xml)).map((r) => [r.code, r.line])).toEqual([['quiz.unsupported-question-type', 2]]);
  });

  it('rejects a fraction that is not a Moodle grade (33), on the answer’s line, and accepts 33.33333', () => {
    const reasons = rejected(parseFixture('unsupported.moodle.xml'));
    const grade = reasons.find((r) => r.code === 'quiz.invalid-grade');
    expect(grade?.line).toBe(lineOf(text, 'fraction="33"'));
    expect(grade?.message).toContain('33.33333');
  });

  it('reports malformed XML with the line of the mismatched end tag', () => {
    const xml = '<quiz>\n  <question type="essay">\n    <questiontext><text>x</text>\n  </question>\n</quiz>';
    const reasons = rejected(parseText('q.xml', xml));
    expect(reasons[0]?.code).toBe('quiz.syntax');
    expect(reasons[0]?.line).toBe(4);
  });

  it('refuses DTD entity declarations (no entity-expansion bombs)', () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<quiz>&b;</quiz>';
    expect(rejected(parseText('q.xml', xml)).map((r) => [r.code, r.line])).toEqual([['quiz.syntax', 2]]);
  });

  it('rejects a truefalse question with neither answer worth 100%', () => {
    const xml = '<quiz><question type="truefalse"><name><text>TF</text></name><questiontext><text>x</text></questiontext>' +
      '<answer fraction="0"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>';
    expect(rejected(parseText('q.xml', xml)).map((r) => r.code)).toEqual(['quiz.no-correct-answer']);
  });
});
