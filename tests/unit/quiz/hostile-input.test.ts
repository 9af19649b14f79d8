/**
 * Hostile and broken uploads: each gets a specific rejection, quickly, and never an exception.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUIZ_LIMITS, parseQuiz } from '../../../shared/quiz/parse-quiz.js';
import { accepted, fixtureText, parseFixture, parseText, rejected } from './helpers.js';
import { timed as finishesWithin } from '../../helpers/timed.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Runs a parse and checks it answered within `ms` (a guard against super-linear parsing). */
/**
 * A hang guard, not a benchmark: quadratic or exponential parsing of these inputs takes minutes,
 * so a generous bound (several times the time on a loaded 2-core CI machine) still catches it
 * without failing when the machine is busy. Speed is measured in bench/, not here.
 */
const HANG_FACTOR = 4;
const timed = <T>(ms: number, run: () => T): T => finishesWithin(run, ms * HANG_FACTOR);

describe('empty, wrong and undecodable files', () => {
  it.each(['empty.gift', 'empty.xml', 'empty.quiz.yaml', 'empty.txt'])('rejects a zero-byte %s', (name) => {
    const reasons = rejected(parseQuiz({ bytes: new Uint8Array(0), fileName: name }));
    expect(reasons.map((r) => r.code)).toEqual(['quiz.empty-file']);
  });

  it('rejects a file of blank space', () => {
    expect(rejected(parseText('a.gift', ' \n\t\n')).map((r) => r.code)).toEqual(['quiz.empty-file']);
  });

  it('rejects names that are not quiz files', () => {
    const reasons = rejected(parseText('lecture.mp4', '::Q::x{T}'));
    expect(reasons.map((r) => r.code)).toEqual(['quiz.unknown-format']);
    expect(reasons[0]?.message).toContain('.gift');
  });

  it('rejects Moodle XML or QTI content under a GIFT, Aiken or native name', () => {
    const xml = '<?xml version="1.0"?>\n<quiz><question type="essay"/></quiz>';
    for (const name of ['a.gift', 'a.aiken', 'a.txt', 'a.quiz.yaml', 'a.quiz.json']) {
      const reasons = rejected(parseText(name, xml));
      expect(reasons.map((r) => r.code)).toEqual(['quiz.wrong-extension']);
      expect(reasons[0]?.message).toContain('.xml');
    }
  });

  it('rejects a .txt that is neither GIFT nor Aiken and an .xml that is neither Moodle nor QTI', () => {
    expect(rejected(parseText('notes.txt', 'Bring a lab coat on Monday.')).map((r) => r.code)).toEqual(['quiz.unknown-format']);
    const reasons = rejected(parseText('page.xml', '<html><body>hi</body></html>'));
    expect(reasons.map((r) => r.code)).toEqual(['quiz.unknown-format']);
    expect(reasons[0]?.message).toContain('<html>');
  });

  it('rejects invalid UTF-8 with the line and column of the bad byte', () => {
    const bytes = new Uint8Array([...encode('::Q1::Fine {T}\n\n::Q2::Gr'), 0xf6, ...encode('n {T}\n')]);
    const reasons = rejected(parseQuiz({ bytes, fileName: 'latin1.gift' }));
    expect(reasons.map((r) => [r.code, r.line, r.column])).toEqual([['quiz.invalid-utf8', 3, 9]]);
    expect(reasons[0]?.message).toContain('0xF6');
  });

  it.each([
    ['a truncated sequence', [0x61, 0xe2, 0x82]],
    ['an overlong encoding', [0x61, 0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0x61, 0xed, 0xa0, 0x80]],
    ['a code point past U+10FFFF', [0x61, 0xf4, 0x90, 0x80, 0x80]],
  ])('rejects %s as invalid UTF-8 at column 2', (_, bytes) => {
    const reasons = rejected(parseQuiz({ bytes: new Uint8Array(bytes), fileName: 'a.gift' }));
    expect(reasons.map((r) => [r.code, r.line, r.column])).toEqual([['quiz.invalid-utf8', 1, 2]]);
  });

  it('rejects binary content (NUL bytes)', () => {
    const reasons = rejected(parseQuiz({ bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), fileName: 'a.xml' }));
    expect(reasons.map((r) => r.code)).toEqual(['quiz.binary-content']);
  });

  it('reads a BOM + CRLF file with the same line numbers an editor shows', () => {
    const reasons = rejected(parseFixture('crlf-bom.gift'));
    const text = fixtureText('crlf-bom.gift').replace(/^\uFEFF/, '');
    const line = text.split('\r\n').findIndex((l) => l.startsWith('::Broken::')) + 1;
    const column = (text.split('\r\n')[line - 1] ?? '').indexOf('{') + 1;
    expect(reasons.map((r) => [r.code, r.line, r.column])).toEqual([['quiz.syntax', line, column]]);
    const fixed = fixtureText('crlf-bom.gift').replace(/::Broken::.*\r\n/, '');
    const { quiz } = accepted(parseQuiz({ bytes: encode(fixed), fileName: 'ok.gift' }));
    expect(quiz.questions.map((q) => [q.title, q.source.line])).toEqual([
      ['Greeting', 2],
      ['Capital', 4],
    ]);
    expect(quiz.questions[0]?.stem).not.toContain('\r');
  });
});

