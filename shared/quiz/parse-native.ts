/**
 * The native format, `.quiz.yaml` or `.quiz.json`: parsed with `yaml` (JSON files must also be
 * strict JSON), validated with the zod schema in `native-schema.ts`, and every schema problem
 * mapped back to the line and column where the offending value (or key) was written.
 */
import type * as z from '../util/zod.js';
import type { Reason } from '../contract/errors.js';
import type { YamlDocument } from '../yaml/read-yaml.js';
import type { DraftChoice, DraftFeedback, DraftNumericalAnswer, DraftQuestion, DraftQuiz, Position, RichText } from './draft.js';
import { findJsonSyntaxError, maxBracketDepth } from './json-syntax.js';
import type { TextFormat } from './model.js';
import { NativeQuizSchema, type NativeQuestion, type NativeQuiz } from './native-schema.js';
import { reason } from './reasons.js';
import { LineIndex } from './text-position.js';
import { MAX_NESTING, readQuizYaml } from './yaml-reasons.js';

export interface NativeOptions {
  json: boolean;
  maxQuestions: number;
}

export function parseNative(text: string, options: NativeOptions): DraftQuiz {
  const what = options.json ? 'JSON quiz' : 'YAML quiz';
  const fail = (errors: Reason[]): DraftQuiz => ({ questions: [], errors, warnings: [] });
  if (options.json) {
    const depth = maxBracketDepth(text);
    if (depth.depth > MAX_NESTING) {
      const at = new LineIndex(text).at(depth.offset);
      return fail([reason('quiz.too-deep', `The JSON quiz nests more than ${MAX_NESTING} levels deep (at line ${at.line}): flatten the structure.`, at)]);
    }
    const syntax = findJsonSyntaxError(text);
    if (syntax) {
      const at = new LineIndex(text).at(syntax.offset);
      return fail([reason('quiz.syntax', `JSON syntax error at line ${at.line}, column ${at.column}: ${syntax.message}.`, at)]);
    }
  }
  // Cheap count before the parse: every question has a `type` key, and nothing else has one.
  const typeKeys = text.match(/(^|[\s{,])["']?type["']?[ \t]*:/gm)?.length ?? 0;
  if (typeKeys > options.maxQuestions * 2) {
    return fail([reason('quiz.too-many-questions', `The file has about ${typeKeys} questions; the limit is ${options.maxQuestions}. Split it into several quiz files.`)]);
  }
  const source = readQuizYaml(text, what);
  if (!source.ok) return fail(source.errors);
  const value = source.value;
  const count = isRecord(value) && Array.isArray(value['questions']) ? value['questions'].length : 0;
  if (count > options.maxQuestions) {
    return fail([
      reason('quiz.too-many-questions', `The file has ${count} questions; the limit is ${options.maxQuestions}. Split it into several quiz files.`, source.locate(['questions'])),
    ]);
  }
  const parsed = NativeQuizSchema.safeParse(value);
  if (!parsed.success) return fail(parsed.error.issues.map((issue) => issueReason(issue, source, options.json)));
  return toDraft(parsed.data, (i) => source.locate(['questions', i]));
}

function issueReason(issue: z.core.$ZodIssue, source: YamlDocument, json: boolean): Reason {
  const path = issue.path;
  let at = source.locate(path);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    at = source.locate([...path, key], 'key');
    message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}: check the spelling, or remove ${issue.keys.length > 1 ? 'them' : 'it'}`;
  } else if (issue.code === 'invalid_union' && path[path.length - 1] === 'type') {
    message = 'unknown question type: use multiple-choice, multiple-response, true-false, short-answer, numerical, matching, essay or description';
  } else if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    at = source.locate([...path, 'type'], 'key');
    message = "'type' must be one of multiple-choice, multiple-response, true-false, short-answer, numerical, matching, essay, description";
  } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    message = `'${String(path[path.length - 1])}' is required`;
  }
  const where = describePath(path, json);
  return reason('quiz.schema', `${where ? `${where}: ` : ''}${message} (line ${at.line}).`, at);
}

function describePath(path: readonly PropertyKey[], json: boolean): string {
  if (path.length === 0) return '';
  const [first, index, ...rest] = path;
  if (first === 'questions' && typeof index === 'number') {
    const tail = rest.map((p) => (typeof p === 'number' ? `[${p + 1}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return `Question ${index + 1}${tail ? ` ${json ? `"${tail}"` : tail}` : ''}`;
  }
  return path.map((p) => (typeof p === 'number' ? `[${p + 1}]` : String(p))).join('.');
}

function toDraft(quiz: NativeQuiz, locate: (index: number) => Position): DraftQuiz {
  const draft: DraftQuiz = { questions: [], errors: [], warnings: [] };
  if (quiz.title !== undefined) draft.title = quiz.title;
  quiz.questions.forEach((q, i) => draft.questions.push(toQuestion(q, quiz.format ?? 'html', locate(i))));
  return draft;
}

function toQuestion(q: NativeQuestion, quizFormat: TextFormat, position: Position): DraftQuestion {
  const format = q.format ?? quizFormat;
  const rich = (text: string): RichText => ({ text, format });
  const maybe = (text: string | undefined): RichText | undefined => (text === undefined ? undefined : rich(text));
  const common = {
    stem: rich(q.stem),
    position,
    feedback: feedbackOf(q.feedback, rich),
    ...(q.id !== undefined ? { explicitId: String(q.id) } : {}),
    ...(q.title !== undefined ? { title: q.title } : {}),
    ...(q.category !== undefined ? { category: q.category } : {}),
    ...(q.tags !== undefined ? { tags: q.tags } : {}),
    ...(q.points !== undefined ? { points: q.points } : {}),
  };
  switch (q.type) {
    case 'multiple-choice':
      return { ...common, type: q.type, choices: choicesOf(q.choices, rich, false).choices, ...(q.shuffle === undefined ? {} : { shuffle: q.shuffle }) };
    case 'multiple-response': {
      const { choices, explicitCredit } = choicesOf(q.choices, rich, true);
      // Without explicit credits, the exact set of right choices earns the points.
      const allOrNothing = q.allOrNothing ?? !explicitCredit;
      return { ...common, type: q.type, choices, allOrNothing, ...(q.shuffle === undefined ? {} : { shuffle: q.shuffle }) };
    }
    case 'true-false':
      return {
        ...common,
        type: q.type,
        correct: q.correct,
        ...(q.trueFeedback !== undefined ? { trueFeedback: rich(q.trueFeedback) } : {}),
        ...(q.falseFeedback !== undefined ? { falseFeedback: rich(q.falseFeedback) } : {}),
      };
    case 'short-answer':
      return {
        ...common,
        type: q.type,
        caseSensitive: q.caseSensitive ?? false,
        answers: q.answers.map((a) =>
          typeof a === 'string' ? { text: a, credit: 100 } : { text: a.text, credit: a.credit ?? 100, ...(a.feedback !== undefined ? { feedback: rich(a.feedback) } : {}) },
        ),
      };
    case 'numerical':
      return { ...common, type: q.type, answers: q.answers.map((a) => numericalOf(a, maybe)) };
    case 'matching':
      return {
        ...common,
        type: q.type,
        pairs: q.pairs.map((p) => ({ prompt: rich(p.prompt), answer: p.answer })),
        distractors: q.distractors ?? [],
        ...(q.shuffle === undefined ? {} : { shuffle: q.shuffle }),
      };
    case 'essay':
      return {
        ...common,
        type: q.type,
        ...(q.responseTemplate !== undefined ? { responseTemplate: rich(q.responseTemplate) } : {}),
        ...(q.graderInfo !== undefined ? { graderInfo: rich(q.graderInfo) } : {}),
      };
    case 'description':
      return { ...common, type: q.type };
  }
}

type NativeChoices = Extract<NativeQuestion, { type: 'multiple-choice' }>['choices'];

function choicesOf(choices: NativeChoices, rich: (t: string) => RichText, multiple: boolean): { choices: DraftChoice[]; explicitCredit: boolean } {
  const explicitCredit = choices.some((c) => typeof c !== 'string' && c.credit !== undefined);
  const rightCount = choices.filter((c) => typeof c !== 'string' && c.correct === true).length;
  const share = multiple && rightCount > 0 ? 100 / rightCount : 100;
  const wrong = multiple && !explicitCredit ? -100 : 0;
  return {
    explicitCredit,
    choices: choices.map((c) => {
      if (typeof c === 'string') return { text: rich(c), credit: wrong };
      const credit = c.credit ?? (c.correct ? share : wrong);
      return {
        text: rich(c.text),
        credit,
        ...(c.id !== undefined ? { id: c.id } : {}),
        ...(c.feedback !== undefined ? { feedback: rich(c.feedback) } : {}),
      };
    }),
  };
}

type NativeNumerical = Extract<NativeQuestion, { type: 'numerical' }>['answers'][number];

function numericalOf(a: NativeNumerical, maybe: (t: string | undefined) => RichText | undefined): DraftNumericalAnswer {
  if (typeof a === 'number') return { kind: 'exact', value: a, tolerance: 0, credit: 100 };
  const feedback = maybe(a.feedback);
  const extra = { credit: a.credit ?? 100, ...(feedback ? { feedback } : {}) };
  if ('value' in a) return { kind: 'exact', value: a.value, tolerance: a.tolerance ?? 0, ...extra };
  if ('min' in a) return { kind: 'range', min: a.min, max: a.max, ...extra };
  return { kind: 'any', ...extra, credit: a.credit ?? 0 };
}

function feedbackOf(feedback: NativeQuestion['feedback'], rich: (t: string) => RichText): DraftFeedback {
  if (feedback === undefined) return {};
  if (typeof feedback === 'string') return { general: rich(feedback) };
  const out: DraftFeedback = {};
  for (const key of ['general', 'correct', 'partiallyCorrect', 'incorrect'] as const) {
    const text = feedback[key];
    if (text !== undefined) out[key] = rich(text);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
