/**
 * GIFT (Moodle's "General Import Format Technology"). Each blank-line-separated question is
 * parsed on its own with `gift-pegjs`, so one bad question does not hide the others and every
 * error carries the line and column in the uploaded file.
 */
import {
  parse as parseGiftSyntax,
  type GIFTQuestion,
  type NumericalChoice,
  type NumericalFormat,
  type TextChoice,
  type TextFormat as GiftText,
} from 'gift-pegjs';
import type { Reason } from '../contract/errors.js';
import { normaliseCategory } from './category-path.js';
import type { DraftNumericalAnswer, DraftQuestion, DraftQuiz, Position, RichText } from './draft.js';
import { checkGiftBraces, splitGiftItems, type GiftBlock } from './gift-blocks.js';
import { escapeGiftLiterals, originalColumn, type GiftLiterals } from './gift-literals.js';
import { reason } from './reasons.js';

export interface GiftOptions {
  maxQuestions: number;
}

export function parseGift(text: string, options: GiftOptions): DraftQuiz {
  const items = splitGiftItems(text);
  const questionCount = items.filter((i) => i.kind === 'question').length;
  if (questionCount > options.maxQuestions) {
    return tooMany(questionCount, options.maxQuestions);
  }
  const draft: DraftQuiz = { questions: [], errors: [], warnings: [] };
  let category: string | undefined;
  let number = 0;
  for (const item of items) {
    if (item.kind === 'category') {
      category = normaliseCategory(item.path);
      continue;
    }
    number++;
    const parsed = parseBlock(item.block);
    if ('error' in parsed) {
      draft.errors.push(parsed.error);
      continue;
    }
    for (const question of parsed.questions) {
      if (question.type === 'Category') {
        category = normaliseCategory(question.title);
        continue;
      }
      draft.questions.push({ ...toDraft(question, item.block, category), number });
    }
  }
  return draft;
}

function tooMany(count: number, max: number): DraftQuiz {
  return {
    questions: [],
    errors: [
      reason(
        'quiz.too-many-questions',
        `The file has ${count} questions; the limit is ${max}. Split it into several quiz files.`,
      ),
    ],
    warnings: [],
  };
}

type BlockResult = { questions: GIFTQuestion[] } | { error: Reason };

function parseBlock(block: GiftBlock): BlockResult {
  const braces = checkGiftBraces(block);
  if (braces) return { error: braces };
  const literals = escapeGiftLiterals(block.text);
  try {
    return { questions: parseGiftSyntax(literals.text) };
  } catch (error) {
    const retry = moodleNumericalShorthand(literals.text);
    if (retry !== undefined) {
      try {
        return { questions: parseGiftSyntax(retry) };
      } catch {
        // Report the original error: it is about what the educator wrote.
      }
    }
    return { error: syntaxReason(error, block, literals) };
  }
}

/**
 * Moodle accepts `{#3:2 ~#wrong feedback}` (a first numeric answer without '='); the grammar
 * wants `{#=3:2 ~#…}`. Returns the rewritten text, or undefined when the shorthand is absent.
 */