describe('limits', () => {
  it('rejects a file over the byte limit before parsing it', () => {
    const reasons = rejected(parseText('a.gift', 'x'.repeat(2000), { limits: { maxBytes: 1000 } }));
    expect(reasons.map((r) => r.code)).toEqual(['quiz.too-large']);
    expect(DEFAULT_QUIZ_LIMITS.maxBytes).toBe(2 * 1024 * 1024);
  });

  it.each([
    ['GIFT', 'a.gift', (n: number) => 'Q {T}\n\n'.repeat(n)],
    ['Aiken', 'a.aiken', (n: number) => 'Q?\nA) x\nB) y\nANSWER: A\n\n'.repeat(n)],
    ['Moodle XML', 'a.xml', (n: number) => `<quiz>${'<question type="essay"><questiontext><text>x</text></questiontext></question>'.repeat(n)}</quiz>`],
    ['YAML', 'a.quiz.yaml', (n: number) => `questions:\n${'  - {type: essay, stem: x}\n'.repeat(n)}`],
    ['JSON', 'a.quiz.json', (n: number) => `{"questions": [${Array(n).fill('{"type": "essay", "stem": "x"}').join(',')}]}`],
  ])('rejects an absurd question count in %s', (_, name, make) => {
    expect(rejected(parseText(name, make(11), { limits: { maxQuestions: 10 } })).map((r) => r.code)).toEqual(['quiz.too-many-questions']);
    accepted(parseText(name, make(10), { limits: { maxQuestions: 10 } }));
    // As many questions as fit under the default 2 MiB cap.
    const huge = timed(5000, () => parseText(name, make(20_000)));
    expect(rejected(huge).map((r) => r.code)).toEqual(['quiz.too-many-questions']);
  });

  it('reports at most maxErrors reasons, then says how many more there were', () => {
    const text = Array.from({ length: 30 }, (_, i) => `::Q${i}::No answer {~a ~b}`).join('\n\n');
    const reasons = rejected(parseText('a.gift', text, { limits: { maxErrors: 5 } }));
    expect(reasons).toHaveLength(6);
    expect(reasons.slice(0, 5).every((r) => r.code === 'quiz.no-correct-answer')).toBe(true);
    expect(reasons[5]?.code).toBe('quiz.too-many-errors');
    expect(reasons[5]?.message).toContain('25 more');
  });

  it('caps the answers of one question', () => {
    const reasons = rejected(parseText('a.gift', `Q {=right ${'~w '.repeat(500)}}`));
    expect(reasons.map((r) => r.code)).toEqual(['quiz.too-many-answers']);
  });
});

