/**
 * TeX in every text field is kept as written, and a formula that cannot typeset is a warning at
 * its line and column (the quiz is still published).
 */
import { describe, expect, it } from 'vitest';
import type { QuestionOf } from '../../../shared/quiz/model.js';
import { TEX_DELIMITERS } from '../../../shared/quiz/tex-delimiters.js';
import { accepted, columnOf, lineOf, parseText } from './helpers.js';

describe('TeX is kept intact in every text field', () => {
  // GIFT, like Moodle, opens the answer block at the first '{': braces in TeX are written \{ \}.
  it('GIFT: title, stem, answers, answer feedback and general feedback, with every delimiter', () => {
    const gift = [
      '::Area \\(\\pi r^2\\)::What is $$\\int_0^1 x\\,dx$$ and \\[\\frac\\{a\\}\\{b\\}\\]? {',
      '=\\(\\frac\\{1\\}\\{2\\}\\)#Right: [tex]x^2[/tex]',
      '~\\(1\\)#No: \\(\\sqrt\\{2\\}\\)',
      '####See \\(\\sum_\\{i\\=1\\}^n i\\).',
      '}',
    ].join('\n');
    const { quiz, warnings } = accepted(parseText('q.gift', gift));
    const q = quiz.questions[0] as QuestionOf<'multiple-choice'>;
    expect(warnings).toEqual([]);
    expect(q.title).toBe('Area \\(\\pi r^2\\)');
    expect(q.stem).toBe('What is $$\\int_0^1 x\\,dx$$ and \\[\\frac{a}{b}\\]?');
    expect(q.choices.map((c) => [c.text, c.feedback])).toEqual([
      ['\\(\\frac{1}{2}\\)', 'Right: [tex]x^2[/tex]'],
      ['\\(1\\)', 'No: \\(\\sqrt{2}\\)'],
    ]);
    expect(q.feedback.general).toBe('See \\(\\sum_{i=1}^n i\\).');
  });

  it('Moodle XML: cloze stem and gap feedback, with < and & inside a formula', () => {
    const xml = '<quiz><question type="cloze"><questiontext format="html"><text><![CDATA[If \\(a < b \\& b < c\\) then {1:MC:=\\(a < c\\)#yes \\(\\checkmark\\)~\\(a > c\\)}]]></text></questiontext></question></quiz>';
    const { quiz, warnings } = accepted(parseText('q.xml', xml));
    const q = quiz.questions[0] as QuestionOf<'cloze'>;
    expect(warnings).toEqual([]);
    expect(q.stem).toBe('If \\(a &lt; b \\&amp; b &lt; c\\) then {#1}');
    expect(q.gaps[0]?.kind === 'multiple-choice' && q.gaps[0].choices.map((c) => [c.text, c.feedback])).toEqual([
      ['\\(a &lt; c\\)', 'yes \\(\\checkmark\\)'],
      ['\\(a &gt; c\\)', undefined],
    ]);
  });
});

describe('one list of TeX delimiters', () => {
  // Markdown would read a*b*c as emphasis: every delimiter the checker and the preview know
  // (TEX_DELIMITERS) keeps its formula out of Markdown's hands, [tex] included.
  it.each(TEX_DELIMITERS.map((d) => [d.open, d.close]))('Markdown leaves %s a*b*c %s as written', (open, close) => {
    const yaml = `format: markdown\nquestions:\n  - type: essay\n    stem: 'Simplify ${open}a*b*c_1 + d_2${close} **now**.'\n`;
    const q = accepted(parseText('m.quiz.yaml', yaml)).quiz.questions[0] as QuestionOf<'essay'>;
    expect(q.stem).toBe(`Simplify ${open}a*b*c_1 + d_2${close} <strong>now</strong>.`);
  });

  it('a formula after one never closed is still checked', () => {
    const gift = 'Q1 \\(x + 1 and $$\\frac\\{a$$ {T}';
    const { warnings } = accepted(parseText('q.gift', gift));
    expect(warnings.map((w) => [w.code, w.column])).toEqual([
      ['quiz.tex-error', columnOf(gift, '\\(x')],
      ['quiz.tex-error', columnOf(gift, '$$\\frac')],
    ]);
    expect(warnings[1]?.message).toContain("1 '{' is never closed");
  });
});

describe('a TeX mistake is a warning at its line and column', () => {
  it('an unclosed brace in an answer’s feedback', () => {
    const gift = ['::T::Pick one. {', '=yes#Because \\(\\frac\\{1\\}\\{2\\) is a half.', '~no', '}'].join('\n');
    const { warnings } = accepted(parseText('q.gift', gift));
    expect(warnings.map((w) => [w.code, w.line, w.column])).toEqual([['quiz.tex-error', 2, columnOf(gift, '\\(\\frac')]]);
    expect(warnings[0]?.message).toContain("1 '{' is never closed");
  });

  it('a delimiter never closed, \\left without \\right, \\begin without \\end', () => {
    const gift = ['Q1 \\(x + 1 {T}', '', 'Q2 \\(\\left( x \\) {T}', '', 'Q3 $$\\begin\\{matrix\\} 1 $$ {T}'].join('\n');
    const { warnings } = accepted(parseText('q.gift', gift));
    expect(warnings.map((w) => [w.line, w.column])).toEqual([
      [lineOf(gift, 'Q1'), columnOf(gift, '\\(x + 1')],
      [lineOf(gift, 'Q2'), columnOf(gift, '\\(\\left(')],
      [lineOf(gift, 'Q3'), columnOf(gift, '$$\\begin')],
    ]);
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('never closed with \\)'),
      expect.stringContaining('1 \\left but 0 \\right'),
      expect.stringContaining('\\begin{matrix} has no \\end{matrix}'),
    ]);
  });

  it('in Moodle XML, on the line of the text that holds it', () => {
    const xml = ['<quiz>', '<question type="essay">', '<questiontext><text>Prove \\(x^{2\\).</text></questiontext>', '</question>', '</quiz>'].join('\n');
    const { warnings } = accepted(parseText('q.xml', xml));
    expect(warnings.map((w) => [w.code, w.line, w.column])).toEqual([['quiz.tex-error', 3, columnOf(xml, '\\(x^{2')]]);
  });
});
