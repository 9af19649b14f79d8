import { describe, expect, it } from 'vitest';
import type { Question, QuestionOf, QuestionType } from '../../../shared/quiz/model.js';
import { accepted, columnOf, fixtureText, lineOf, parseFixture, parseText, rejected } from './helpers.js';

const source = fixtureText('all-types.gift');
const { quiz, warnings } = accepted(parseFixture('all-types.gift'));

function byTitle<T extends QuestionType>(title: string, type: T): QuestionOf<T> {
  const question = quiz.questions.find((q) => q.title === title);
  expect(question, `question '${title}'`).toBeDefined();
  expect(question?.type).toBe(type);
  return question as QuestionOf<T>;
}

describe('GIFT: every feature of all-types.gift', () => {
  it('reads every question (categories are not questions) with no warnings', () => {
    expect(quiz.questions).toHaveLength(17);
    expect(warnings).toEqual([]);
  });

  it('gives each question the line its text starts on', () => {
    for (const q of quiz.questions) expect(q.source.line).toBe(lineOf(source, `::${q.title}::`));
  });

  it('applies $CATEGORY (without $course$/top) to the questions after it', () => {
    expect(byTitle('Membrane', 'multiple-choice').category).toBe('Biology/Cells');
    expect(byTitle('Intro', 'description').category).toBe('Biology/Cells');
    expect(byTitle('Latex', 'numerical').category).toBe('Biology/Genetics');
  });

  it('reads [id:] and [tag:] comments, per-answer and general feedback', () => {
    const q = byTitle('Membrane', 'multiple-choice');
    expect(q.id).toBe('mc-membrane');
    expect(q.tags).toEqual(['cells', 'membranes']);
    expect(q.choices.map((c) => [c.text, c.credit])).toEqual([
      ['The cell membrane', 100],
      ['The nucleus', 0],
      ['The ribosome', 0],
    ]);
    expect(q.choices[0]?.feedback).toBe('Right: it separates the cell from its surroundings.');
    expect(q.feedback.general).toBe('The membrane is a lipid bilayer.');
  });

  it('reads weights: no "=" makes a multiple-response question, "=" with weights stays single choice', () => {
    const multi = byTitle('Organelles', 'multiple-response');
    expect(multi.choices.map((c) => c.credit)).toEqual([50, 50, -100]);
    expect(multi.stem).toBe('Which of these are <b>organelles</b>?');
    expect(multi.stemFormat).toBe('html');
    const partial = byTitle('Partial', 'multiple-choice');
    expect(partial.choices.map((c) => c.credit)).toEqual([100, 50, 0]);
  });

  it('reads true/false, with Moodle’s order of feedback (#wrong-answer#right-answer)', () => {
    expect(byTitle('Nucleus', 'true-false').correct).toBe(true);
    const q = byTitle('Prokaryotes', 'true-false');
    expect(q.correct).toBe(false);
    // The answer is FALSE: the first feedback is for learners who answered true.
    expect(q.trueFeedback).toBe('No: bacteria are prokaryotes.');
    expect(q.falseFeedback).toBe('Right, they have none.');
    expect(q.feedback.general).toBe('Prokaryotes lack a nucleus.');
  });

  it('reads a short answer embedded in the sentence, with partial credit', () => {
    const q = byTitle('Powerhouse', 'short-answer');
    expect(q.stem).toBe('The mitochondrion is often called the _____ of the cell.');
    expect(q.caseSensitive).toBe(false);
    expect(q.answers).toEqual([
      { text: 'powerhouse', credit: 100 },
      { text: 'power plant', credit: 50, feedback: 'Close enough.' },
    ]);
  });

  it('reads numerical answers: exact, tolerance, range, several with credit and a catch-all', () => {
    expect(byTitle('Chromosomes', 'numerical').answers).toEqual([{ kind: 'exact', value: 46, tolerance: 0, credit: 100 }]);
    expect(byTitle('Pi', 'numerical').answers).toEqual([{ kind: 'exact', value: 3.14, tolerance: 0.005, credit: 100 }]);
    expect(byTitle('Range', 'numerical').answers).toEqual([{ kind: 'range', min: 1, max: 5, credit: 100 }]);
    expect(byTitle('Many numbers', 'numerical').answers).toEqual([
      { kind: 'exact', value: 1839, tolerance: 0, credit: 100, feedback: 'Schwann and Schleiden.' },
      { kind: 'exact', value: 1838, tolerance: 1, credit: 50, feedback: 'Nearly.' },
      { kind: 'any', credit: 0, feedback: 'Look it up in the reading.' },
    ]);
  });

  it('reads matching pairs, and an empty left side as a distractor', () => {
    const q = byTitle('Match', 'matching');
    expect(q.pairs).toEqual([
      { prompt: 'Ribosome', answer: 'makes proteins' },
      { prompt: 'Mitochondrion', answer: 'releases energy' },
      { prompt: 'Nucleus', answer: 'stores DNA' },
    ]);
    expect(q.distractors).toEqual(['digests sugar']);
  });

  it('reads essays ({}) and descriptions (no braces)', () => {
    expect(byTitle('Essay', 'essay').stem).toBe('Explain why cells are small.');
    expect(byTitle('Intro', 'description').stem).toBe('Cells are the building blocks of life.');
  });

  it('unescapes \\= \\: \\{ \\} \\~ \\#', () => {
    const q = byTitle('Escapes', 'multiple-choice');
    expect(q.stem).toBe('Which symbol is written = in GIFT: the { brace } and ~ tilde?');
    expect(q.choices.map((c) => c.text)).toEqual(['The equals sign =', 'The hash #']);
  });

  it('renders [markdown], escapes [plain] and keeps LaTeX delimiters as text', () => {
    const md = byTitle('Markdown', 'multiple-choice');
    expect(md.stemFormat).toBe('markdown');
    expect(md.stem).toBe('Which is <strong>bold</strong>?');
    expect(md.choices.map((c) => c.text)).toEqual(['<strong>this</strong>', '<em>this</em>']);
    const plain = byTitle('Plain', 'true-false');
    expect(plain.stem).toBe('Is &lt;b&gt; shown as text?');
    expect(byTitle('Latex', 'numerical').stem).toBe('Solve \\(x^2 = 4\\) for positive \\(x\\).');
  });

  it('derives stable ids: the same file gives the same ids, and they are unique', () => {
    const again = accepted(parseFixture('all-types.gift')).quiz;
    expect(again.questions.map((q) => q.id)).toEqual(quiz.questions.map((q) => q.id));
    expect(new Set(quiz.questions.map((q) => q.id)).size).toBe(quiz.questions.length);
  });
});

