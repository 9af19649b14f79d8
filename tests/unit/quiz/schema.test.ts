import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QuizSchema, quizJsonSchema } from '../../../shared/quiz/model.js';
import { accepted, parseFixture, REPO_ROOT } from './helpers.js';

const SCHEMA_FILE = `${REPO_ROOT}docs/quiz.schema.json`;

describe('the canonical model’s JSON Schema', () => {
  it('docs/quiz.schema.json is the schema the model generates (UPDATE_QUIZ_SCHEMA=1 rewrites it)', () => {
    const generated = `${JSON.stringify(quizJsonSchema(), null, 2)}\n`;
    if (process.env['UPDATE_QUIZ_SCHEMA'] === '1') writeFileSync(SCHEMA_FILE, generated);
    expect(existsSync(SCHEMA_FILE), 'docs/quiz.schema.json is committed').toBe(true);
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated);
  });

  it('describes every question type and requires what an LMS needs to score', () => {
    const schema = quizJsonSchema() as { properties: { questions: { items: { oneOf: { properties: { type: { const: string } }; required: string[] }[] } } } };
    const variants = schema.properties.questions.items.oneOf;
    expect(variants.map((v) => v.properties.type.const)).toEqual([
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
    ]);
    for (const variant of variants) expect(variant.required).toEqual(expect.arrayContaining(['id', 'type', 'stem', 'stemFormat', 'feedback', 'source']));
  });

  it.each(['all-types.gift', 'all-types.quiz.yaml', 'all-types.quiz.json', 'all-types.moodle.xml', 'choice.qti.xml', 'basics.aiken'])(
    'every quiz read from %s is valid against the model',
    (name) => {
      const { quiz } = accepted(parseFixture(name));
      expect(QuizSchema.safeParse(JSON.parse(JSON.stringify(quiz))).success).toBe(true);
    },
  );
});
