/**
 * Moodle's Cloze ("embedded answers", multianswer) syntax, as `qtype_multianswer` reads it:
 * `{weight:TYPE:alternative~alternative…}` inside the question text. An alternative is an
 * optional mark (`=` for 100 %, `%n%` for n %), the answer, and an optional `#feedback`;
 * `\~`, `\}`, `\#` and `\\` are literal. Text in braces that is not this syntax stays text, as
 * in Moodle. Each gap becomes `{#n}` in the stem.
 */
import type { DraftChoice, DraftClozeGap, DraftNumericalAnswer, DraftShortAnswer, RichText } from './draft.js';
import type { TextFormat } from './model.js';
import type { QuizReasonCode } from './reasons.js';

export interface ClozeProblem {
  code: QuizReasonCode;
  /** In the educator's words, starting with the gap ("gap 2 (numerical) has …"). */
  message: string;
}

export interface ClozeText {
  /** The text with each gap replaced by `{#1}`, `{#2}`, … */
  stem: string;
  gaps: DraftClozeGap[];
  /** What is wrong with the gaps; empty when all are fine. */
  problems: ClozeProblem[];
}

type GapKind =
  | { kind: 'short-answer'; caseSensitive: boolean }
  | { kind: 'numerical' }
  | { kind: 'multiple-choice'; display: 'dropdown' | 'vertical' | 'horizontal'; shuffle: boolean }
  | { kind: 'multiple-response'; display: 'vertical' | 'horizontal'; shuffle: boolean };

/** Every type name Moodle's Cloze accepts, long and short. */
const TYPES: Record<string, GapKind> = {};
const define = (names: string[], kind: GapKind): void => names.forEach((n) => (TYPES[n] = kind));
define(['SHORTANSWER', 'SA', 'MW'], { kind: 'short-answer', caseSensitive: false });
define(['SHORTANSWER_C', 'SAC', 'MWC'], { kind: 'short-answer', caseSensitive: true });
define(['NUMERICAL', 'NM'], { kind: 'numerical' });
define(['MULTICHOICE', 'MC'], { kind: 'multiple-choice', display: 'dropdown', shuffle: false });
define(['MULTICHOICE_V', 'MCV'], { kind: 'multiple-choice', display: 'vertical', shuffle: false });
define(['MULTICHOICE_H', 'MCH'], { kind: 'multiple-choice', display: 'horizontal', shuffle: false });
define(['MULTICHOICE_S', 'MCS'], { kind: 'multiple-choice', display: 'dropdown', shuffle: true });
define(['MULTICHOICE_VS', 'MCVS'], { kind: 'multiple-choice', display: 'vertical', shuffle: true });
define(['MULTICHOICE_HS', 'MCHS'], { kind: 'multiple-choice', display: 'horizontal', shuffle: true });
define(['MULTIRESPONSE', 'MR'], { kind: 'multiple-response', display: 'vertical', shuffle: false });
define(['MULTIRESPONSE_H', 'MRH'], { kind: 'multiple-response', display: 'horizontal', shuffle: false });
define(['MULTIRESPONSE_S', 'MRS'], { kind: 'multiple-response', display: 'vertical', shuffle: true });
define(['MULTIRESPONSE_HS', 'MRHS'], { kind: 'multiple-response', display: 'horizontal', shuffle: true });

const GAP_START = /\{(\d*):([A-Z_]+):/g;
const NUMBER = /^-?(\d+[.,]?\d*|[.,]\d+)([eE][-+]?\d+)?$/;

interface Alternative {
  credit: number;
  answer: string;
  feedback?: string;
}

export function parseClozeText(text: string, format: TextFormat): ClozeText {
  const gaps: DraftClozeGap[] = [];
  const problems: ClozeProblem[] = [];
  let stem = '';
  let from = 0;
  GAP_START.lastIndex = 0;
  for (let m = GAP_START.exec(text); m; m = GAP_START.exec(text)) {
    const kind = TYPES[m[2] ?? ''];
    const close = kind ? closingBrace(text, GAP_START.lastIndex) : -1;
    if (!kind || close === -1) continue; // not Cloze syntax: text, as in Moodle
    const number = gaps.length + 1;
    const alternatives = splitAlternatives(text.slice(GAP_START.lastIndex, close));
    const weight = m[1] ? Number(m[1]) : 1;
    const gap = toGap(kind, weight > 0 ? weight : 1, alternatives, format, number, problems);
    gaps.push(gap);
    stem += `${text.slice(from, m.index)}{#${number}}`;
    from = close + 1;
    GAP_START.lastIndex = close + 1;
  }
  return { stem: stem + text.slice(from), gaps, problems };
}

/** The `}` that ends a gap: the first one not escaped by a backslash. */
function closingBrace(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '}') return i;
    else if (text[i] === '{') return -1;
  }
  return -1;
}

