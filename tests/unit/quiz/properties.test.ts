/**
 * Property-based tests: whatever bytes arrive, every parser answers with a verdict — never an
 * exception — and whatever it accepts is schema-valid and free of active content.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuizSchema } from '../../../shared/quiz/model.js';
import { parseAiken } from '../../../shared/quiz/parse-aiken.js';
import { parseGift } from '../../../shared/quiz/parse-gift.js';
import { parseMoodleXml } from '../../../shared/quiz/parse-moodle-xml.js';
import { parseNative } from '../../../shared/quiz/parse-native.js';
import { parseQti } from '../../../shared/quiz/parse-qti.js';
import { parseQuiz, type QuizResult } from '../../../shared/quiz/parse-quiz.js';
import { sanitizeQuizHtml } from '../../../shared/quiz/sanitize-html.js';
import { XSS_VECTORS } from './xss-vectors.js';

const RUNS = { numRuns: 300 };
const NAMES = ['q.gift', 'q.aiken', 'q.txt', 'q.gift.txt', 'q.xml', 'q.quiz.json', 'q.quiz.yaml', 'q.quiz.yml'];
const limits = { maxQuestions: 50 };

/** Strings made of the pieces each format is built from, so generated input goes deep. */
function tokens(pieces: string[]): fc.Arbitrary<string> {
  return fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 60 }).map((parts) => parts.join(''));
}

const giftText = tokens([
  '::', 'Title', '{', '}', '=', '~', '#', '####', '->', '%50%', '%-100%', '%abc%', '\n', '\n\n', 'T', 'FALSE', '#3:0.1', '#1..5',
  '\\{', '\\}', '\\=', '\\:', '[html]', '[markdown]', '[plain]', '// [id:x]', '$CATEGORY: a/b', '<b>', '<script>', ' ', '\r\n',
]);
const aikenText = tokens(['Question?', '\n', 'A) ', 'B. ', 'C)', 'ANSWER: ', 'A', 'B', 'Z', '\n\n', ' ', '<b>&']);
const xmlText = tokens([
  '<?xml version="1.0"?>', '<quiz>', '</quiz>', '<question type="multichoice">', '<question type="truefalse">', '<question type="matching">',
  '<question type="numerical">', '<question type="cloze">', '</question>', '<questiontext format="html">', '</questiontext>', '<text>', '</text>',
  '<answer fraction="100">', '<answer fraction="33">', '<answer fraction="x">', '</answer>', '<subquestion>', '</subquestion>', '<![CDATA[<b>x</b>]]>',
  'true', 'false', '*', '<tolerance>1</tolerance>', '&amp;', '&lt;', '<', '>', '"', '<!-- c -->', '<!DOCTYPE q>',
]);
const qtiText = tokens([
  '<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="i">', '</assessmentItem>',
  '<responseDeclaration identifier="R" cardinality="single" baseType="identifier">', '<responseDeclaration identifier="R" cardinality="multiple" baseType="directedPair">',
  '</responseDeclaration>', '<correctResponse>', '</correctResponse>', '<value>A</value>', '<value>A X</value>', '<mapping defaultValue="0">', '</mapping>',
  '<mapEntry mapKey="A" mappedValue="1"/>', '<itemBody>', '</itemBody>', '<choiceInteraction responseIdentifier="R">', '</choiceInteraction>',
  '<simpleChoice identifier="A">', '<simpleChoice identifier="B">', '</simpleChoice>', '<prompt>', '</prompt>', '<textEntryInteraction responseIdentifier="R"/>',
  '<matchInteraction responseIdentifier="R">', '</matchInteraction>', '<simpleMatchSet>', '</simpleMatchSet>', '<simpleAssociableChoice identifier="X">',
  '</simpleAssociableChoice>', '<p>', '</p>', '<img src="a.png"/>', '<feedbackInline identifier="A">', '</feedbackInline>', 'text',
]);
const yamlText = tokens([
  'questions:', '\n', '  - ', 'type: ', 'multiple-choice', 'true-false', 'matching', 'numerical', 'stem: ', 'x', 'choices:', 'answers:', 'pairs:',
  '{', '}', '[', ']', ',', ':', '"', "'", '&a ', '*a', '!tag ', '---', '#', 'correct: true', 'credit: 150', 'value: 1', 'prompt: p', 'answer: a', '  ',
]);

