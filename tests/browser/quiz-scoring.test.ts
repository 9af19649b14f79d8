/**
 * The preview's quiz scoring (local/preview/client/quiz-scoring.ts, bundled into the page), on questions
 * read by the real quiz parser from lectern's native format — every answerable type.
 */
import { describe, expect, it } from 'vitest';
import type { Question } from '../../shared/quiz/model.js';
import { parseQuiz } from '../../shared/quiz/parse-quiz.js';

import { matchingOptions, renderQuiz, renderTotal } from '../../local/preview/client/quiz-render.js';
import { parseNumber, scoreQuestion, scoreQuiz, shortAnswerMatches } from '../../local/preview/client/quiz-scoring.js';

const YAML = `title: Every type
format: markdown
questions:
  - type: multiple-choice
    id: mc
    points: 2
    stem: What surrounds **every** cell?
    choices:
      - { text: The cell membrane, correct: true, feedback: Right. }
      - { text: The nucleus, feedback: No. }
      - { text: The wall, credit: -50 }
    feedback: { general: The membrane is a lipid bilayer., correct: Well done. }
  - type: multiple-response
    id: mr-all
    stem: Which are organelles?
    choices:
      - { text: Mitochondrion, correct: true }
      - { text: Golgi apparatus, correct: true }
      - Cytoplasm
  - type: multiple-response
    id: mr-sum
    stem: Which are eukaryotes?
    choices:
      - { text: Yeast, credit: 50 }
      - { text: Oak tree, credit: 50 }
      - { text: E. coli, credit: -100 }
  - type: true-false
    id: tf
    stem: Plant cells have a cell wall.
    correct: true
    falseFeedback: They do.
  - type: short-answer
    id: sa
    stem: The organelle that makes ATP is the ____.
    answers:
      - mitochondrion
      - { text: mito*, credit: 50, feedback: Spell it out. }
  - type: numerical
    id: num
    stem: How many chromosomes?
    answers:
      - 46
      - { value: 23, tolerance: 0, credit: 50 }
      - { min: 40, max: 50, credit: 10 }
      - { any: true, feedback: Count the pairs. }
  - type: matching
    id: match
    stem: Match each organelle to its job.
    pairs:
      - { prompt: Ribosome, answer: makes proteins }
      - { prompt: Nucleus, answer: stores DNA }
      - { prompt: Vacuole, answer: stores water }
    distractors: [digests sugar]
  - type: essay
    id: essay
    stem: Explain why cells are small.
    graderInfo: Surface to volume.
  - type: description
    format: html
    stem: <p>The end.</p>
`;

const parsed = parseQuiz({ bytes: new TextEncoder().encode(YAML), fileName: 'every.quiz.yaml' });
if (!parsed.ok) throw new Error(JSON.stringify(parsed.reasons));
const quiz = parsed.quiz;
const q = (id: string) => quiz.questions.find((x) => x.id === id) as Question;
const score = (id: string, response: Parameters<typeof scoreQuestion>[1]) => scoreQuestion(q(id), response);
const choice = (id: string, text: string) => (q(id) as Extract<Question, { type: 'multiple-choice' | 'multiple-response' }>).choices.find((c) => c.text.includes(text))!.id;

