/**
 * How the preview scores a quiz, the way docs/quiz-format.md defines credit — one module, run by the
 * page (bundled into `preview.js`) and by its tests:
 *
 * - multiple-choice: the picked choice's credit (a penalty counts as 0 for the question);
 * - multiple-response: all-or-nothing → full points only for exactly the positive-credit set;
 *   otherwise the picked choices' credits add up, capped to 0…100 %;
 * - true-false: right or wrong; short-answer and numerical: the first matching answer decides
 *   (short answers: `*` is a wildcard, case as the question says; numbers: exact ± tolerance,
 *   range, or any); matching: an equal share per pair; essay: shown, never scored;
 * - cloze: the weighted mean of its gaps, each scored like the type it embeds;
 * - drag-drop-text and select-missing-words: an equal share per gap, right when the choice put in
 *   it is the gap's choice (or one with the same text in the same group).
 */
import type { ClozeGap, NumericalAnswer, Question, QuestionOf, Quiz } from '../../../shared/quiz/model.js';

/**
 * multiple-choice → choice id; multiple-response → choice ids; true-false → boolean; text answers →
 * text; matching → the answer chosen per pair; cloze → per gap its text, choice id or choice ids;
 * drag-drop-text / select-missing-words → per gap (in text order) the 1-based number of the choice put there.
 */
export type Response = string | boolean | Array<string | string[] | undefined> | undefined;

/** A score this close to full marks is full marks (Moodle writes a third as 33.33333). */
const FULL = 1 - 1e-5;

export interface QuestionScore {
  gradable: boolean;
  answered: boolean;
  state: 'correct' | 'partial' | 'incorrect' | 'unanswered' | 'ungraded';
  fraction: number;
  points: number;
  max: number;
  /** Sanitised HTML, in the order shown. */
  feedback: string[];
  note?: string;
}

export interface QuizScore {
  points: number;
  max: number;
  percent: number;
  answered: number;
  questions: number;
  ungraded: number;
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The LMS default grade when a question has none. */
export function maxPoints(question: Question): number {
  return typeof question.points === 'number' && question.points > 0 ? question.points : 1;
}

export function gradable(question: Question): boolean {
  return question.type !== 'essay' && question.type !== 'description';
}

function normaliseText(text: string): string {
  return String(text).trim().replace(/\s+/g, ' ');
}

/** Moodle's short-answer match: the whole response, `*` matches any run of characters. */
export function shortAnswerMatches(pattern: string, response: string, caseSensitive: boolean): boolean {
  const source = normaliseText(pattern)
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, caseSensitive ? 'su' : 'isu').test(normaliseText(response));
}

/** "3.5", "3,5", " 1e3 " → a number; anything else → NaN. */
export function parseNumber(text: string): number {
  let t = String(text).trim().replace(/\s+/g, '');
  if (t === '') return Number.NaN;
  if (!t.includes('.') && /^[-+]?\d+,\d+$/.test(t)) t = t.replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return Number.NaN;
  return Number(t);
}

function numericalMatches(answer: NumericalAnswer, value: number): boolean {
  if (answer.kind === 'any') return true;
  const epsilon = 1e-9 * Math.max(1, Math.abs(value));
  if (answer.kind === 'exact') return Math.abs(value - answer.value) <= answer.tolerance + epsilon;
  return value >= answer.min - epsilon && value <= answer.max + epsilon;
}

function isEmpty(question: Question, response: Response): boolean {
  if (response === undefined || response === null) return true;
  if (Array.isArray(response)) return question.type === 'multiple-response' ? response.length === 0 : response.every((r) => !r || (Array.isArray(r) && r.length === 0));
  if (typeof response === 'string') return response.trim() === '';
  return false;
}

const text = (response: Response): string => (typeof response === 'string' ? response : '');
const list = (response: Response): Array<string | undefined> => (Array.isArray(response) ? response.map((r) => (Array.isArray(r) ? undefined : r)) : []);

/** The gaps of a drag-drop-text or select-missing-words stem: the right choice's number, in text order. */
export function gapNumbers(stem: string): number[] {
  return [...stem.matchAll(/\[\[(\d+)\]\]/g)].map((m) => Number(m[1]));
}

/** One Cloze gap's fraction (0…1) and feedback. */
function scoreGap(gap: ClozeGap, response: string | string[] | undefined): { fraction: number; feedback?: string } {
  switch (gap.kind) {
    case 'short-answer': {
      const match = gap.answers.find((a) => shortAnswerMatches(a.text, typeof response === 'string' ? response : '', gap.caseSensitive));
      return { fraction: match ? match.credit / 100 : 0, ...(match?.feedback ? { feedback: match.feedback } : {}) };
    }
    case 'numerical': {
      const value = parseNumber(typeof response === 'string' ? response : '');
      const match = Number.isNaN(value) ? undefined : gap.answers.find((a) => numericalMatches(a, value));
      return { fraction: match ? match.credit / 100 : 0, ...(match?.feedback ? { feedback: match.feedback } : {}) };
    }
    case 'multiple-choice': {
      const choice = gap.choices.find((c) => c.id === response);
      return { fraction: choice ? Math.min(1, Math.max(0, choice.credit / 100)) : 0, ...(choice?.feedback ? { feedback: choice.feedback } : {}) };
    }
    case 'multiple-response': {
      const picked = new Set(Array.isArray(response) ? response : []);
      const total = gap.choices.filter((c) => picked.has(c.id)).reduce((sum, c) => sum + c.credit, 0);
      return { fraction: Math.min(100, Math.max(0, total)) / 100 };
    }
  }
}