function expectVerdict(result: QuizResult): void {
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) {
    expect(QuizSchema.safeParse(result.quiz).success).toBe(true);
    for (const w of result.warnings) expect(w.code).toMatch(/^quiz\./);
  } else {
    expect(result.reasons.length).toBeGreaterThan(0);
    for (const r of result.reasons) {
      expect(r.code).toMatch(/^quiz\.[a-z0-9-]+$/);
      expect(r.code, r.message).not.toBe('quiz.internal');
      expect(r.message.length).toBeGreaterThan(10);
      if (r.line !== undefined) expect(r.line).toBeGreaterThanOrEqual(1);
      if (r.column !== undefined) expect(r.column).toBeGreaterThanOrEqual(1);
    }
  }
}

describe('parseQuiz never throws', () => {
  it('on any bytes under any quiz name', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom(...NAMES), (bytes, fileName) => {
        expectVerdict(parseQuiz({ bytes, fileName }));
      }),
      RUNS,
    );
  });

  it('on any unicode text under any quiz name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.constantFrom(...NAMES), (text, fileName) => {
        expectVerdict(parseQuiz({ bytes: new TextEncoder().encode(text), fileName }));
      }),
      RUNS,
    );
  });

  it.each([
    ['GIFT', 'q.gift', giftText],
    ['Aiken', 'q.aiken', aikenText],
    ['Moodle XML', 'q.xml', xmlText],
    ['QTI', 'q.xml', qtiText],
    ['YAML', 'q.quiz.yaml', yamlText],
    ['JSON', 'q.quiz.json', yamlText],
  ])('on %s-shaped text', (_, fileName, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (text) => expectVerdict(parseQuiz({ bytes: new TextEncoder().encode(text), fileName, limits }))),
      RUNS,
    );
  });

  it('on odd limits', () => {
    fc.assert(
      fc.property(giftText, fc.record({ maxQuestions: fc.integer({ min: -5, max: 5 }), maxBytes: fc.integer({ min: -5, max: 500 }), maxErrors: fc.double() }), (text, odd) => {
        expectVerdict(parseQuiz({ bytes: new TextEncoder().encode(text), fileName: 'q.gift', limits: odd }));
      }),
      RUNS,
    );
  });
});

describe('each format parser answers with a draft, never an exception', () => {
  const draftOk = (run: () => { errors: unknown[]; questions: unknown[] }): void => {
    const draft = run();
    expect(Array.isArray(draft.errors) && Array.isArray(draft.questions)).toBe(true);
  };
  it('parseGift', () => fc.assert(fc.property(giftText, (t) => draftOk(() => parseGift(t, limits))), RUNS));
  it('parseAiken', () => fc.assert(fc.property(aikenText, (t) => draftOk(() => parseAiken(t, limits))), RUNS));
  it('parseMoodleXml', () => fc.assert(fc.property(xmlText, (t) => draftOk(() => parseMoodleXml(t, { ...limits, unsupported: 'skip' }))), RUNS));
  it('parseQti', () => fc.assert(fc.property(qtiText, (t) => draftOk(() => parseQti(t))), RUNS));
  it('parseNative (YAML and JSON)', () =>
    fc.assert(
      fc.property(yamlText, fc.boolean(), (t, json) => draftOk(() => parseNative(t, { json, maxQuestions: 50 }))),
      RUNS,
    ));
});

describe('sanitising holds for generated markup', () => {
  const html = tokens([
    ...XSS_VECTORS,
    '<', '>', '"', "'", '=', '/', 'on', 'onerror', 'javascript', ':', 'script', 'img', 'src', 'href', 'a', 'style', 'url(', 'expression(',
    '&#', '&#x', ';', '6A', '106', '<!--', '-->', '<![CDATA[', ']]>', ' ', '\t', '\n', 'svg', 'math', 'iframe',
  ]);
  it('no script, event handler or javascript: URL survives in markup', () => {
    fc.assert(
      fc.property(html, (input) => {
        const out = sanitizeQuizHtml(input).html;
        expect(out).not.toMatch(/<script/i);
        expect(out).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
        expect(out).not.toMatch(/(href|src)\s*=\s*"\s*(javascript|vbscript|data):/i);
        expect(out).not.toMatch(/<(iframe|object|embed|svg|form|style)\b/i);
      }),
      { numRuns: 1000 },
    );
  });

  it('sanitising is idempotent', () => {
    fc.assert(
      fc.property(html, (input) => {
        const once = sanitizeQuizHtml(input).html;
        expect(sanitizeQuizHtml(once).html).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});
