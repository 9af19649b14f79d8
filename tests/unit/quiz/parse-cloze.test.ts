/**
 * Cloze (embedded answers), drag and drop into text and select missing words, read from Moodle
 * XML the way Moodle's qtype_multianswer, qtype_ddwtos and qtype_gapselect importers read them.
 */
import { describe, expect, it } from 'vitest';
import type { ClozeGap, QuestionOf } from '../../../shared/quiz/model.js';
import { accepted, parseText, rejected } from './helpers.js';

function moodleXml(type: string, questionText: string, extra = ''): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<quiz>',
    `  <question type="${type}">`,
    '    <name><text>Q</text></name>',
    `    <questiontext format="html"><text><![CDATA[${questionText}]]></text></questiontext>`,
    extra,
    '  </question>',
    '</quiz>',
  ].join('\n');
}

function cloze(text: string): QuestionOf<'cloze'> {
  const { quiz } = accepted(parseText('q.xml', moodleXml('cloze', text)));
  const q = quiz.questions[0];
  expect(q?.type).toBe('cloze');
  return q as QuestionOf<'cloze'>;
}

function gap(text: string): ClozeGap {
  const q = cloze(`Gap: ${text}`);
  expect(q.gaps).toHaveLength(1);
  return q.gaps[0] as ClozeGap;
}