describe('scoring in the preview', () => {
  it('multiple choice: the picked choice’s credit of the points; a penalty scores 0', () => {
    expect(score('mc', choice('mc', 'membrane'))).toMatchObject({ state: 'correct', points: 2, max: 2, feedback: ['Right.', 'Well done.', 'The membrane is a lipid bilayer.'] });
    expect(score('mc', choice('mc', 'wall'))).toMatchObject({ state: 'incorrect', points: 0 });
    expect(score('mc', undefined)).toMatchObject({ state: 'unanswered', answered: false, points: 0, max: 2 });
  });

  it('multiple response: all or nothing, or credits that add up (capped at 0)', () => {
    expect(q('mr-all')).toMatchObject({ allOrNothing: true });
    expect(score('mr-all', [choice('mr-all', 'Mito'), choice('mr-all', 'Golgi')])).toMatchObject({ state: 'correct', points: 1 });
    expect(score('mr-all', [choice('mr-all', 'Mito')])).toMatchObject({ state: 'incorrect', points: 0 });
    expect(score('mr-sum', [choice('mr-sum', 'Yeast')])).toMatchObject({ state: 'partial', points: 0.5 });
    expect(score('mr-sum', [choice('mr-sum', 'Yeast'), choice('mr-sum', 'coli')])).toMatchObject({ state: 'incorrect', points: 0 });
  });

  it('true/false, with the feedback for the answer given', () => {
    expect(score('tf', true)).toMatchObject({ state: 'correct', points: 1 });
    expect(score('tf', false)).toMatchObject({ state: 'incorrect', feedback: ['They do.'] });
  });

  it('short answer: the first matching answer, case-insensitive, spaces normalised, * as a wildcard', () => {
    expect(score('sa', '  Mitochondrion ')).toMatchObject({ state: 'correct', points: 1 });
    expect(score('sa', 'mitochondria')).toMatchObject({ state: 'partial', points: 0.5, feedback: ['Spell it out.'] });
    expect(score('sa', 'ribosome')).toMatchObject({ state: 'incorrect' });
    expect(shortAnswerMatches('a.b (c)', 'A.B (C)', false)).toBe(true);
    expect(shortAnswerMatches('a.b', 'axb', false)).toBe(false);
  });

  it('numerical: exact ± tolerance, range, any; commas as decimal points; not a number', () => {
    expect(score('num', '46')).toMatchObject({ state: 'correct' });
    expect(score('num', '23')).toMatchObject({ state: 'partial', points: 0.5 });
    expect(score('num', '44,5')).toMatchObject({ state: 'partial', points: 0.1 });
    expect(score('num', '7')).toMatchObject({ state: 'incorrect', feedback: ['Count the pairs.'] });
    expect(score('num', 'forty-six')).toMatchObject({ state: 'incorrect', note: 'That is not a number.' });
    expect(parseNumber(' 1e3 ')).toBe(1000);
  });

  it('matching: an equal share per pair; the options are shuffled the same way every time', () => {
    expect(score('match', ['makes proteins', 'stores DNA', 'stores water'])).toMatchObject({ state: 'correct', points: 1 });
    expect(score('match', ['makes proteins', 'stores water', undefined])).toMatchObject({ state: 'partial', points: 0.33, note: '1 of 3 matched correctly.' });
    const options = matchingOptions(q('match') as Extract<Question, { type: 'matching' }>);
    expect([...options].sort()).toEqual(['digests sugar', 'makes proteins', 'stores DNA', 'stores water']);
    expect(matchingOptions(q('match') as Extract<Question, { type: 'matching' }>)).toEqual(options);
  });

  it('essays and descriptions are not scored; the total counts the rest', () => {
    expect(score('essay', 'Because of surface area.')).toMatchObject({ gradable: false, state: 'ungraded' });
    const responses = quiz.questions.map((x) => (x.id === 'mc' ? choice('mc', 'membrane') : x.id === 'tf' ? true : undefined));
    expect(scoreQuiz(quiz, responses)).toEqual({ points: 3, max: 8, percent: 38, answered: 2, questions: 7, ungraded: 1 });
    expect(renderTotal(scoreQuiz(quiz, responses))).toBe('<strong>Score: 3 of 8 points</strong> (38%) · 2 of 7 questions answered · 1 essay not scored');
  });

  it('renders rich text as markup and plain text escaped, every control labelled', () => {
    const html = renderQuiz(quiz, 'p');
    expect(html).toContain('What surrounds <strong>every</strong> cell?');
    expect(html).toContain('<label for="p-q4-text">Your answer</label><input type="text" id="p-q4-text"');
    expect(html).toContain('<label for="p-q6-m0" class="match-prompt rich">Ribosome</label><select id="p-q6-m0"');
    expect(html).toContain('Information for graders (students do not see this)');
    expect(html.match(/<input /g)?.length).toBe(html.match(/<input [^>]*id="([^"]+)"[^>]*><label for="\1"|<label for="([^"]+)">[^<]*<\/label><input [^>]*id="\2"/g)?.length);
  });
});
