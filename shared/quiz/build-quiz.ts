/**
 * Drafts → the canonical quiz: render and sanitise every text, assign stable ids, check every
 * question can be answered, and validate the result against the schema.
 */
import { createHash } from 'node:crypto';
import type { Reason } from '../contract/errors.js';
import { checkQuestion } from './check-question.js';
import { checkQuestionTex } from './check-tex.js';
import type { QuizFormat } from './detect-format.js';
import type { DraftChoice, DraftClozeGap, DraftFeedback, DraftNumericalAnswer, DraftQuestion, DraftQuiz, DraftShortAnswer, Position, RichText } from './draft.js';
import {
  QUIZ_MODEL_VERSION,
  QuizSchema,
  type Choice,
  type ClozeGap,
  type NumericalAnswer,
  type Question,
  type QuestionFeedback,
  type Quiz,
  type ShortAnswer,
} from './model.js';
import { excerpt, questionLabel, reason } from './reasons.js';
import { markdownTooDeep, MAX_TEXT_NESTING, renderRichText } from './render-text.js';
import { htmlNestingDepth, sanitizeQuizHtml, sanitizeQuizText, type HtmlPolicy } from './sanitize-html.js';

export interface BuildOptions extends HtmlPolicy {
  format: QuizFormat;
  /**
   * Files uploaded next to the quiz (paths relative to its folder). When given, every relative
   * image the quiz refers to must be among them, or a `quiz.missing-asset` warning says so.
   */
  knownAssets?: readonly string[];
  /** The uploaded text: TeX problems are placed at their line and column in it. */
  source?: string;
}

export interface BuiltQuiz {
  quiz: Quiz;
  /** Relative image sources the quiz shows, as written (before `imageSources` rewrote them). */
  images: string[];
  errors: Reason[];
  warnings: Reason[];
}