describe('resource exhaustion', () => {
  it('rejects a YAML alias bomb', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'questions: *e',
    ].join('\n');
    const reasons = timed(2000, () => rejected(parseText('bomb.quiz.yaml', bomb)));
    expect(reasons.map((r) => r.code)).toEqual(['quiz.too-many-aliases']);
  });

  it('bounds what aliases expand to: a 1.9 MB file repeating one value 99 times is rejected, saying where and what to change', () => {
    const big = 'A'.repeat(1_900_000);
    const questions = Array.from({ length: 100 }, (_, i) => `  - type: essay\n    id: q${i}\n    stem: ${i === 0 ? `&big "${big}"` : '*big'}`);
    const text = `title: Repeats\nquestions:\n${questions.join('\n')}\n`;
    expect(text.length).toBeLessThan(DEFAULT_QUIZ_LIMITS.maxBytes); // 99 aliases: within yaml's own maxAliasCount
    const reasons = timed(2000, () => rejected(parseText('repeats.quiz.yaml', text)));
    expect(reasons).toEqual([
      expect.objectContaining({ code: 'quiz.too-many-aliases', line: 8, column: 11, message: expect.stringMatching(/grows past 2 MiB once its YAML aliases.*line 8, column 11.*write shared text once, or split the quiz/) }),
    ]);
  });

  it('lets aliases repeat small values', () => {
    const questions = Array.from({ length: 50 }, (_, i) => `  - type: essay\n    id: q${i}\n    stem: ${i === 0 ? '&s "Explain your answer."' : '*s'}`);
    expect(accepted(parseText('small.quiz.yaml', `questions:\n${questions.join('\n')}\n`)).quiz.questions).toHaveLength(50);
  });

  it.each([
    ['JSON arrays', 'a.quiz.json', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['JSON objects', 'a.quiz.json', '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)],
    ['YAML flow', 'a.quiz.yaml', `questions: ${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['YAML blocks', 'a.quiz.yaml', Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}- `).join('\n')],
    ['XML', 'a.xml', `<quiz>${'<a>'.repeat(50_000)}${'</a>'.repeat(50_000)}</quiz>`],
    ['HTML in GIFT', 'a.gift', `[html]${'<div>'.repeat(100_000)}x {T}`],
    ['Markdown in GIFT', 'a.gift', `[markdown]${'> '.repeat(50_000)}x {T}`],
  ])('rejects deeply nested %s as too deep', (_, name, text) => {
    const reasons = timed(5000, () => rejected(parseText(name, text, { limits: { maxBytes: 4_000_000 } })));
    expect(reasons.map((r) => r.code)).toContain('quiz.too-deep');
  });

  it.each([
    ['a megabyte-long GIFT line', 'a.gift', `::T::${'x'.repeat(1_000_000)} {=a ~b}`],
    ['a megabyte-long description', 'a.gift', 'y'.repeat(1_000_000)],
    ['a megabyte-long Aiken question', 'a.aiken', `${'z'.repeat(1_000_000)}\nA) a\nB) b\nANSWER: A`],
    ['a megabyte-long YAML string', 'a.quiz.yaml', `questions:\n  - type: essay\n    stem: "${'w'.repeat(1_000_000)}"`],
    ['a megabyte of unclosed LaTeX in Markdown', 'a.gift', `[markdown]${'\\('.repeat(400_000)} {}`],
  ])('reads %s in linear time', (_, name, text) => {
    const result = timed(5000, () => parseText(name, text));
    expect(result.ok).toBe(true);
  });

  it.each([
    ['unclosed tags', 'a.gift', `[html]${'<a'.repeat(500_000)} {}`],
    ['a megabyte of braces', 'a.gift', '{'.repeat(1_000_000)],
    ['a megabyte of colons', 'a.gift', ':'.repeat(1_000_000)],
    ['a megabyte of option lines', 'a.aiken', 'A) x\n'.repeat(200_000)],
    ['a megabyte of quotes', 'a.quiz.yaml', '"'.repeat(1_000_000)],
    ['a megabyte of XML tags', 'a.xml', '<quiz>' + '<'.repeat(1_000_000)],
  ])('answers %s quickly with a verdict', (_, name, text) => {
    const result = timed(5000, () => parseText(name, text));
    expect(typeof result.ok).toBe('boolean');
  });
});