describe('Cloze: each embedded sub-question kind', () => {
  it('SHORTANSWER, SA, MW: case-insensitive; SHORTANSWER_C, SAC, MWC: case-sensitive', () => {
    for (const type of ['SHORTANSWER', 'SA', 'MW']) expect(gap(`{1:${type}:=Paris}`)).toMatchObject({ kind: 'short-answer', caseSensitive: false });
    for (const type of ['SHORTANSWER_C', 'SAC', 'MWC']) expect(gap(`{1:${type}:=Paris}`)).toMatchObject({ kind: 'short-answer', caseSensitive: true });
  });

  it('short answer: =, %n% and unmarked (0 %) alternatives, feedback after #, a * catch-all', () => {
    expect(gap('{2:SA:=Paris#Right~%50%Lutetia#Old name~Lyon~*#No}')).toEqual({
      kind: 'short-answer',
      caseSensitive: false,
      weight: 2,
      answers: [
        { text: 'Paris', credit: 100, feedback: 'Right' },
        { text: 'Lutetia', credit: 50, feedback: 'Old name' },
        { text: 'Lyon', credit: 0 },
        { text: '*', credit: 0, feedback: 'No' },
      ],
    });
  });

  it('NUMERICAL, NM: value:tolerance, a decimal comma, several answers and a catch-all', () => {
    expect(gap('{1:NUMERICAL:=3.14:0.01#Yes~%50%3:0.5~*#Far off}')).toEqual({
      kind: 'numerical',
      weight: 1,
      answers: [
        { kind: 'exact', value: 3.14, tolerance: 0.01, credit: 100, feedback: 'Yes' },
        { kind: 'exact', value: 3, tolerance: 0.5, credit: 50 },
        { kind: 'any', credit: 0, feedback: 'Far off' },
      ],
    });
    expect(gap('{1:NM:=2,5}')).toMatchObject({ kind: 'numerical', answers: [{ kind: 'exact', value: 2.5, tolerance: 0 }] });
  });

  it('MULTICHOICE in every layout: dropdown, vertical, horizontal, and the shuffled _S variants', () => {
    const layouts: [string, string, boolean][] = [
      ['MULTICHOICE', 'dropdown', false], ['MC', 'dropdown', false],
      ['MULTICHOICE_V', 'vertical', false], ['MCV', 'vertical', false],
      ['MULTICHOICE_H', 'horizontal', false], ['MCH', 'horizontal', false],
      ['MULTICHOICE_S', 'dropdown', true], ['MCS', 'dropdown', true],
      ['MULTICHOICE_VS', 'vertical', true], ['MCVS', 'vertical', true],
      ['MULTICHOICE_HS', 'horizontal', true], ['MCHS', 'horizontal', true],
    ];
    for (const [type, display, shuffle] of layouts) {
      expect(gap(`{1:${type}:=yes#Good~no#Bad}`), type).toEqual({
        kind: 'multiple-choice',
        display,
        shuffle,
        weight: 1,
        choices: [
          { id: 'a', text: 'yes', credit: 100, feedback: 'Good' },
          { id: 'b', text: 'no', credit: 0, feedback: 'Bad' },
        ],
      });
    }
  });

  it('MULTIRESPONSE, vertical or horizontal, shuffled or not, with weights', () => {
    const layouts: [string, string, boolean][] = [
      ['MULTIRESPONSE', 'vertical', false], ['MR', 'vertical', false],
      ['MULTIRESPONSE_H', 'horizontal', false], ['MRH', 'horizontal', false],
      ['MULTIRESPONSE_S', 'vertical', true], ['MRS', 'vertical', true],
      ['MULTIRESPONSE_HS', 'horizontal', true], ['MRHS', 'horizontal', true],
    ];
    for (const [type, display, shuffle] of layouts) {
      const g = gap(`{1:${type}:%50%H~%50%O~%-100%Fe}`);
      expect(g, type).toMatchObject({ kind: 'multiple-response', display, shuffle });
      expect(g.kind === 'multiple-response' && g.choices.map((c) => c.credit)).toEqual([50, 50, -100]);
    }
  });

  it('marks each gap {#n} in the stem, keeps their weights and the text around them', () => {
    const q = cloze('<p>Paris is in {2:SA:=France} and {1:MC:=Europe~Asia}.</p>');
    expect(q.stem).toBe('<p>Paris is in {#1} and {#2}.</p>');
    expect(q.gaps.map((g) => [g.kind, g.weight])).toEqual([['short-answer', 2], ['multiple-choice', 1]]);
  });

  it('reads \\~ \\} \\# as text, and an HTML entity’s # is not feedback', () => {
    expect(gap('{1:SA:=a\\~b\\}c\\#d#fb}')).toMatchObject({ answers: [{ text: 'a~b}c#d', feedback: 'fb' }] });
    expect(gap('{1:MC:=it&#39;s~no}')).toMatchObject({ choices: [{ text: 'it\'s' }, { text: 'no' }] });
  });

  it('leaves braces that are not Cloze syntax as text, as Moodle does', () => {
    const q = cloze('Sets {a, b} and {1:FOO:x} stay; {1:SA:=yes} is a gap.');
    expect(q.stem).toBe('Sets {a, b} and {1:FOO:x} stay; {#1} is a gap.');
  });

  it('keeps TeX and feedback of the question around the gaps', () => {
    const q = cloze('Solve \\(x^2 = 4\\): x = {1:NM:=2}');
    expect(q.stem).toBe('Solve \\(x^2 = 4\\): x = {#1}');
  });
});

describe('Cloze: what Moodle refuses is an error on the question’s line', () => {
  const reasons = (text: string): [string, number | undefined, string][] =>
    rejected(parseText('q.xml', moodleXml('cloze', text))).map((r) => [r.code, r.line, r.message]);

  it('a question without any gap ("Invalid embedded answers (Cloze) question")', () => {
    const [r] = reasons('Please select the fruits {1:MULTICHOICE}');
    expect(r?.slice(0, 2)).toEqual(['quiz.syntax', 3]);
    expect(r?.[2]).toContain('without any gap');
  });

  it('a MULTICHOICE gap with one choice ("requires at least 2 choices")', () => {
    const [r] = reasons('Pick {1:MULTICHOICE:=Apple#Correct}');
    expect(r?.slice(0, 2)).toEqual(['quiz.too-few-choices', 3]);
    expect(r?.[2]).toContain('gap 1 (MULTICHOICE) has 1 choice');
  });

  it('a gap with no answer worth 100 %', () => {
    const [r] = reasons('Pick {1:MULTICHOICE:Pear~%50%Apple}');
    expect(r?.[0]).toBe('quiz.no-correct-answer');
    expect(r?.[2]).toContain('gap 1');
  });

  it('a NUMERICAL gap whose answer is not a number', () => {
    const [r] = reasons('Grade? {3:NUMERICAL:=zero}');
    expect(r?.[0]).toBe('quiz.invalid-number');
    expect(r?.[2]).toContain("'zero'");
  });
});