export function buildQuiz(draft: DraftQuiz, options: BuildOptions): BuiltQuiz {
  const errors = [...draft.errors];
  const warnings = [...draft.warnings];
  const questions: Question[] = [];
  const explicitIds = new Map<string, number>();
  // Derived ids step around every id the file gives explicitly, wherever it appears.
  const usedIds = new Set<string>(draft.questions.map((d) => explicitIdOf(d)).filter((id) => id !== ''));

  const known = options.knownAssets ? new Set(options.knownAssets.map((a) => a.replace(/^\.\//, ''))) : undefined;
  const images = new Set<string>();

  draft.questions.forEach((d, index) => {
    const ordinal = (d.number ?? index + 1) - 1;
    const answers = answerCount(d);
    if (answers > MAX_ANSWERS) {
      const label = questionLabel(ordinal, d.title ?? excerpt(d.stem.text), d.position);
      errors.push(reason('quiz.too-many-answers', `${label} has ${answers} answers; a question may have at most ${MAX_ANSWERS}. Split it up.`, d.position));
      return;
    }
    const cleaner = new Cleaner(options);
    const question = toCanonical(d, cleaner);
    const label = questionLabel(ordinal, question.title ?? excerpt(question.stem), d.position);
    question.id = assignId(d, question, label, usedIds, explicitIds, errors);
    if (cleaner.tooDeep) {
      errors.push(reason('quiz.too-deep', `${label} nests HTML or Markdown more than ${MAX_TEXT_NESTING} levels deep: simplify its formatting.`, d.position));
    } else {
      errors.push(...checkQuestion(question, ordinal, options.format));
    }
    errors.push(...duplicateChoiceIds(question, label));
    warnings.push(...cleaningWarnings(cleaner, known, label, d.position));
    cleaner.assets.forEach((a) => images.add(a));
    if (options.source !== undefined) warnings.push(...checkQuestionTex(question, label, options.source));
    questions.push(ordered(question));
  });

  const title = draft.title === undefined ? '' : sanitizeQuizText(draft.title).text.trim();
  const quiz: Quiz = { version: QUIZ_MODEL_VERSION, ...(title ? { title } : {}), questions };
  if (errors.length === 0) {
    const parsed = QuizSchema.safeParse(quiz);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const index = typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
        const at = index === undefined ? undefined : draft.questions[index]?.position;
        const where = index === undefined ? '' : `Question ${index + 1}: `;
        errors.push(reason('quiz.schema', `${where}${issue.path.slice(2).join('.') || 'quiz'}: ${issue.message}.`, at));
      }
    }
  }
  return { quiz, images: [...images], errors, warnings };
}

/** What the educator should hear about the cleaning of one question's texts. */
function cleaningWarnings(cleaner: Cleaner, known: Set<string> | undefined, label: string, at: Position): Reason[] {
  const warnings: Reason[] = [];
  if (cleaner.removed.size > 0) {
    const list = [...cleaner.removed];
    const shown = list.slice(0, 6).join(', ') + (list.length > 6 ? `, and ${list.length - 6} more` : '');
    warnings.push(
      reason('quiz.html-sanitised', `${label}: removed unsafe or unsupported HTML (${shown}). Check that the question still reads as intended.`, at),
    );
  }
  for (const asset of known ? cleaner.assets : []) {
    if (known?.has(asset)) continue;
    warnings.push(
      reason(
        'quiz.missing-asset',
        asset.includes('/')
          ? `${label} shows the image '${asset}', which is in a folder: lesson folders hold no subfolders, so upload it next to the quiz file as '${asset.split('/').pop() ?? asset}' and refer to it by that name, or the learner will see a broken image.`
          : `${label} shows the image '${asset}', which was not uploaded with the quiz: upload it next to the quiz file or the learner will see a broken image.`,
        at,
      ),
    );
  }
  return warnings;
}

/** More answers than any real question has; the cap keeps rendering time bounded. */
export const MAX_ANSWERS = 200;

function answerCount(d: DraftQuestion): number {
  switch (d.type) {
    case 'multiple-choice':
    case 'multiple-response':
      return d.choices.length;
    case 'short-answer':
    case 'numerical':
      return d.answers.length;
    case 'matching':
      return d.pairs.length + d.distractors.length;
    case 'cloze':
      return d.gaps.reduce((sum, g) => sum + (g.kind === 'short-answer' || g.kind === 'numerical' ? g.answers.length : g.choices.length), 0);
    case 'drag-drop-text':
    case 'select-missing-words':
      return d.choices.length;
    default:
      return 0;
  }
}

/** Renders and sanitises the texts of one question, remembering what it removed. */
class Cleaner {
  readonly removed = new Set<string>();
  readonly assets = new Set<string>();
  /** Set when a text nests too deeply to be rendered safely (the question is then an error). */
  tooDeep = false;
  constructor(private readonly policy: HtmlPolicy) {}

  html(rich: RichText): string {
    const markup = rich.format !== 'plain';
    if ((rich.format === 'markdown' && markdownTooDeep(rich.text)) || (markup && htmlNestingDepth(rich.text) > MAX_TEXT_NESTING)) {
      this.tooDeep = true;
      return '';
    }
    const result = sanitizeQuizHtml(renderRichText(rich), this.policy);
    result.removed.forEach((r) => this.removed.add(r));
    result.assets.forEach((a) => this.assets.add(a));
    return result.html.trim();
  }

  optionalHtml(rich: RichText | undefined): string | undefined {
    if (rich === undefined) return undefined;
    const html = this.html(rich);
    return html === '' ? undefined : html;
  }

  text(value: string): string {
    const result = sanitizeQuizText(value);
    result.removed.forEach((r) => this.removed.add(r));
    return result.text;
  }

  feedback(draft: DraftFeedback | undefined): QuestionFeedback {
    const out: QuestionFeedback = {};
    for (const key of ['general', 'correct', 'partiallyCorrect', 'incorrect'] as const) {
      const html = this.optionalHtml(draft?.[key]);
      if (html !== undefined) out[key] = html;
    }
    return out;
  }

  shortAnswers(answers: DraftShortAnswer[]): ShortAnswer[] {
    return answers.map((a) => ({
      text: this.text(a.text),
      credit: Math.max(0, clampCredit(a.credit)),
      ...optional('feedback', this.optionalHtml(a.feedback)),
    }));
  }

  numericalAnswers(answers: DraftNumericalAnswer[]): NumericalAnswer[] {
    return answers.map((a) => ({ ...a, credit: Math.max(0, clampCredit(a.credit)), feedback: this.optionalHtml(a.feedback) })).map(dropUndefinedFeedback);
  }

  gap(g: DraftClozeGap): ClozeGap {
    switch (g.kind) {
      case 'short-answer':
        return { ...g, answers: this.shortAnswers(g.answers) };
      case 'numerical':
        return { ...g, answers: this.numericalAnswers(g.answers) };
      case 'multiple-choice':
      case 'multiple-response':
        return { ...g, choices: this.choices(g.choices) };
    }
  }

  choices(choices: DraftChoice[]): Choice[] {
    return choices.map((c, i) => {
      const choice: Choice = { id: c.id ?? letterId(i), text: this.html(c.text), credit: clampCredit(c.credit) };
      const feedback = this.optionalHtml(c.feedback);
      if (feedback !== undefined) choice.feedback = feedback;
      return choice;
    });
  }
}

function toCanonical(d: DraftQuestion, clean: Cleaner): Question {
  const base = {
    id: '',
    stem: clean.html(d.stem),
    stemFormat: d.stem.format,
    feedback: clean.feedback(d.feedback),
    source: d.position.column === undefined ? { line: d.position.line } : { line: d.position.line, column: d.position.column },
    ...optional('title', d.title === undefined ? undefined : clean.text(d.title) || undefined),
    ...optional('category', d.category === undefined ? undefined : clean.text(d.category) || undefined),
    ...optional('tags', d.tags?.map((t) => clean.text(t)).filter((t) => t !== '')),
    ...optional('points', d.points),
    ...optional('penalty', d.penalty),
  };
  switch (d.type) {
    case 'multiple-choice':
      return { ...base, type: d.type, choices: clean.choices(d.choices), ...optional('shuffle', d.shuffle), ...optional('numbering', d.numbering) };
    case 'multiple-response':
      return {
        ...base,
        type: d.type,
        choices: clean.choices(d.choices),
        allOrNothing: d.allOrNothing,
        ...optional('shuffle', d.shuffle),
        ...optional('numbering', d.numbering),
      };
    case 'true-false':
      return {
        ...base,
        type: d.type,
        correct: d.correct,
        ...optional('trueFeedback', clean.optionalHtml(d.trueFeedback)),
        ...optional('falseFeedback', clean.optionalHtml(d.falseFeedback)),
      };
    case 'short-answer':
      return { ...base, type: d.type, caseSensitive: d.caseSensitive, answers: clean.shortAnswers(d.answers) };
    case 'numerical':
      return { ...base, type: d.type, answers: clean.numericalAnswers(d.answers) };
    case 'matching':
      return {
        ...base,
        type: d.type,
        pairs: d.pairs.map((p) => ({ prompt: clean.html(p.prompt), answer: clean.text(p.answer) })),
        distractors: d.distractors.map((t) => clean.text(t)).filter((t) => t !== ''),
        ...optional('shuffle', d.shuffle),
      };
    case 'essay':
      return {
        ...base,
        type: d.type,
        ...optional('responseTemplate', clean.optionalHtml(d.responseTemplate)),
        ...optional('graderInfo', clean.optionalHtml(d.graderInfo)),
        ...optional('response', d.response),
      };
    case 'cloze':
      return { ...base, type: d.type, gaps: d.gaps.map((g) => clean.gap(g)) };
    case 'drag-drop-text':
    case 'select-missing-words':
      return {
        ...base,
        type: d.type,
        choices: d.choices.map((c) => ({ ...c, text: clean.text(c.text) })),
        ...optional('shuffle', d.shuffle),
      };
    case 'description':
      return { ...base, type: d.type };
  }
}

function assignId(
  d: DraftQuestion,
  q: Question,
  label: string,
  used: Set<string>,
  explicit: Map<string, number>,
  errors: Reason[],
): string {
  const given = explicitIdOf(d);
  if (given.length > 200) {
    errors.push(reason('quiz.invalid-id', `${label} has an id longer than 200 characters: shorten it.`, d.position));
  } else if (given !== '') {
    const first = explicit.get(given);
    if (first !== undefined) {
      errors.push(
        reason(
          'quiz.duplicate-id',
          `${label} has the id '${excerpt(given, 60)}', already used by the question at line ${first}: every question needs its own id.`,
          d.position,
        ),
      );
    }
    if (first === undefined) explicit.set(given, d.position.line);
    return given;
  }
  const hash = createHash('sha256')
    .update([q.type, q.category ?? '', q.title ?? '', q.stem].join('\u0000'))
    .digest('hex')
    .slice(0, 12);
  let id = `q-${hash}`;
  for (let n = 2; used.has(id); n++) id = `q-${hash}-${n}`;
  used.add(id);
  return id;
}

function explicitIdOf(d: DraftQuestion): string {
  return d.explicitId === undefined ? '' : sanitizeQuizText(d.explicitId).text.trim();
}

function duplicateChoiceIds(q: Question, label: string): Reason[] {
  if (q.type !== 'multiple-choice' && q.type !== 'multiple-response') return [];
  const seen = new Set<string>();
  const errors: Reason[] = [];
  for (const choice of q.choices) {
    if (seen.has(choice.id)) {
      errors.push(reason('quiz.duplicate-id', `${label} has two options with the id '${choice.id}': give each option its own id.`, q.source));
    }
    seen.add(choice.id);
  }
  return errors;
}

/** id, type and title first: the order a person reading the JSON wants. */
function ordered(q: Question): Question {
  const head: Record<string, unknown> = { id: q.id, type: q.type };
  if (q.title !== undefined) head['title'] = q.title;
  return Object.assign(head, q) as Question;
}

/** a, b, …, z, aa, ab, … */
export function letterId(index: number): string {
  let n = index;
  let id = '';
  do {
    id = String.fromCharCode(97 + (n % 26)) + id;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return id;
}

function clampCredit(credit: number): number {
  return Number.isFinite(credit) ? Math.max(-100, Math.min(100, credit)) : credit;
}

function dropUndefinedFeedback<T extends { feedback?: string | undefined }>(answer: T): T {
  if (answer.feedback === undefined) delete answer.feedback;
  return answer;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