describe('GIFT: errors are all reported, each on its line', () => {
  const text = fixtureText('errors.gift');
  const reasons = rejected(parseFixture('errors.gift'));
  const at = (code: string): number[] => reasons.filter((r) => r.code === code).map((r) => r.line ?? 0);

  it('reports every mistake, in line order, with 1-based line and column', () => {
    expect(reasons.map((r) => r.code)).toEqual([
      'quiz.no-correct-answer',
      'quiz.syntax',
      'quiz.weights-do-not-add-up',
      'quiz.too-few-pairs',
      'quiz.syntax',
      'quiz.empty-stem',
      'quiz.duplicate-id',
    ]);
    for (const r of reasons) {
      expect(r.line).toBeGreaterThanOrEqual(1);
      expect(r.column).toBeGreaterThanOrEqual(1);
    }
  });

  it('says which question has no correct answer and how to fix it', () => {
    const r = reasons.find((x) => x.code === 'quiz.no-correct-answer');
    expect(r?.line).toBe(lineOf(text, '::No right answer::'));
    expect(r?.message).toContain('Question 1 ‘No right answer’');
    expect(r?.message).toContain("'='");
  });

  it('points at the unclosed brace and at the unexpected character', () => {
    const [unclosed, syntax] = reasons.filter((r) => r.code === 'quiz.syntax');
    const unclosedLine = lineOf(text, '::Unclosed::');
    expect([unclosed?.line, unclosed?.column]).toEqual([unclosedLine, (text.split('\n')[unclosedLine - 1] ?? '').indexOf('{') + 1]);
    expect(syntax?.line).toBe(lineOf(text, '{#abc}'));
    expect(syntax?.column).toBe(columnOf(text, '#abc'));
  });

  it('numbers questions the way the educator counts them, failed ones included', () => {
    expect(reasons.find((r) => r.code === 'quiz.weights-do-not-add-up')?.message).toContain('Question 4 ‘Weights’');
    expect(at('quiz.weights-do-not-add-up')).toEqual([lineOf(text, '::Weights::')]);
    expect(at('quiz.too-few-pairs')).toEqual([lineOf(text, '::Lonely pair::')]);
    expect(at('quiz.empty-stem')).toEqual([text.split('\n').indexOf('{T}') + 1]);
  });

  it('reports a duplicate [id:] at the second question and names the first', () => {
    const r = reasons.find((x) => x.code === 'quiz.duplicate-id');
    expect(r?.line).toBe(lineOf(text, '::Two::'));
    expect(r?.message).toContain(`line ${lineOf(text, '::One::')}`);
  });
});

describe('GIFT: messages that say how to fix it', () => {
  it('two questions without a blank line between them', () => {
    const reasons = rejected(parseText('q.gift', '::A::First {T}\n::B::Second {F}'));
    expect(reasons.map((r) => [r.code, r.line, r.column])).toEqual([['quiz.syntax', 2, 13]]);
    expect(reasons[0]?.message).toContain('blank line');
  });

  it('a stray closing brace', () => {
    const reasons = rejected(parseText('q.gift', 'Is 2 } 3? {T}'));
    expect(reasons.map((r) => [r.code, r.line, r.column])).toEqual([['quiz.syntax', 1, 6]]);
    expect(reasons[0]?.message).toContain('\\}');
  });
});

describe('GIFT: what Moodle accepts', () => {
  it('accepts the Moodle numerical shorthand {#3:2~#wrong}', () => {
    const q = accepted(parseText('q.gift', 'A number from 1 to 5? {#3:2~#Completely wrong}')).quiz.questions[0] as QuestionOf<'numerical'>;
    expect(q.answers).toEqual([
      { kind: 'exact', value: 3, tolerance: 2, credit: 100 },
      { kind: 'any', credit: 0, feedback: 'Completely wrong' },
    ]);
  });

  it('ignores comment lines inside a question and reads tags from them', () => {
    const text = '// [tag:one]\n::T::Question?{\n// a note for the teacher\n=yes\n~no\n}';
    const q = accepted(parseText('q.gift', text)).quiz.questions[0] as Question;
    expect(q.tags).toEqual(['one']);
    expect(q.source.line).toBe(2);
  });

  it('accepts a file of categories and comments only, warning that it has no questions', () => {
    const result = accepted(parseText('q.gift', '// nothing yet\n$CATEGORY: Later\n'));
    expect(result.quiz.questions).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toEqual(['quiz.no-questions']);
  });

  it('reads a category line followed directly by its first question', () => {
    const q = accepted(parseText('q.gift', '$CATEGORY: Biology\n::Q::Cells exist.{T}')).quiz.questions[0];
    expect(q?.category).toBe('Biology');
    expect(q?.source.line).toBe(2);
  });
});
