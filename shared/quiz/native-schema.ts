/**
 * The native authoring format (`.quiz.yaml`, `.quiz.json`): close to the canonical model, but
 * written by hand — ids, choice ids and credits are optional, `correct: true` marks the right
 * choice, and text is HTML unless `format` says Markdown or plain text.
 */
import { z } from 'zod';

const Text = z.string();
const Format = z.enum(['html', 'markdown', 'plain']);
const Credit = z.number().min(-100).max(100);

const Feedback = z.union([
  Text,
  z.strictObject({
    general: Text.optional(),
    correct: Text.optional(),
    partiallyCorrect: Text.optional(),
    incorrect: Text.optional(),
  }),
]);

const common = {
  id: z.union([z.string().min(1).max(200), z.number()]).optional(),
  title: Text.optional(),
  stem: Text,
  format: Format.optional(),
  feedback: Feedback.optional(),
  category: Text.optional(),
  tags: z.array(Text).optional(),
  points: z.number().positive().optional(),
};

const NativeChoice = z.union([
  Text,
  z.strictObject({
    id: z.string().min(1).max(100).optional(),
    text: Text,
    correct: z.boolean().optional(),
    credit: Credit.optional(),
    feedback: Text.optional(),
  }),
]);

const NativeShortAnswer = z.union([
  Text,
  z.strictObject({ text: Text, credit: z.number().min(0).max(100).optional(), feedback: Text.optional() }),
]);

const numericCommon = { credit: z.number().min(0).max(100).optional(), feedback: Text.optional() };
const NativeNumericalAnswer = z.union([
  z.number(),
  z.strictObject({ value: z.number(), tolerance: z.number().min(0).optional(), ...numericCommon }),
  z.strictObject({ min: z.number(), max: z.number(), ...numericCommon }),
  z.strictObject({ any: z.literal(true), ...numericCommon }),
]);

export const NativeQuestionSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...common, type: z.literal('multiple-choice'), choices: z.array(NativeChoice), shuffle: z.boolean().optional() }),
  z.strictObject({
    ...common,
    type: z.literal('multiple-response'),
    choices: z.array(NativeChoice),
    allOrNothing: z.boolean().optional(),
    shuffle: z.boolean().optional(),
  }),
  z.strictObject({
    ...common,
    type: z.literal('true-false'),
    correct: z.boolean(),
    trueFeedback: Text.optional(),
    falseFeedback: Text.optional(),
  }),
  z.strictObject({ ...common, type: z.literal('short-answer'), answers: z.array(NativeShortAnswer), caseSensitive: z.boolean().optional() }),
  z.strictObject({ ...common, type: z.literal('numerical'), answers: z.array(NativeNumericalAnswer) }),
  z.strictObject({
    ...common,
    type: z.literal('matching'),
    pairs: z.array(z.strictObject({ prompt: Text, answer: Text })),
    distractors: z.array(Text).optional(),
    shuffle: z.boolean().optional(),
  }),
  z.strictObject({ ...common, type: z.literal('essay'), responseTemplate: Text.optional(), graderInfo: Text.optional() }),
  z.strictObject({ ...common, type: z.literal('description') }),
]);
export type NativeQuestion = z.infer<typeof NativeQuestionSchema>;

export const NativeQuizSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).optional(),
  title: Text.optional(),
  format: Format.optional(),
  questions: z.array(NativeQuestionSchema),
});
export type NativeQuiz = z.infer<typeof NativeQuizSchema>;