describe('Drag and drop into text (ddwtos) and select missing words (gapselect)', () => {
  const boxes = (element: string): string =>
    [
      `<${element}><text>cat</text><group>1</group></${element}>`,
      `<${element}><text>mat</text><group>1</group><infinite/></${element}>`,
      `<${element}><text>red</text><group>2</group></${element}>`,
      '<shuffleanswers>1</shuffleanswers>',
    ].join('\n');

  it('ddwtos: [[n]] gaps, choices with groups, unlimited choices, shuffle', () => {
    const { quiz } = accepted(parseText('q.xml', moodleXml('ddwtos', 'The [[1]] sat on the [[3]] [[2]].', boxes('dragbox'))));
    expect(quiz.questions[0]).toMatchObject({
      type: 'drag-drop-text',
      stem: 'The [[1]] sat on the [[3]] [[2]].',
      shuffle: true,
      choices: [{ text: 'cat', group: 1 }, { text: 'mat', group: 1, unlimited: true }, { text: 'red', group: 2 }],
    });
  });

  it('gapselect: the same with <selectoption>', () => {
    const { quiz } = accepted(parseText('q.xml', moodleXml('gapselect', 'The [[1]] is [[3]].', boxes('selectoption'))));
    expect(quiz.questions[0]).toMatchObject({ type: 'select-missing-words', choices: [{ text: 'cat' }, { text: 'mat' }, { text: 'red' }] });
  });

  it('a gap naming no choice, and text without gaps, are errors on the question’s line', () => {
    const wrong = rejected(parseText('q.xml', moodleXml('ddwtos', 'The [[4]] sat.', boxes('dragbox'))));
    expect(wrong.map((r) => [r.code, r.line])).toEqual([['quiz.no-correct-answer', 3]]);
    expect(wrong[0]?.message).toContain('[[4]]');
    const none = rejected(parseText('q.xml', moodleXml('gapselect', 'No gaps here.', boxes('selectoption'))));
    expect(none[0]?.message).toContain('has no gap');
  });
});

describe('Moodle options kept in the model', () => {
  it('essay response settings', () => {
    const extra = [
      '<responseformat>monospaced</responseformat>',
      '<responserequired>0</responserequired>',
      '<responsefieldlines>10</responsefieldlines>',
      '<attachments>2</attachments>',
      '<attachmentsrequired>1</attachmentsrequired>',
      '<minwordlimit>50</minwordlimit>',
      '<maxwordlimit>300</maxwordlimit>',
      '<filetypeslist>.pdf,.docx</filetypeslist>',
    ].join('\n');
    const { quiz } = accepted(parseText('q.xml', moodleXml('essay', 'Explain.', extra)));
    expect((quiz.questions[0] as QuestionOf<'essay'>).response).toEqual({
      format: 'monospaced',
      required: false,
      lines: 10,
      attachments: 2,
      attachmentsRequired: 1,
      minWords: 50,
      maxWords: 300,
      fileTypes: ['.pdf', '.docx'],
    });
  });

  it('penalty and answer numbering', () => {
    const extra = '<penalty>0.3333333</penalty><answernumbering>iii</answernumbering><answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>';
    const { quiz } = accepted(parseText('q.xml', moodleXml('multichoice', 'Pick.', extra)));
    expect(quiz.questions[0]).toMatchObject({ penalty: 0.3333333, numbering: 'iii' });
  });
});
