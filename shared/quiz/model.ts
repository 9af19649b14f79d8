/**
 * The canonical quiz model: what every supported quiz format is normalised to, and what an LMS
 * needs to render and score a quiz. Rich-text fields hold sanitised HTML (safe to insert as
 * markup); fields documented as plain text must be rendered as text (escaped), never as markup.
 */
import * as z from '../zod.js';

/** `schema` with a description (zod/mini's `.describe()`): shown in docs/quiz.schema.json. */
function d<T extends z.ZodMiniType>(schema: T, description: string): T {
  return schema.check(z.describe(description));
}

export const QUIZ_MODEL_VERSION = 1;

export const TextFormatSchema = d(z.enum(['html', 'markdown', 'plain', 'moodle']), 'The format the text was authored in (the canonical text is always sanitised HTML).');
export type TextFormat = z.infer<typeof TextFormatSchema>;

const Html = d(z.string(), 'Sanitised HTML: safe to insert as markup.');
const PlainText = d(z.string(), 'Plain text: render escaped, never as markup.');
const Credit = d(z.number().check(z.gte(-100), z.lte(100)), "Percent of the question's points awarded for this answer (negative = penalty).");
const opt = z.optional;

export const SourcePositionSchema = d(
  z.strictObject({
    line: d(z.int().check(z.gte(1)), '1-based line of the question in the uploaded file.'),
    column: d(opt(z.int().check(z.gte(1))), '1-based column in the uploaded file.'),
  }),
  'Where the question starts in the uploaded file.',
);
export type SourcePosition = z.infer<typeof SourcePositionSchema>;

export const QuestionFeedbackSchema = d(
  z.strictObject({
    general: d(opt(Html), 'Sanitised HTML shown to every learner after answering.'),
    correct: d(opt(Html), 'Sanitised HTML shown after a fully correct response.'),
    partiallyCorrect: d(opt(Html), 'Sanitised HTML shown after a partially correct response.'),
    incorrect: d(opt(Html), 'Sanitised HTML shown after an incorrect response.'),
  }),
  'Question-level feedback.',
);
export type QuestionFeedback = z.infer<typeof QuestionFeedbackSchema>;

const questionBase = {
  id: d(
    z.string().check(z.minLength(1), z.maxLength(200)),
    'Stable id: the id given in the source (GIFT [id:], Moodle idnumber, QTI identifier, native id) or derived from the content.',
  ),
  title: d(opt(PlainText), 'Short name of the question, plain text (GIFT ::title::, Moodle <name>, QTI title).'),
  stem: d(Html, 'The question text, as sanitised HTML.'),
  stemFormat: TextFormatSchema,
  feedback: QuestionFeedbackSchema,
  category: d(opt(PlainText), 'Category path, plain text, e.g. "Biology/Cells".'),
  tags: opt(z.array(PlainText)),
  points: d(opt(z.number().check(z.positive())), 'Maximum points (default grade); the LMS default applies when absent.'),
  source: SourcePositionSchema,
};

export const ChoiceSchema = z.strictObject({
  id: d(z.string().check(z.minLength(1)), 'Stable within the question (a, b, c… or the source identifier).'),
  text: Html,
  credit: Credit,
  feedback: d(opt(Html), 'Sanitised HTML shown when the learner picks this choice.'),
});
export type Choice = z.infer<typeof ChoiceSchema>;

export const MultipleChoiceQuestionSchema = d(
  z.strictObject({
    ...questionBase,
    type: z.literal('multiple-choice'),
    choices: z.array(ChoiceSchema).check(z.minLength(2)),
    shuffle: opt(z.boolean()),
  }),
  'Pick exactly one choice; at least one choice has credit 100.',
);

export const MultipleResponseQuestionSchema = d(
  z.strictObject({
    ...questionBase,
    type: z.literal('multiple-response'),
    choices: z.array(ChoiceSchema).check(z.minLength(2)),
    allOrNothing: d(
      z.boolean(),
      'true: full points only for exactly the positive-credit set, else 0; false: add up the credits of the picked choices (capped to 0..100).',
    ),
    shuffle: opt(z.boolean()),
  }),
  'Pick any number of choices; the positive credits add up to 100.',
);

export const TrueFalseQuestionSchema = d(
  z.strictObject({
    ...questionBase,
    type: z.literal('true-false'),
    correct: d(z.boolean(), 'The right answer.'),
    trueFeedback: d(opt(Html), 'Sanitised HTML shown when the learner answers "true".'),
    falseFeedback: d(opt(Html), 'Sanitised HTML shown when the learner answers "false".'),
  }),
  'A statement the learner marks true or false.',
);

