import { describe, expect, it } from 'vitest';
import type { QuestionOf } from '../../../shared/quiz/model.js';
import { accepted, fixtureText, lineOf, parseFixture, parseText, rejected } from './helpers.js';

describe('Aiken', () => {
  it('reads questions with "A." and "A)" labels and the ANSWER line', () => {
    const { quiz, warnings } = accepted(parseFixture('basics.aiken'));
    expect(warnings).toEqual([]);
    const [first, second] = quiz.questions as QuestionOf<'multiple-choice'>[];
    expect(first?.stem).toBe('What is the basic unit of life?');
    expect(first?.choices.map((c) => [c.id, c.text, c.credit])).toEqual([
      ['a', 'The atom', 0],
      ['b', 'The cell', 100],
      ['c', 'The organ', 0],
    ]);
    expect(second?.choices.find((c) => c.credit === 100)?.text).toBe('DNA');
    expect(second?.source.line).toBe(lineOf(fixtureText('basics.aiken'), 'Which molecule'));
  });

  it('keeps HTML characters of Aiken text as text', () => {
    const q = accepted(parseText('q.aiken', 'Is 1 < 2 & 3 > 2?\nA) Yes <b>\nB) No\nANSWER: A')).quiz.questions[0] as QuestionOf<'multiple-choice'>;
    expect(q.stem).toBe('Is 1 &lt; 2 &amp; 3 &gt; 2?');
    expect(q.choices[0]?.text).toBe('Yes &lt;b&gt;');
  });

  it('accepts an option label with no space after it ("A)Yes")', () => {
    const q = accepted(parseText('q.aiken', 'Pick\nA)Yes\nB)No\nANSWER: B')).quiz.questions[0] as QuestionOf<'multiple-choice'>;
    expect(q.choices.map((c) => c.text)).toEqual(['Yes', 'No']);
  });

  it('reports every bad question on its exact line', () => {
    const text = fixtureText('errors.aiken');
    const reasons = rejected(parseFixture('errors.aiken'));
    expect(reasons.map((r) => [r.code, r.line])).toEqual([
      ['quiz.too-few-choices', lineOf(text, 'ANSWER: A')],
      ['quiz.no-correct-answer', lineOf(text, 'ANSWER: E')],
      ['quiz.syntax', lineOf(text, 'A) An option without a question')],
      // Where its ANSWER line goes: right after its last option (Moodle names the next question's line).
      ['quiz.syntax', lineOf(text, 'B) Two') + 1],
    ]);
    expect(reasons[1]?.message).toContain("names 'E'");
    expect(reasons[3]?.message).toBe(
      `Question ‘A question that never ends’ (line ${lineOf(text, 'A question that never ends')}) has no ANSWER line ` +
        `(the next question starts on line ${lineOf(text, 'The last question')} without one): ` +
        `add 'ANSWER: <letter>' (one of A, B) on line ${lineOf(text, 'B) Two') + 1}, right after its last option on line ${lineOf(text, 'B) Two')}.`,
    );
  });

  it('reports a question left open at the end of the file where its ANSWER line goes', () => {
    const reasons = rejected(parseText('q.aiken', 'Pick one\nA) x\nB) y\n'));
    expect(reasons.map((r) => [r.code, r.line])).toEqual([['quiz.syntax', 4]]);
    expect(reasons[0]?.message).toContain('the file ends without one');
    expect(reasons[0]?.message).toContain("add 'ANSWER: <letter>' (one of A, B) on line 4");
  });

  it('reports an ANSWER line missing between two questions with no blank line, at the line it goes before', () => {
    const text = 'First?\nA) x\nB) y\nSecond?\nA) p\nB) q\nANSWER: A\n';
    const reasons = rejected(parseText('q.aiken', text));
    expect(reasons.map((r) => [r.code, r.line])).toEqual([['quiz.syntax', 4]]);
    expect(reasons[0]?.message).toContain("‘First?’ (line 1) has no ANSWER line (the next question starts on line 4 without one)");
  });

  it('says an Aiken question is one line when its text continues on the next line', () => {
    const reasons = rejected(parseText('q.aiken', 'What is\nthe answer?\nA) x\nB) y\nANSWER: A\n'));
    expect(reasons.map((r) => [r.code, r.line])).toEqual([['quiz.syntax', 2]]);
    expect(reasons[0]?.message).toContain('continues on line 2, but an Aiken question is one line of text');
  });
});