function moodleNumericalShorthand(text: string): string | undefined {
  const rewritten = text.replace(/(\{\s*#)(\s*[-+]?\d[^}]*~)/, '$1=$2');
  return rewritten === text ? undefined : rewritten;
}

interface PegLocation {
  start: { line: number; column: number; offset: number };
}

function syntaxReason(error: unknown, block: GiftBlock, literals: GiftLiterals): Reason {
  const peg = error as { location?: PegLocation; found?: string | null; expected?: { type: string; text?: string }[] };
  const start = peg.location?.start;
  const firstLine = block.lines[0] ?? 1;
  if (!start) {
    return reason('quiz.syntax', `The GIFT question at line ${firstLine} could not be read: ${String((error as Error)?.message ?? error)}.`, {
      line: firstLine,
    });
  }
  const row = start.line - 1;
  const line = block.lines[row] ?? block.lines[block.lines.length - 1] ?? firstLine;
  const column = originalColumn(literals, row, start.column);
  const found = peg.found === null || peg.found === undefined ? 'end of the question' : `'${peg.found}'`;
  const literalsExpected = [...new Set((peg.expected ?? []).filter((e) => e.type === 'literal' && e.text).map((e) => `'${e.text}'`))];
  const expected = literalsExpected.length > 0 ? ` where GIFT expects ${literalsExpected.slice(0, 6).join(' or ')}` : '';
  const answer = literals.answerStart;
  const inAnswers = answer !== undefined && (row > answer.row || (row === answer.row && column - 1 > answer.column));
  const fix = inAnswers
    ? 'Check the answer block: options start with = (right) or ~ (wrong), feedback with #, matching pairs are "=item -> answer", and a literal = ~ # { } inside it needs a backslash.'
    : answer === undefined
      ? 'Check the question text: a literal { or } needs a backslash.'
      : `Check the question text before the answer block at line ${block.lines[answer.row] ?? firstLine}, column ${answer.column + 1}: a literal { or } needs a backslash.`;
  return reason(
    'quiz.syntax',
    `GIFT syntax error in the question at line ${firstLine}: unexpected ${found} at line ${line}, column ${column}${expected}. ${fix}`,
    { line, column },
  );
}

function toDraft(q: Exclude<GIFTQuestion, { type: 'Category' }>, block: GiftBlock, category: string | undefined): DraftQuestion {
  const position: Position = { line: block.lines[0] ?? 1, column: 1 };
  const id = block.id ?? q.id ?? undefined;
  const tags = block.tags.length > 0 ? block.tags : (q.tags ?? undefined);
  const common = {
    stem: rich(q.stem),
    position,
    ...(q.title ? { title: q.title } : {}),
    ...(id ? { explicitId: id } : {}),
    ...(tags && tags.length > 0 ? { tags } : {}),
    ...(category ? { category } : {}),
    ...('globalFeedback' in q && q.globalFeedback ? { feedback: { general: rich(q.globalFeedback) } } : {}),
  };
  switch (q.type) {
    case 'Description':
      return { ...common, type: 'description' };
    case 'Essay':
      return { ...common, type: 'essay' };
    case 'TF': {
      // Moodle: {TRUE#feedback for a wrong answer#feedback for a right answer}.
      const wrong = q.trueFeedback ? rich(q.trueFeedback) : undefined;
      const right = q.falseFeedback ? rich(q.falseFeedback) : undefined;
      const [onTrue, onFalse] = q.isTrue ? [right, wrong] : [wrong, right];
      return {
        ...common,
        type: 'true-false',
        correct: q.isTrue,
        ...(onTrue ? { trueFeedback: onTrue } : {}),
        ...(onFalse ? { falseFeedback: onFalse } : {}),
      };
    }
    case 'MC': {
      const single = q.choices.some((c) => c.isCorrect);
      const choices = q.choices.map((c) => ({
        text: rich(c.text),
        credit: c.weight ?? (c.isCorrect ? 100 : 0),
        ...(c.feedback ? { feedback: rich(c.feedback) } : {}),
      }));
      return single
        ? { ...common, type: 'multiple-choice', choices }
        : { ...common, type: 'multiple-response', choices, allOrNothing: false };
    }
    case 'Short':
      return {
        ...common,
        type: 'short-answer',
        caseSensitive: false,
        answers: q.choices.map((c: TextChoice) => ({
          text: c.text.text,
          credit: c.weight ?? 100,
          ...(c.feedback ? { feedback: rich(c.feedback) } : {}),
        })),
      };
    case 'Numerical':
      return { ...common, type: 'numerical', answers: numericalAnswers(q.choices) };
    case 'Matching': {
      const pairs = q.matchPairs.filter((p) => p.subquestion.text.trim() !== '');
      const distractors = q.matchPairs.filter((p) => p.subquestion.text.trim() === '').map((p) => decodeEscapes(p.subanswer));
      return {
        ...common,
        type: 'matching',
        pairs: pairs.map((p) => ({ prompt: rich(p.subquestion), answer: decodeEscapes(p.subanswer) })),
        distractors,
      };
    }
  }
}

function numericalAnswers(choices: NumericalChoice[] | NumericalFormat): DraftNumericalAnswer[] {
  if (!Array.isArray(choices)) return [{ ...numericValue(choices), credit: 100 }];
  return choices.map((c) => {
    const value = isNumericalFormat(c.text) ? numericValue(c.text) : { kind: 'any' as const };
    return {
      ...value,
      credit: c.weight ?? (c.isCorrect ? 100 : 0),
      ...(c.feedback ? { feedback: rich(c.feedback) } : {}),
    };
  });
}

function isNumericalFormat(value: NumericalFormat | GiftText): value is NumericalFormat {
  return 'type' in value;
}

type NumericValue =
  | { kind: 'exact'; value: number; tolerance: number }
  | { kind: 'range'; min: number; max: number };

function numericValue(n: NumericalFormat): NumericValue {
  switch (n.type) {
    case 'simple':
      return { kind: 'exact', value: n.number ?? Number.NaN, tolerance: 0 };
    case 'range':
      return { kind: 'exact', value: n.number ?? Number.NaN, tolerance: Math.abs(n.range ?? 0) };
    case 'high-low':
      return { kind: 'range', min: n.numberLow ?? Number.NaN, max: n.numberHigh ?? Number.NaN };
  }
}

/**
 * gift-pegjs leaves its escape placeholders (`&&058;` for `\:`) in a matching answer, the one
 * text it does not decode; Moodle reads them as the characters.
 */
function decodeEscapes(text: string): string {
  const characters: Record<string, string> = { '092': '\\', '058': ':', '035': '#', '061': '=', '123': '{', '125': '}', '126': '~' };
  return text.replace(/&&(092|058|035|061|123|125|126);/g, (_, code: string) => characters[code] ?? '').replace(/&&010/g, '\n');
}

function rich(text: GiftText): RichText {
  return { text: text.text, format: text.format };
}
