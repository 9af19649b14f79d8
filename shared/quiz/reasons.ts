/** Building blocks for quiz reasons: question labels, per-format fix hints, the error cap. */
import type { Reason } from '../contract/errors.js';
import { byPosition, capReasons, moreWere } from '../contract/reasons.js';
import type { QuizFormat } from './detect-format.js';
import type { Position } from './draft.js';

/** Every code a quiz reason can carry (documented in docs/quiz-format.md). */
export const QUIZ_REASON_CODES = [
  'quiz.empty-file',
  'quiz.too-large',
  'quiz.invalid-utf8',
  'quiz.binary-content',
  'quiz.unknown-format',
  'quiz.wrong-extension',
  'quiz.syntax',
  'quiz.too-deep',
  'quiz.too-many-aliases',
  'quiz.schema',
  'quiz.too-many-questions',
  'quiz.too-many-answers',
  'quiz.no-questions',
  'quiz.too-many-errors',
  'quiz.empty-stem',
  'quiz.empty-answer',
  'quiz.no-correct-answer',
  'quiz.too-few-choices',
  'quiz.weights-do-not-add-up',
  'quiz.too-few-pairs',
  'quiz.invalid-range',
  'quiz.invalid-number',
  'quiz.invalid-grade',
  'quiz.invalid-id',
  'quiz.duplicate-id',
  'quiz.unsupported-question-type',
  'quiz.not-an-item',
  'quiz.qti-invalid',
  'quiz.html-sanitised',
  'quiz.missing-asset',
  'quiz.ignored-content',
  'quiz.tex-error',
  'quiz.internal',
] as const;
export type QuizReasonCode = (typeof QUIZ_REASON_CODES)[number];

export function reason(code: QuizReasonCode, message: string, position?: Position): Reason {
  const out: Reason = { code, message };
  if (position) {
    out.line = position.line;
    if (position.column !== undefined) out.column = position.column;
  }
  return out;
}

/** “Question 3 ‘Capital of France’ (line 12)”: how messages name a question. */
export function questionLabel(index: number, name: string | undefined, position: Position): string {
  const shown = name ? ` ‘${excerpt(name, 50)}’` : '';
  return `Question ${index + 1}${shown} (line ${position.line})`;
}

/** A short plain-text excerpt of HTML or text, for messages. */
export function excerpt(text: string, max = 50): string {
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length <= max ? plain : `${plain.slice(0, max - 1)}…`;
}

/** In order of line and column, the first `max` reasons and how many more there were. */
export function capQuizReasons(reasons: Reason[], max: number): Reason[] {
  const summary = (omitted: number) => reason('quiz.too-many-errors', `${moreWere(omitted, 'problem')} not listed; fix the ones above and upload again to see the rest.`);
  return capReasons(byPosition(reasons), max, summary);
}

export type HintTopic = 'no-correct-answer' | 'multi-weights' | 'too-few-pairs' | 'too-few-choices';

const HINTS: Record<QuizFormat, Record<HintTopic, string>> = {
  gift: {
    'no-correct-answer': "mark the right option with '=' (or give an answer a positive weight such as ~%50%) in GIFT",
    'multi-weights': 'give the right options weights such as ~%50% that add up to 100% in GIFT',
    'too-few-pairs': "write at least two '=item -> answer' pairs in GIFT",
    'too-few-choices': "give at least two options, one starting with '=' and others with '~', in GIFT",
  },
  aiken: {
    'no-correct-answer': "end the question with an 'ANSWER: X' line naming one of its option letters",
    'multi-weights': "end the question with an 'ANSWER: X' line naming one of its option letters",
    'too-few-pairs': 'Aiken has no matching questions',
    'too-few-choices': "give at least two options ('A) …', 'B) …') before the ANSWER line",
  },
  'moodle-xml': {
    'no-correct-answer': 'give one <answer> fraction="100" (Moodle XML)',
    'multi-weights': 'make the positive <answer> fractions add up to 100 (Moodle XML)',
    'too-few-pairs': 'add at least two <subquestion> elements with text and an <answer> (Moodle XML)',
    'too-few-choices': 'add at least two <answer> elements (Moodle XML)',
  },
  qti21: {
    'no-correct-answer': 'list the right identifier(s) in <correctResponse> or give them a positive <mapEntry> (QTI)',
    'multi-weights': 'make the <correctResponse> or the positive <mapEntry> values reachable (QTI)',
    'too-few-pairs': 'list at least two directed pairs in <correctResponse> (QTI)',
    'too-few-choices': 'add at least two <simpleChoice> elements (QTI)',
  },
  'native-yaml': {
    'no-correct-answer': 'set `correct: true` (or `credit: 100`) on the right choice',
    'multi-weights': 'make the positive `credit` values add up to 100',
    'too-few-pairs': 'list at least two `pairs` with a prompt and an answer',
    'too-few-choices': 'list at least two `choices`',
  },
  'native-json': {
    'no-correct-answer': 'set "correct": true (or "credit": 100) on the right choice',
    'multi-weights': 'make the positive "credit" values add up to 100',
    'too-few-pairs': 'list at least two "pairs" with a prompt and an answer',
    'too-few-choices': 'list at least two "choices"',
  },
};

export function hint(format: QuizFormat, topic: HintTopic): string {
  return HINTS[format][topic];
}