export const ShortAnswerSchema = z.strictObject({
  text: d(PlainText.check(z.minLength(1)), 'Accepted response, plain text; "*" matches any run of characters (Moodle wildcard).'),
  credit: z.number().check(z.gte(0), z.lte(100)),
  feedback: opt(Html),
});
export type ShortAnswer = z.infer<typeof ShortAnswerSchema>;

export const ShortAnswerQuestionSchema = d(
  z.strictObject({
    ...questionBase,
    type: z.literal('short-answer'),
    answers: z.array(ShortAnswerSchema).check(z.minLength(1)),
    caseSensitive: z.boolean(),
  }),
  'The learner types a word or phrase; at least one answer has credit 100.',
);

const numericalCommon = { credit: z.number().check(z.gte(0), z.lte(100)), feedback: opt(Html) };
export const NumericalAnswerSchema = z.discriminatedUnion('kind', [
  d(z.strictObject({ kind: z.literal('exact'), value: z.number(), tolerance: z.number().check(z.gte(0)), ...numericalCommon }), 'Accepts value ± tolerance.'),
  d(z.strictObject({ kind: z.literal('range'), min: z.number(), max: z.number(), ...numericalCommon }), 'Accepts min ≤ x ≤ max.'),
  d(z.strictObject({ kind: z.literal('any'), ...numericalCommon }), 'Matches any number (catch-all feedback).'),
]);
export type NumericalAnswer = z.infer<typeof NumericalAnswerSchema>;

export const NumericalQuestionSchema = d(
  z.strictObject({
    ...questionBase,
    type: z.literal('numerical'),
    answers: z.array(NumericalAnswerSchema).check(z.minLength(1)),
  }),
  'The learner types a number; the first matching answer decides the credit.',
);

export const MatchingPairSchema = z.strictObject({
  prompt: d(Html, 'The item to match, as sanitised HTML.'),
  answer: d(PlainText.check(z.minLength(1)), 'The answer it matches, plain text.'),
});
export type MatchingPair = z.infer<typeof MatchingPairSchema>;

export const MatchingQuestionSchema = d(
  z.strictObject({
    ...questionBase,
    type: z.literal('matching'),
    pairs: z.array(MatchingPairSchema).check(z.minLength(2)),
    distractors: d(z.array(PlainText), 'Extra wrong answers (plain text) offered alongside the pair answers.'),
    shuffle: opt(z.boolean()),
  }),
  'Match every prompt to its answer; each pair is worth an equal share.',
);

export const EssayQuestionSchema = d(
  z.strictObject({
    ...questionBase,
    type: z.literal('essay'),
    responseTemplate: opt(Html),
    graderInfo: d(opt(Html), 'Sanitised HTML for graders, not shown to learners.'),
  }),
  'Free-text response, graded by hand.',
);

export const DescriptionSchema = d(z.strictObject({ ...questionBase, type: z.literal('description') }), 'Text shown between questions; not answered, not scored.');

export const QuestionSchema = z.discriminatedUnion('type', [
  MultipleChoiceQuestionSchema,
  MultipleResponseQuestionSchema,
  TrueFalseQuestionSchema,
  ShortAnswerQuestionSchema,
  NumericalQuestionSchema,
  MatchingQuestionSchema,
  EssayQuestionSchema,
  DescriptionSchema,
]);
export type Question = z.infer<typeof QuestionSchema>;
export type QuestionType = Question['type'];
export type QuestionOf<T extends QuestionType> = Extract<Question, { type: T }>;

export const QUESTION_TYPES = [
  'multiple-choice',
  'multiple-response',
  'true-false',
  'short-answer',
  'numerical',
  'matching',
  'essay',
  'description',
] as const satisfies readonly QuestionType[];

export const QuizSchema = d(
  z.strictObject({
    version: z.literal(QUIZ_MODEL_VERSION),
    title: opt(PlainText),
    questions: z.array(QuestionSchema),
  }),
  'lectern canonical quiz',
);
export type Quiz = z.infer<typeof QuizSchema>;

/** The JSON Schema of the canonical model, as committed in `docs/quiz.schema.json`. */
export function quizJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(QuizSchema, { target: 'draft-2020-12' }),
    title: 'lectern canonical quiz',
  };
}