/**
 * Splits on unescaped `~`; in each, `#` (not escaped, and not the `&#` of an HTML entity) starts
 * the feedback.
 */
function splitAlternatives(body: string): Alternative[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (ch === '\\' && i + 1 < body.length) {
      current += ch + (body[i + 1] ?? '');
      i++;
    } else if (ch === '~') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.filter((p) => p.trim() !== '').map(readAlternative);
}

function readAlternative(raw: string): Alternative {
  let text = raw.trim();
  let credit = 0;
  const mark = /^(=|%(-?\d+(?:[.,]\d+)?)%)/.exec(text);
  if (mark) {
    credit = mark[1] === '=' ? 100 : Number((mark[2] ?? '0').replace(',', '.'));
    text = text.slice(mark[0].length);
  }
  const hash = feedbackStart(text);
  const answer = unescape(hash === -1 ? text : text.slice(0, hash)).trim();
  const feedback = hash === -1 ? undefined : unescape(text.slice(hash + 1)).trim();
  return { credit, answer, ...(feedback ? { feedback } : {}) };
}

function feedbackStart(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '#' && text[i - 1] !== '&') return i;
  }
  return -1;
}

function unescape(text: string): string {
  return text.replace(/\\([~}#\\])/g, '$1');
}

function toGap(kind: GapKind, weight: number, alternatives: Alternative[], format: TextFormat, n: number, problems: ClozeProblem[]): DraftClozeGap {
  const rich = (text: string): RichText => ({ text, format });
  const feedback = (a: Alternative): { feedback?: RichText } => (a.feedback ? { feedback: rich(a.feedback) } : {});
  switch (kind.kind) {
    case 'short-answer': {
      const answers: DraftShortAnswer[] = alternatives.map((a) => ({ text: a.answer, credit: a.credit, ...feedback(a) }));
      if (answers.length === 0) problems.push({ code: 'quiz.empty-answer', message: `gap ${n} (short answer) has no answers: write them after the type, e.g. {1:SHORTANSWER:=Paris}` });
      return { ...kind, weight, answers };
    }
    case 'numerical': {
      const answers: DraftNumericalAnswer[] = [];
      for (const a of alternatives) {
        if (a.answer === '*') {
          answers.push({ kind: 'any', credit: Math.max(0, a.credit), ...feedback(a) });
          continue;
        }
        const [value = '', tolerance = '0', extra] = a.answer.split(':');
        if (extra !== undefined || !NUMBER.test(value.trim()) || !NUMBER.test(tolerance.trim())) {
          problems.push({ code: 'quiz.invalid-number', message: `gap ${n} (numerical) has the answer '${a.answer}', which is not a number (or number:tolerance): write e.g. =3.14:0.01` });
          continue;
        }
        const number = (v: string): number => Number(v.trim().replace(',', '.'));
        answers.push({ kind: 'exact', value: number(value), tolerance: Math.abs(number(tolerance)), credit: Math.max(0, a.credit), ...feedback(a) });
      }
      if (alternatives.length === 0) problems.push({ code: 'quiz.empty-answer', message: `gap ${n} (numerical) has no answers: write them after the type, e.g. {1:NUMERICAL:=42}` });
      return { ...kind, weight, answers };
    }
    case 'multiple-choice':
    case 'multiple-response': {
      const choices: DraftChoice[] = alternatives.map((a) => ({ text: rich(a.answer), credit: a.credit, ...feedback(a) }));
      if (choices.length < 2) {
        const type = kind.kind === 'multiple-choice' ? 'MULTICHOICE' : 'MULTIRESPONSE';
        const count = `${choices.length} choice${choices.length === 1 ? '' : 's'}`;
        problems.push({ code: 'quiz.too-few-choices', message: `gap ${n} (${type}) has ${count}; it needs at least 2, separated by ~` });
      }
      return { ...kind, weight, choices };
    }
  }
}
