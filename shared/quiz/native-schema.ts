/**
 * The native authoring format (`.quiz.yaml`, `.quiz.json`): close to the canonical model, but
 * written by hand — ids, choice ids and credits are optional, `correct: true` marks the right
 * choice, and text is HTML unless `format` says Markdown or plain text.
 */
import * as z from '../util/zod.js';

const Text = z.string();
const Format = z.enum(['html', 'markdown', 'plain']);
const Credit = z.number().check(z.gte(-100), z.lte(100));
const Percent = z.number().check(z.gte(0), z.lte(100));
const opt = z.optional;

const Feedback = z.union([
  Text,
  z.strictObject({
    general: opt(Text),
    correct: opt(Text),
    partiallyCorrect: opt(Text),
    incorrect: opt(Text),
  }),
]);

const common = {
  id: opt(z.union([z.string().check(z.minLength(1), z.maxLength(200)), z.number()])),
  title: opt(Text),
  stem: Text,
  format: opt(Format),
  feedback: opt(Feedback),
  category: opt(Text),
  tags: opt(z.array(Text)),
  points: opt(z.number().check(z.positive())),
};

const NativeChoice = z.union([
  Text,
  z.strictObject({
    id: opt(z.string().check(z.minLength(1), z.maxLength(100))),
    text: Text,
    correct: opt(z.boolean()),
    credit: opt(Credit),
    feedback: opt(Text),
  }),
]);

const NativeShortAnswer = z.union([Text, z.strictObject({ text: Text, credit: opt(Percent), feedback: opt(Text) })]);

const numericCommon = { credit: opt(Percent), feedback: opt(Text) };
const NativeNumericalAnswer = z.union([
  z.number(),
  z.strictObject({ value: z.number(), tolerance: opt(z.number().check(z.gte(0))), ...numericCommon }),
  z.strictObject({ min: z.number(), max: z.number(), ...numericCommon }),
  z.strictObject({ any: z.literal(true), ...numericCommon }),
]);

export const NativeQuestionSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...common, type: z.literal('multiple-choice'), choices: z.array(NativeChoice), shuffle: opt(z.boolean()) }),
  z.strictObject({
    ...common,
    type: z.literal('multiple-response'),
    choices: z.array(NativeChoice),
    allOrNothing: opt(z.boolean()),
    shuffle: opt(z.boolean()),
  }),
  z.strictObject({
    ...common,
    type: z.literal('true-false'),
    correct: z.boolean(),
    trueFeedback: opt(Text),
    falseFeedback: opt(Text),
  }),
  z.strictObject({ ...common, type: z.literal('short-answer'), answers: z.array(NativeShortAnswer), caseSensitive: opt(z.boolean()) }),
  z.strictObject({ ...common, type: z.literal('numerical'), answers: z.array(NativeNumericalAnswer) }),
  z.strictObject({
    ...common,
    type: z.literal('matching'),
    pairs: z.array(z.strictObject({ prompt: Text, answer: Text })),
    distractors: opt(z.array(Text)),
    shuffle: opt(z.boolean()),
  }),
  z.strictObject({ ...common, type: z.literal('essay'), responseTemplate: opt(Text), graderInfo: opt(Text) }),
  z.strictObject({ ...common, type: z.literal('description') }),
]);
export type NativeQuestion = z.infer<typeof NativeQuestionSchema>;

export const NativeQuizSchema = z.strictObject({
  $schema: opt(z.string()),
  version: opt(z.literal(1)),
  title: opt(Text),
  format: opt(Format),
  questions: z.array(NativeQuestionSchema),
});
export type NativeQuiz = z.infer<typeof NativeQuizSchema>;
