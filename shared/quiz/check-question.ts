/**
 * Answerability: a question no response can get full marks on is an error, whatever the format.
 */
import type { Reason } from '../contract/errors.js';
import type { QuizFormat } from './detect-format.js';
import type { Choice, ClozeGap, GapChoice, NumericalAnswer, Question } from './model.js';
import { excerpt, hint, questionLabel, reason } from './reasons.js';

/** Credits are percentages; Moodle writes a third as 33.33333, so compare with some slack. */
const EPSILON = 0.001;

export function checkQuestion(question: Question, index: number, format: QuizFormat): Reason[] {
  const label = questionLabel(index, question.title ?? excerpt(question.stem), question.source);
  const at = question.source;
  const errors: Reason[] = [];
  if (!hasContent(question.stem)) {
    errors.push(reason('quiz.empty-stem', `${label} has no question text: write the question before its answers.`, at));
  }
  switch (question.type) {
    case 'multiple-choice':
    case 'multiple-response':
      errors.push(...checkChoices(question.type, question.choices, label, at, format));
      break;
    case 'short-answer':
      if (question.answers.some((a) => a.text.trim() === '')) {
        errors.push(reason('quiz.empty-answer', `${label} has an empty accepted answer: remove it or write the answer.`, at));
      }
      if (!question.answers.some((a) => a.credit >= 100 - EPSILON)) {
        errors.push(noCorrect(label, 'no accepted answer worth 100%', at, format));
      }
      break;
    case 'numerical':
      errors.push(...checkNumbers(question.answers, label, at));
      if (!question.answers.some((a) => a.kind !== 'any' && a.credit >= 100 - EPSILON)) {
        errors.push(noCorrect(label, 'no numeric answer worth 100%', at, format));
      }
      break;
    case 'matching': {
      const real = question.pairs.filter((p) => hasContent(p.prompt));
      if (real.length < 2) {
        errors.push(
          reason(
            'quiz.too-few-pairs',
            `${label} has ${real.length} matching pair${real.length === 1 ? '' : 's'}; a matching question needs at least 2: ${hint(format, 'too-few-pairs')}.`,
            at,
          ),
        );
      }
      if (question.pairs.some((p) => p.answer.trim() === '')) {
        errors.push(reason('quiz.empty-answer', `${label} has a pair without an answer: write the text after '->'.`, at));
      }
      break;
    }
    case 'cloze':
      question.gaps.forEach((gap, i) => errors.push(...checkGap(gap, `${label}, gap ${i + 1}`, at, format)));
      break;
    case 'drag-drop-text':
    case 'select-missing-words':
      errors.push(...checkGapText(question.stem, question.choices, label, at));
      break;
    case 'true-false':
    case 'essay':
    case 'description':
      break;
  }
  return errors;
}

/** A Cloze gap is answerable like the question type it embeds. */
function checkGap(gap: ClozeGap, label: string, at: Question['source'], format: QuizFormat): Reason[] {
  switch (gap.kind) {
    case 'multiple-choice':
    case 'multiple-response':
      return checkChoices(gap.kind, gap.choices, label, at, format);
    case 'short-answer':
      return gap.answers.some((a) => a.credit >= 100 - EPSILON) ? [] : [noCorrect(label, 'no answer marked = or %100%', at, format)];
    case 'numerical':
      return [
        ...checkNumbers(gap.answers, label, at),
        ...(gap.answers.some((a) => a.kind !== 'any' && a.credit >= 100 - EPSILON) ? [] : [noCorrect(label, 'no number marked = or %100%', at, format)]),
      ];
  }
}

/** `[[n]]` gaps: at least one, each naming an existing choice. */
function checkGapText(stem: string, choices: GapChoice[], label: string, at: Question['source']): Reason[] {
  const gaps = [...stem.matchAll(/\[\[(\d+)\]\]/g)].map((m) => Number(m[1]));
  const errors: Reason[] = [];
  if (gaps.length === 0) {
    errors.push(reason('quiz.no-correct-answer', `${label} has no gap: write [[1]], [[2]], … in the text where choice 1, 2, … belongs.`, at));
  }
  for (const n of new Set(gaps.filter((g) => g < 1 || g > choices.length))) {
    errors.push(reason('quiz.no-correct-answer', `${label} has the gap [[${n}]], but only ${choices.length} choice${choices.length === 1 ? '' : 's'}: add choice ${n} or fix the gap number.`, at));
  }
  if (choices.some((c) => c.text.trim() === '')) {
    errors.push(reason('quiz.empty-answer', `${label} has an empty choice: write a text for every choice.`, at));
  }
  return errors;
}

function checkNumbers(answers: NumericalAnswer[], label: string, at: Question['source']): Reason[] {
  const errors: Reason[] = [];
  for (const answer of answers) {
    const numbers = answer.kind === 'exact' ? [answer.value, answer.tolerance] : answer.kind === 'range' ? [answer.min, answer.max] : [];
    if (numbers.some((n) => !Number.isFinite(n) || Math.abs(n) > 1e15)) {
      errors.push(reason('quiz.invalid-number', `${label} has a numeric answer that is not a usable number (too large or malformed): write an ordinary number such as 3.14.`, at));
    } else if (answer.kind === 'range' && answer.min > answer.max) {
      errors.push(reason('quiz.invalid-range', `${label} has the range ${answer.min}..${answer.max}: the lower bound must come first.`, at));
    }
  }
  return errors;
}

function checkChoices(
  type: 'multiple-choice' | 'multiple-response',
  choices: Choice[],
  label: string,
  at: Question['source'],
  format: QuizFormat,
): Reason[] {
  const errors: Reason[] = [];
  if (choices.length < 2) {
    errors.push(
      reason(
        'quiz.too-few-choices',
        `${label} has ${choices.length} option${choices.length === 1 ? '' : 's'}: ${hint(format, 'too-few-choices')}.`,
        at,
      ),
    );
  }
  const empty = choices.filter((c) => !hasContent(c.text)).length;
  if (empty > 0) {
    errors.push(reason('quiz.empty-answer', `${label} has ${empty} empty option${empty === 1 ? '' : 's'}: write a text for every option.`, at));
  }
  if (type === 'multiple-choice') {
    if (!choices.some((c) => c.credit >= 100 - EPSILON)) errors.push(noCorrect(label, 'no option worth 100%', at, format));
    return errors;
  }
  const positive = choices.filter((c) => c.credit > 0).reduce((sum, c) => sum + c.credit, 0);
  if (positive <= 0) {
    errors.push(noCorrect(label, 'no option with a positive weight', at, format));
  } else if (Math.abs(positive - 100) > EPSILON * choices.length) {
    const total = Math.round(positive * 1000) / 1000;
    errors.push(
      reason(
        'quiz.weights-do-not-add-up',
        `${label} is a multiple-response question whose positive weights add up to ${total}%, not 100%, ` +
          `so ${positive < 100 ? 'no response can get full marks' : 'full marks do not need every right option'}: ${hint(format, 'multi-weights')}.`,
        at,
      ),
    );
  }
  return errors;
}

function noCorrect(label: string, what: string, at: Question['source'], format: QuizFormat): Reason {
  return reason('quiz.no-correct-answer', `${label} has no correct answer (${what}): ${hint(format, 'no-correct-answer')}.`, at);
}

/** Does sanitised HTML show anything: text, an image or a formula? */
export function hasContent(html: string): boolean {
  if (/<(img|math)\b/i.test(html)) return true;
  return excerpt(html, 10).replace(/\u00a0/g, '').trim() !== '';
}
