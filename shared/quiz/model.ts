/**
 * The canonical quiz model: what every supported quiz format is normalised to, and what an LMS
 * needs to render and score a quiz. Rich-text fields hold sanitised HTML (safe to insert as
 * markup); fields documented as plain text must be rendered as text (escaped), never as markup.
 */
import { z } from 'zod';

export const QUIZ_MODEL_VERSION = 1;

export const TextFormatSchema = z
  .enum(['html', 'markdown', 'plain', 'moodle'])
  .describe('The format the text was authored in (the canonical text is always sanitised HTML).');
export type TextFormat = z.infer<typeof TextFormatSchema>;

const Html = z.string().describe('Sanitised HTML: safe to insert as markup.');
const PlainText = z.string().describe('Plain text: render escaped, never as markup.');
const Credit = z
  .number()
  .min(-100)
  .max(100)
  .describe("Percent of the question's points awarded for this answer (negative = penalty).");

export const SourcePositionSchema = z
  .strictObject({
    line: z.int().min(1).describe('1-based line of the question in the uploaded file.'),
    column: z.int().min(1).optional().describe('1-based column in the uploaded file.'),
  })
  .describe('Where the question starts in the uploaded file.');
export type SourcePosition = z.infer<typeof SourcePositionSchema>;

export const QuestionFeedbackSchema = z
  .strictObject({
    general: Html.optional().describe('Sanitised HTML shown to every learner after answering.'),
    correct: Html.optional().describe('Sanitised HTML shown after a fully correct response.'),
    partiallyCorrect: Html.optional().describe('Sanitised HTML shown after a partially correct response.'),
    incorrect: Html.optional().describe('Sanitised HTML shown after an incorrect response.'),
  })
  .describe('Question-level feedback.');
export type QuestionFeedback = z.infer<typeof QuestionFeedbackSchema>;

const questionBase = {
  id: z
    .string()
    .min(1)
    .max(200)
    .describe('Stable id: the id given in the source (GIFT [id:], Moodle idnumber, QTI identifier, native id) or derived from the content.'),
  title: PlainText.optional().describe('Short name of the question, plain text (GIFT ::title::, Moodle <name>, QTI title).'),
  stem: Html.describe('The question text, as sanitised HTML.'),
  stemFormat: TextFormatSchema,
  feedback: QuestionFeedbackSchema,
  category: PlainText.optional().describe('Category path, plain text, e.g. "Biology/Cells".'),
  tags: z.array(PlainText).optional(),
  points: z.number().positive().optional().describe('Maximum points (default grade); the LMS default applies when absent.'),
  source: SourcePositionSchema,
};

export const ChoiceSchema = z.strictObject({
  id: z.string().min(1).describe('Stable within the question (a, b, c… or the source identifier).'),
  text: Html,
  credit: Credit,
  feedback: Html.optional().describe('Sanitised HTML shown when the learner picks this choice.'),
});
export type Choice = z.infer<typeof ChoiceSchema>;

export const MultipleChoiceQuestionSchema = z
  .strictObject({
    ...questionBase,
    type: z.literal('multiple-choice'),
    choices: z.array(ChoiceSchema).min(2),
    shuffle: z.boolean().optional(),
  })
  .describe('Pick exactly one choice; at least one choice has credit 100.');

export const MultipleResponseQuestionSchema = z
  .strictObject({
    ...questionBase,
    type: z.literal('multiple-response'),
    choices: z.array(ChoiceSchema).min(2),
    allOrNothing: z
      .boolean()
      .describe('true: full points only for exactly the positive-credit set, else 0; false: add up the credits of the picked choices (capped to 0..100).'),
    shuffle: z.boolean().optional(),
  })
  .describe('Pick any number of choices; the positive credits add up to 100.');

export const TrueFalseQuestionSchema = z
  .strictObject({
    ...questionBase,
    type: z.literal('true-false'),
    correct: z.boolean().describe('The right answer.'),
    trueFeedback: Html.optional().describe('Sanitised HTML shown when the learner answers "true".'),
    falseFeedback: Html.optional().describe('Sanitised HTML shown when the learner answers "false".'),
  })
  .describe('A statement the learner marks true or false.');

export const ShortAnswerSchema = z.strictObject({
  text: PlainText.min(1).describe('Accepted response, plain text; "*" matches any run of characters (Moodle wildcard).'),
  credit: z.number().min(0).max(100),
  feedback: Html.optional(),
});
export type ShortAnswer = z.infer<typeof ShortAnswerSchema>;

export const ShortAnswerQuestionSchema = z
  .strictObject({
    ...questionBase,
    type: z.literal('short-answer'),
    answers: z.array(ShortAnswerSchema).min(1),
    caseSensitive: z.boolean(),
  })
  .describe('The learner types a word or phrase; at least one answer has credit 100.');

const numericalCommon = { credit: z.number().min(0).max(100), feedback: Html.optional() };
export const NumericalAnswerSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({ kind: z.literal('exact'), value: z.number(), tolerance: z.number().min(0), ...numericalCommon })
    .describe('Accepts value ± tolerance.'),
  z
    .strictObject({ kind: z.literal('range'), min: z.number(), max: z.number(), ...numericalCommon })
    .describe('Accepts min ≤ x ≤ max.'),
  z.strictObject({ kind: z.literal('any'), ...numericalCommon }).describe('Matches any number (catch-all feedback).'),
]);
export type NumericalAnswer = z.infer<typeof NumericalAnswerSchema>;

export const NumericalQuestionSchema = z
  .strictObject({
    ...questionBase,
    type: z.literal('numerical'),
    answers: z.array(NumericalAnswerSchema).min(1),
  })
  .describe('The learner types a number; the first matching answer decides the credit.');

export const MatchingPairSchema = z.strictObject({
  prompt: Html.describe('The item to match, as sanitised HTML.'),
  answer: PlainText.min(1).describe('The answer it matches, plain text.'),
});
export type MatchingPair = z.infer<typeof MatchingPairSchema>;

export const MatchingQuestionSchema = z
  .strictObject({
    ...questionBase,
    type: z.literal('matching'),
    pairs: z.array(MatchingPairSchema).min(2),
    distractors: z.array(PlainText).describe('Extra wrong answers (plain text) offered alongside the pair answers.'),
    shuffle: z.boolean().optional(),
  })
  .describe('Match every prompt to its answer; each pair is worth an equal share.');

export const EssayQuestionSchema = z
  .strictObject({
    ...questionBase,
    type: z.literal('essay'),
    responseTemplate: Html.optional(),
    graderInfo: Html.optional().describe('Sanitised HTML for graders, not shown to learners.'),
  })
  .describe('Free-text response, graded by hand.');

export const DescriptionSchema = z
  .strictObject({ ...questionBase, type: z.literal('description') })
  .describe('Text shown between questions; not answered, not scored.');

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

export const QuizSchema = z
  .strictObject({
    version: z.literal(QUIZ_MODEL_VERSION),
    title: PlainText.optional(),
    questions: z.array(QuestionSchema),
  })
  .describe('lectern canonical quiz');
export type Quiz = z.infer<typeof QuizSchema>;

/** The JSON Schema of the canonical model, as committed in `docs/quiz.schema.json`. */
export function quizJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(QuizSchema, { target: 'draft-2020-12' }),
    title: 'lectern canonical quiz',
  };
}
