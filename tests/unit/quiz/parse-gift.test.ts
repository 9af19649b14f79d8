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

/**
 * Moodle's qformat_gift::readquestion gives ':' a meaning only in a leading ::title:: and in a
 * numerical answer's tolerance (answer:tolerance); '=', '~' and '#' only inside the answer block
 * before the general feedback ('####' to the closing brace). Everywhere else they are text.
 */
describe('GIFT: special characters where Moodle reads them as text', () => {
  const one = (text: string): Question => {
    const { quiz } = accepted(parseText('q.gift', text));
    expect(quiz.questions).toHaveLength(1);
    return quiz.questions[0] as Question;
  };

  it('a colon in the question text, a URL and a lone "::" in mid-text', () => {
    expect(one('What time is it? It is 12:00. {=yes ~no}').stem).toBe('What time is it? It is 12:00.');
    expect(one('See http://example.org first. {TRUE}').stem).toBe('See http://example.org first.');
    expect(one('Ratio a :: b in music? {=yes ~no}').stem).toBe('Ratio a :: b in music?');
  });

  it('a colon in a title (the title ends at the first "::", as in Moodle)', () => {
    const q = one('::Time: noon::When is noon? {=12 ~13}');
    expect(q.title).toBe('Time: noon');
    expect(q.stem).toBe('When is noon?');
  });

  it('an unclosed "::" at the start: Moodle drops it and reads the rest as the question', () => {
    const q = one('::What is 2 + 2? {=4 ~5}');
    expect(q.title).toBeUndefined();
    expect(q.stem).toBe('What is 2 + 2?');
  });

  it('a colon in an answer, in answer feedback and in general feedback', () => {
    const q = one('When does the train leave? {=12:00#Right: noon. ~13:00#No: that is later. ####Note: trains run hourly.}') as QuestionOf<'multiple-choice'>;
    expect(q.choices.map((c) => [c.text, c.feedback])).toEqual([
      ['12:00', 'Right: noon.'],
      ['13:00', 'No: that is later.'],
    ]);
    expect(q.feedback.general).toBe('Note: trains run hourly.');
  });

  it('a colon in a short answer, a matching answer and true/false feedback', () => {
    expect((one('Write noon as hh:mm. {=12:00}') as QuestionOf<'short-answer'>).answers[0]?.text).toBe('12:00');
    const m = one('Match. {=noon -> 12:00 =midnight -> 00:00}') as QuestionOf<'matching'>;
    expect(m.pairs.map((p) => p.answer)).toEqual(['12:00', '00:00']);
    const tf = one('Noon is 12:00. {TRUE#Wrong: it is.#Right: it is.}') as QuestionOf<'true-false'>;
    expect([tf.trueFeedback, tf.falseFeedback]).toEqual(['Right: it is.', 'Wrong: it is.']);
  });

  it('a numerical answer keeps ":" as the tolerance; its feedback may hold a colon', () => {
    const q = one('Pi? {#=%100%3.14:0.01#Yes: pi. =%50%3:0.5#Close: 3. ~#No: see the reading.}') as QuestionOf<'numerical'>;
    expect(q.answers).toEqual([
      { kind: 'exact', value: 3.14, tolerance: 0.01, credit: 100, feedback: 'Yes: pi.' },
      { kind: 'exact', value: 3, tolerance: 0.5, credit: 50, feedback: 'Close: 3.' },
      { kind: 'any', credit: 0, feedback: 'No: see the reading.' },
    ]);
  });

  it('"=", "~" and "#" in the question text, after the answer block and in general feedback', () => {
    expect(one('If x = 2 in C#, is ~x defined? {=yes ~no}').stem).toBe('If x = 2 in C#, is ~x defined?');
    expect(one('The {=cell} is # 1 = best ~ ever.').stem).toBe('The _____ is # 1 = best ~ ever.');
    expect(one('Q? {=a ~b ####x = 1 # 2 ~ 3}').feedback.general).toBe('x = 1 # 2 ~ 3');
  });

  it('escaped characters still read as themselves, next to unescaped colons', () => {
    const q = one('a\\: b: c \\= d? {=e\\:f ~g\\#h}') as QuestionOf<'multiple-choice'>;
    expect(q.stem).toBe('a: b: c = d?');
    expect(q.choices.map((c) => c.text)).toEqual(['e:f', 'g#h']);
  });

  it('an error after unescaped colons points at the educator’s own column, in the answer block', () => {
    // Moodle fails here too: "1:2:3" is not answer:tolerance (errornotnumbers).
    const [r, more] = rejected(parseText('q.gift', 'At 12:00: what? {#1:2:3}'));
    expect(more).toBeUndefined();
    expect([r?.code, r?.line, r?.column]).toEqual(['quiz.syntax', 1, 'At 12:00: what? {#1:2'.length + 1]);
    expect(r?.message).toContain('Check the answer block');
  });

  it('an error before the answer block says to check the question text, not the answers', () => {
    const [r] = rejected(parseText('q.gift', '[markdown] {T}'));
    expect([r?.code, r?.line, r?.column]).toEqual(['quiz.syntax', 1, 1]);
    expect(r?.message).toContain('Check the question text');
    expect(r?.message).not.toContain('answer block:');
  });
});