function scoreGapText(question: QuestionOf<'drag-drop-text' | 'select-missing-words'>, response: Response): { fraction: number; note: string } {
  const gaps = gapNumbers(question.stem);
  const chosen = Array.isArray(response) ? response : [];
  const right = gaps.filter((n, i) => {
    const pick = Number(chosen[i]);
    const want = question.choices[n - 1];
    const got = question.choices[pick - 1];
    return pick === n || (want !== undefined && got !== undefined && got.group === want.group && got.text === want.text);
  }).length;
  return { fraction: gaps.length > 0 ? right / gaps.length : 0, note: `${right} of ${gaps.length} gaps right.` };
}

/** Scores one response (see `Response` for its shape per question type). */
export function scoreQuestion(question: Question, response: Response): QuestionScore {
  const max = maxPoints(question);
  if (!gradable(question)) return { gradable: false, answered: !isEmpty(question, response), state: 'ungraded', fraction: 0, points: 0, max: 0, feedback: [] };
  if (isEmpty(question, response)) return { gradable: true, answered: false, state: 'unanswered', fraction: 0, points: 0, max, feedback: [] };
  let fraction = 0;
  const feedback: string[] = [];
  let note: string | undefined;
  switch (question.type) {
    case 'multiple-choice': {
      const choice = question.choices.find((c) => c.id === response);
      fraction = choice ? Math.min(1, Math.max(0, choice.credit / 100)) : 0;
      if (choice?.feedback) feedback.push(choice.feedback);
      break;
    }
    case 'multiple-response': {
      const picked = new Set(list(response));
      if (question.allOrNothing) {
        const positive = question.choices.filter((c) => c.credit > 0).map((c) => c.id);
        fraction = positive.length === picked.size && positive.every((id) => picked.has(id)) ? 1 : 0;
      } else {
        const total = question.choices.filter((c) => picked.has(c.id)).reduce((sum, c) => sum + c.credit, 0);
        fraction = Math.min(100, Math.max(0, total)) / 100;
      }
      for (const c of question.choices) if (picked.has(c.id) && c.feedback) feedback.push(c.feedback);
      break;
    }
    case 'true-false': {
      fraction = response === question.correct ? 1 : 0;
      const fb = response ? question.trueFeedback : question.falseFeedback;
      if (fb) feedback.push(fb);
      break;
    }
    case 'short-answer': {
      const match = question.answers.find((a) => shortAnswerMatches(a.text, text(response), question.caseSensitive));
      fraction = match ? match.credit / 100 : 0;
      if (match?.feedback) feedback.push(match.feedback);
      break;
    }
    case 'numerical': {
      const value = parseNumber(text(response));
      if (Number.isNaN(value)) {
        note = 'That is not a number.';
        break;
      }
      const match = question.answers.find((a) => numericalMatches(a, value));
      fraction = match ? match.credit / 100 : 0;
      if (match?.feedback) feedback.push(match.feedback);
      break;
    }
    case 'matching': {
      const chosen = list(response);
      const right = question.pairs.filter((pair, i) => chosen[i] === pair.answer).length;
      fraction = right / question.pairs.length;
      note = `${right} of ${question.pairs.length} matched correctly.`;
      break;
    }
    case 'cloze': {
      const chosen = Array.isArray(response) ? response : [];
      const scores = question.gaps.map((gap, i) => scoreGap(gap, chosen[i]));
      const weight = question.gaps.reduce((sum, g) => sum + g.weight, 0);
      fraction = question.gaps.reduce((sum, g, i) => sum + g.weight * (scores[i]?.fraction ?? 0), 0) / weight;
      for (const s of scores) if (s.feedback) feedback.push(s.feedback);
      note = `${scores.filter((s) => s.fraction >= FULL).length} of ${question.gaps.length} gaps right.`;
      break;
    }
    case 'drag-drop-text':
    case 'select-missing-words':
      ({ fraction, note } = scoreGapText(question, response));
      break;
    default:
      break;
  }
  const state = fraction >= FULL ? 'correct' : fraction > 0 ? 'partial' : 'incorrect';
  const qf = question.feedback ?? {};
  const stateFeedback = state === 'correct' ? qf.correct : state === 'partial' ? qf.partiallyCorrect : qf.incorrect;
  if (stateFeedback) feedback.push(stateFeedback);
  if (qf.general) feedback.push(qf.general);
  const points = state === 'correct' ? max : round(fraction * max);
  return { gradable: true, answered: true, state, fraction: state === 'correct' ? 1 : fraction, points, max, feedback, ...(note ? { note } : {}) };
}

/** Totals over the gradable questions; `responses[i]` belongs to `quiz.questions[i]`. */
export function scoreQuiz(quiz: Quiz, responses: Response[]): QuizScore {
  let points = 0;
  let max = 0;
  let answered = 0;
  let questions = 0;
  let ungraded = 0;
  quiz.questions.forEach((q, i) => {
    if (q.type === 'essay') ungraded++;
    if (!gradable(q)) return;
    const result = scoreQuestion(q, responses[i]);
    questions++;
    points += result.points;
    max += result.max;
    if (result.answered) answered++;
  });
  return { points: round(points), max: round(max), percent: max > 0 ? Math.round((points / max) * 100) : 0, answered, questions, ungraded };
}
