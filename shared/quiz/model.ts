/**
 * The canonical quiz model: what every supported quiz format is normalised to, and what an LMS
 * needs to render and score a quiz. Rich-text fields hold sanitised HTML (safe to insert as
 * markup); fields documented as plain text must be rendered as text (escaped), never as markup.
 */
import * as z from '../util/zod.js';

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
  penalty: d(opt(z.number().check(z.gte(0), z.lte(1))), 'Share of the points lost for each wrong try when several tries are allowed (Moodle <penalty>).'),
  source: SourcePositionSchema,
};

export const ChoiceSchema = z.strictObject({
  id: d(z.string().check(z.minLength(1)), 'Stable within the question (a, b, c… or the source identifier).'),
  text: Html,
  credit: Credit,
  feedback: d(opt(Html), 'Sanitised HTML shown when the learner picks this choice.'),
});
export type Choice = z.infer<typeof ChoiceSchema>;

const Numbering = d(z.enum(['abc', 'ABCD', '123', 'iii', 'IIII', 'none']), 'How the choices are labelled (Moodle <answernumbering>).');

export const MultipleChoiceQuestionSchema = d(
  z.strictObject({
    ...questionBase,
    type: z.literal('multiple-choice'),
    choices: z.array(ChoiceSchema).check(z.minLength(2)),
    shuffle: opt(z.boolean()),
    numbering: opt(Numbering),
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
    numbering: opt(Numbering),
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

export const EssayResponseSchema = d(
  z.strictObject({
    format: d(z.enum(['editor', 'editorfilepicker', 'plain', 'monospaced', 'noinline']), 'The answer box: rich-text editor (with file picker), plain or monospaced text, or attachments only.'),
    required: d(z.boolean(), 'Whether the learner must write text.'),
    lines: d(z.int().check(z.gte(1)), 'Height of the answer box in lines.'),
    attachments: d(z.int().check(z.gte(-1)), 'How many files the learner may attach (-1 = unlimited, 0 = none).'),
    attachmentsRequired: d(z.int().check(z.gte(0)), 'How many attachments are required.'),
    minWords: opt(z.int().check(z.gte(1))),
    maxWords: opt(z.int().check(z.gte(1))),
    fileTypes: d(opt(z.array(PlainText)), 'Accepted attachment types, e.g. ".pdf", "image".'),
  }),
  'How the learner answers (Moodle essay response options).',
);
export type EssayResponse = z.infer<typeof EssayResponseSchema>;

export const EssayQuestionSchema = d(
  z.strictObject({
    ...questionBase,
    type: z.literal('essay'),
    responseTemplate: opt(Html),
    graderInfo: d(opt(Html), 'Sanitised HTML for graders, not shown to learners.'),
    response: opt(EssayResponseSchema),
  }),
  'Free-text response, graded by hand.',
);

const GapWeight = d(z.number().check(z.positive()), 'Relative weight of this gap in the question (Moodle: the number before the type, default 1).');
const Shuffle = d(z.boolean(), 'Whether the choices are shown in random order.');

export const ClozeGapSchema = z.discriminatedUnion('kind', [
  d(
    z.strictObject({ kind: z.literal('short-answer'), weight: GapWeight, caseSensitive: z.boolean(), answers: z.array(ShortAnswerSchema).check(z.minLength(1)) }),
    'A text box (Moodle SHORTANSWER / SA / MW; SHORTANSWER_C / SAC / MWC is case-sensitive).',
  ),
  d(z.strictObject({ kind: z.literal('numerical'), weight: GapWeight, answers: z.array(NumericalAnswerSchema).check(z.minLength(1)) }), 'A number box (Moodle NUMERICAL / NM).'),
  d(
    z.strictObject({
      kind: z.literal('multiple-choice'),
      weight: GapWeight,
      display: d(z.enum(['dropdown', 'vertical', 'horizontal']), 'Moodle MULTICHOICE / MC (dropdown), MULTICHOICE_V / MCV (vertical radios), MULTICHOICE_H / MCH (horizontal radios).'),
      shuffle: d(z.boolean(), 'Moodle *_S variants (MCS, MCVS, MCHS) shuffle the choices.'),
      choices: z.array(ChoiceSchema).check(z.minLength(2)),
    }),
    'Pick one choice.',
  ),
  d(
    z.strictObject({
      kind: z.literal('multiple-response'),
      weight: GapWeight,
      display: d(z.enum(['vertical', 'horizontal']), 'Moodle MULTIRESPONSE / MR (vertical), MULTIRESPONSE_H / MRH (horizontal) checkboxes.'),
      shuffle: d(z.boolean(), 'Moodle MRS, MRHS shuffle the choices.'),
      choices: z.array(ChoiceSchema).check(z.minLength(2)),
    }),
    'Pick any number of choices; the credits of the picked choices add up (capped to 0..100).',
  ),
]);
export type ClozeGap = z.infer<typeof ClozeGapSchema>;

export const ClozeQuestionSchema = d(
  z.strictObject({
    ...questionBase,
    type: z.literal('cloze'),
    gaps: d(z.array(ClozeGapSchema).check(z.minLength(1)), 'The embedded answers; the stem holds {#1}, {#2}, … where gap 1, 2, … goes.'),
  }),
  'Embedded answers (Moodle Cloze / multianswer): the question scores the weighted mean of its gaps.',
);

export const GapChoiceSchema = z.strictObject({
  text: d(PlainText.check(z.minLength(1)), 'The choice, plain text.'),
  group: d(z.int().check(z.gte(1)), 'Only gaps whose right choice is in the same group accept it.'),
  unlimited: d(opt(z.boolean()), 'Drag and drop: the choice may be used in several gaps (Moodle <infinite/>).'),
});
export type GapChoice = z.infer<typeof GapChoiceSchema>;

const gapTextFields = {
  choices: d(z.array(GapChoiceSchema).check(z.minLength(1)), 'The stem holds [[n]] where a gap goes; choice n (1-based) is its right answer.'),
  shuffle: opt(Shuffle),
};

export const DragDropTextQuestionSchema = d(
  z.strictObject({ ...questionBase, type: z.literal('drag-drop-text'), ...gapTextFields }),
  'Drag words into gaps in the text (Moodle ddwtos); each gap is worth an equal share.',
);

export const SelectMissingWordsQuestionSchema = d(
  z.strictObject({ ...questionBase, type: z.literal('select-missing-words'), ...gapTextFields }),
  'Pick the missing word of each gap from a drop-down (Moodle gapselect); each gap is worth an equal share.',
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
  ClozeQuestionSchema,
  DragDropTextQuestionSchema,
  SelectMissingWordsQuestionSchema,
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
  'cloze',
  'drag-drop-text',
  'select-missing-words',
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
