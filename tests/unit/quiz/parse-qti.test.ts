import { describe, expect, it } from 'vitest';
import type { QuestionOf } from '../../../shared/quiz/model.js';
import { accepted, parseFixture, parseText, rejected } from './helpers.js';

const NS = 'xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"';

function item(declaration: string, body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<assessmentItem ${NS} identifier="item1" title="Item" adaptive="false" timeDependent="false">\n${declaration}\n<itemBody>${body}</itemBody>${extra}\n</assessmentItem>`;
}

describe('QTI 2.1 items', () => {
  it('reads a single-choice item: identifiers, prompt, correct response, inline feedback', () => {
    const { quiz } = accepted(parseFixture('choice.qti.xml', { knownAssets: ['images/cells.png'] }));
    const q = quiz.questions[0] as QuestionOf<'multiple-choice'>;
    expect(quiz.questions).toHaveLength(1);
    expect([q.type, q.id, q.title]).toEqual(['multiple-choice', 'cell-unit', 'The unit of life']);
    expect(q.stem).toContain('What is the basic unit of life?');
    expect(q.stem).toContain('<img src="images/cells.png"');
    expect(q.choices.map((c) => [c.id, c.text, c.credit])).toEqual([
      ['atom', 'The atom', 0],
      ['cell', 'The cell', 100],
      ['organ', 'The organ', 0],
    ]);
    expect(q.choices[1]?.feedback).toBe('Yes.');
  });

  it('warns (does not reject) when a referenced image was not uploaded', () => {
    const result = accepted(parseFixture('choice.qti.xml', { knownAssets: [] }));
    expect(result.warnings.map((w) => w.code)).toEqual(['quiz.missing-asset']);
    expect(result.warnings[0]?.message).toContain('images/cells.png');
    // Lesson folders have no subfolders: the fix names the file to upload and the name to use.
    expect(result.warnings[0]?.message).toContain("upload it next to the quiz file as 'cells.png' and refer to it by that name");
  });

  it('reads a multiple-response item with a mapping as partial credit', () => {
    const xml = item(
      `<responseDeclaration identifier="R" cardinality="multiple" baseType="identifier">
        <correctResponse><value>H</value><value>O</value></correctResponse>
        <mapping lowerBound="0" upperBound="2" defaultValue="-1"><mapEntry mapKey="H" mappedValue="1"/><mapEntry mapKey="O" mappedValue="1"/></mapping>
      </responseDeclaration>`,
      '<choiceInteraction responseIdentifier="R" maxChoices="0"><prompt>Water is made of?</prompt>' +
        '<simpleChoice identifier="H">Hydrogen</simpleChoice><simpleChoice identifier="O">Oxygen</simpleChoice><simpleChoice identifier="N">Nitrogen</simpleChoice></choiceInteraction>',
    );
    const q = accepted(parseText('w.xml', xml)).quiz.questions[0] as QuestionOf<'multiple-response'>;
    expect(q.type).toBe('multiple-response');
    expect(q.allOrNothing).toBe(false);
    expect(q.choices.map((c) => c.credit)).toEqual([50, 50, -50]);
  });

  it('reads a multiple-response item without mapping as all-or-nothing', () => {
    const xml = item(
      '<responseDeclaration identifier="R" cardinality="multiple" baseType="identifier"><correctResponse><value>A</value><value>B</value></correctResponse></responseDeclaration>',
      '<choiceInteraction responseIdentifier="R"><prompt>Pick a and b.</prompt><simpleChoice identifier="A">a</simpleChoice><simpleChoice identifier="B">b</simpleChoice><simpleChoice identifier="C">c</simpleChoice></choiceInteraction>',
    );
    const q = accepted(parseText('w.xml', xml)).quiz.questions[0] as QuestionOf<'multiple-response'>;
    expect(q.allOrNothing).toBe(true);
    expect(q.choices.map((c) => c.credit)).toEqual([50, 50, -100]);
  });

  it('reads a numeric text entry as numerical, with the blank in the sentence', () => {
    const q = accepted(parseFixture('numeric.qti.xml')).quiz.questions[0] as QuestionOf<'numerical'>;
    expect(q.stem).toBe('<p>A human body cell has _____ chromosomes.</p>');
    expect(q.answers).toEqual([{ kind: 'exact', value: 46, tolerance: 0, credit: 100 }]);
  });

  it('reads a string text entry with a mapping as short answers with credit', () => {
    const xml = item(
      `<responseDeclaration identifier="R" cardinality="single" baseType="string"><correctResponse><value>York</value></correctResponse>
        <mapping defaultValue="0"><mapEntry mapKey="York" mappedValue="1"/><mapEntry mapKey="york" mappedValue="0.5"/></mapping></responseDeclaration>`,
      '<p>The sun of <textEntryInteraction responseIdentifier="R"/>.</p>',
    );
    const q = accepted(parseText('t.xml', xml)).quiz.questions[0] as QuestionOf<'short-answer'>;
    expect(q.caseSensitive).toBe(true);
    expect(q.answers).toEqual([
      { text: 'York', credit: 100 },
      { text: 'york', credit: 50 },
    ]);
  });

  it('reads an extended text entry as an essay and a match interaction as matching', () => {
    const essay = item('<responseDeclaration identifier="R" cardinality="single" baseType="string"/>', '<extendedTextInteraction responseIdentifier="R"><prompt>Write.</prompt></extendedTextInteraction>');
    expect(accepted(parseText('e.xml', essay)).quiz.questions[0]?.type).toBe('essay');
    const match = item(
      '<responseDeclaration identifier="R" cardinality="multiple" baseType="directedPair"><correctResponse><value>A X</value><value>B Y</value></correctResponse></responseDeclaration>',
      '<matchInteraction responseIdentifier="R"><prompt>Match.</prompt><simpleMatchSet><simpleAssociableChoice identifier="A" matchMax="1">a</simpleAssociableChoice><simpleAssociableChoice identifier="B" matchMax="1">b</simpleAssociableChoice></simpleMatchSet>' +
        '<simpleMatchSet><simpleAssociableChoice identifier="X" matchMax="1">x</simpleAssociableChoice><simpleAssociableChoice identifier="Y" matchMax="1">y</simpleAssociableChoice><simpleAssociableChoice identifier="Z" matchMax="1">z</simpleAssociableChoice></simpleMatchSet></matchInteraction>',
    );
    const m = accepted(parseText('m.xml', match)).quiz.questions[0] as QuestionOf<'matching'>;
    expect(m.pairs).toEqual([
      { prompt: 'a', answer: 'x' },
      { prompt: 'b', answer: 'y' },
    ]);
    expect(m.distractors).toEqual(['z']);
  });

  it('rejects an assessmentTest and a bare responseProcessing: only items are supported', () => {
    const test = `<assessmentTest ${NS} identifier="t" title="T"><testPart identifier="p" navigationMode="linear" submissionMode="individual"/></assessmentTest>`;
    const rp = '<?xml version="1.0"?>\n<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>';
    for (const xml of [test, rp]) {
      const reasons = rejected(parseText('t.xml', xml));
      expect(reasons.map((r) => r.code)).toEqual(['quiz.not-an-item']);
      expect(reasons[0]?.message).toContain('assessmentItem');
    }
  });

  it('rejects unsupported interactions and items with no correct response', () => {
    const order = item('<responseDeclaration identifier="R" cardinality="ordered" baseType="identifier"/>', '<orderInteraction responseIdentifier="R"><simpleChoice identifier="A">a</simpleChoice></orderInteraction>');
    expect(rejected(parseText('o.xml', order)).map((r) => r.code)).toEqual(['quiz.unsupported-question-type']);
    const none = item(
      '<responseDeclaration identifier="R" cardinality="single" baseType="identifier"/>',
      '<choiceInteraction responseIdentifier="R"><prompt>Pick.</prompt><simpleChoice identifier="A">a</simpleChoice><simpleChoice identifier="B">b</simpleChoice></choiceInteraction>',
    );
    const reasons = rejected(parseText('n.xml', none));
    expect(reasons.map((r) => r.code)).toEqual(['quiz.no-correct-answer']);
    expect(reasons[0]?.message).toContain('correctResponse');
  });

  it('rejects attributes the QTI schema does not allow, and invalid identifiers, on their lines', () => {
    const xml = item(
      '<responseDeclaration identifier=" R" cardinality="single" baseType="identifier" foo="bar"><correctResponse><value>A</value></correctResponse></responseDeclaration>',
      '<choiceInteraction responseIdentifier="R"><simpleChoice identifier="A">a</simpleChoice><simpleChoice identifier="B">b</simpleChoice></choiceInteraction>',
    );
    const reasons = rejected(parseText('x.xml', xml));
    const lineOfDeclaration = xml.split('\n').findIndex((l) => l.includes('<responseDeclaration')) + 1;
    const lineOfBody = xml.split('\n').findIndex((l) => l.includes('<itemBody>')) + 1;
    expect(reasons.map((r) => r.code)).toEqual(['quiz.qti-invalid', 'quiz.qti-invalid', 'quiz.qti-invalid']);
    expect(reasons.find((r) => r.message.includes("'foo'"))?.line).toBe(lineOfDeclaration);
    expect(reasons.find((r) => r.message.includes("' R'"))?.line).toBe(lineOfDeclaration);
    // The interaction answers 'R', which no longer names a declaration.
    expect(reasons.find((r) => r.message.includes("'R'"))?.line).toBe(lineOfBody);
  });

  describe('items with several interactions', () => {
    // Hand-written: a sentence with a drop-down (inline choice), a number box and a word box,
    // then a block choice with a prompt. Each interaction is scored on its own declaration.
    const several = item(
      `<responseDeclaration identifier="CAPITAL" cardinality="single" baseType="identifier">
        <correctResponse><value>paris</value></correctResponse>
      </responseDeclaration>
      <responseDeclaration identifier="YEAR" cardinality="single" baseType="integer">
        <correctResponse><value>1889</value></correctResponse>
        <mapping defaultValue="0"><mapEntry mapKey="1889" mappedValue="2"/></mapping>
      </responseDeclaration>
      <responseDeclaration identifier="WHO" cardinality="single" baseType="string">
        <correctResponse><value>Eiffel</value></correctResponse>
        <mapping defaultValue="0"><mapEntry mapKey="Eiffel" mappedValue="1" caseSensitive="false"/></mapping>
      </responseDeclaration>
      <responseDeclaration identifier="METALS" cardinality="multiple" baseType="identifier">
        <correctResponse><value>iron</value></correctResponse>
      </responseDeclaration>`,
      `<p>The tower stands in <inlineChoiceInteraction responseIdentifier="CAPITAL" shuffle="false">
          <inlineChoice identifier="lyon">Lyon</inlineChoice><inlineChoice identifier="paris">Paris</inlineChoice>
        </inlineChoiceInteraction>, was finished in <textEntryInteraction responseIdentifier="YEAR" expectedLength="4"/>
        and is named after <textEntryInteraction responseIdentifier="WHO"/>.</p>
      <choiceInteraction responseIdentifier="METALS" maxChoices="0" orientation="horizontal"><prompt>It is made of:</prompt>
        <simpleChoice identifier="iron">Wrought iron</simpleChoice><simpleChoice identifier="steel">Steel</simpleChoice></choiceInteraction>`,
      `<responseProcessing><responseCondition><responseIf><match><variable identifier="CAPITAL"/><correct identifier="CAPITAL"/></match>
        <setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue></responseIf></responseCondition></responseProcessing>`,
    );

    it('is one question with a gap per interaction, in place, each read from its own declaration', () => {
      const result = accepted(parseText('tower.xml', several));
      expect(result.quiz.questions).toHaveLength(1);
      const q = result.quiz.questions[0] as QuestionOf<'cloze'>;
      expect(q.type).toBe('cloze');
      expect(q.stem).toContain('The tower stands in {#1}, was finished in {#2}\nand is named after {#3}.');
      expect(q.stem).toContain('<p>It is made of:</p><div>{#4}</div>');
      expect(q.gaps.map((g) => g.kind)).toEqual(['multiple-choice', 'numerical', 'short-answer', 'multiple-response']);
      const [capital, year, who, metals] = q.gaps;
      expect(capital).toMatchObject({ display: 'dropdown', weight: 1, choices: [{ id: 'lyon', text: 'Lyon', credit: 0 }, { id: 'paris', text: 'Paris', credit: 100 }] });
      // The mapping gives the year 2 points: it weighs twice the other gaps.
      expect(year).toMatchObject({ weight: 2, answers: [{ kind: 'exact', value: 1889, credit: 100 }] });
      expect(who).toMatchObject({ weight: 1, caseSensitive: false, answers: [{ text: 'Eiffel', credit: 100 }] });
      expect(metals).toMatchObject({ display: 'horizontal', weight: 1 });
      // The custom processing is not run, and the report says so.
      expect(result.warnings.map((w) => w.code)).toEqual(['quiz.ignored-content']);
      expect(result.warnings[0]?.message).toContain('scores each interaction');
    });

    it('reads one inline choice as a one-gap question (a drop-down in the sentence)', () => {
      const xml = item(
        '<responseDeclaration identifier="R" cardinality="single" baseType="identifier"><correctResponse><value>B</value></correctResponse></responseDeclaration>',
        '<p>Water boils at <inlineChoiceInteraction responseIdentifier="R"><inlineChoice identifier="A">90</inlineChoice><inlineChoice identifier="B">100</inlineChoice></inlineChoiceInteraction> °C.</p>',
      );
      const q = accepted(parseText('b.xml', xml)).quiz.questions[0] as QuestionOf<'cloze'>;
      expect(q.stem).toBe('<p>Water boils at {#1} °C.</p>');
      expect(q.gaps).toMatchObject([{ kind: 'multiple-choice', display: 'dropdown', choices: [{ credit: 0 }, { credit: 100 }] }]);
    });

    it('reports a gap without a correct response on its own, and an interaction lectern cannot make a gap on its line', () => {
      const noKey = item(
        `<responseDeclaration identifier="A" cardinality="single" baseType="string"><correctResponse><value>x</value></correctResponse></responseDeclaration>
         <responseDeclaration identifier="B" cardinality="single" baseType="identifier"/>`,
        '<p><textEntryInteraction responseIdentifier="A"/></p><choiceInteraction responseIdentifier="B"><simpleChoice identifier="P">p</simpleChoice><simpleChoice identifier="Q">q</simpleChoice></choiceInteraction>',
      );
      const reasons = rejected(parseText('k.xml', noKey));
      expect(reasons.map((r) => r.code)).toEqual(['quiz.no-correct-answer']);
      expect(reasons[0]?.message).toContain('gap 2');

      const withMatch = item(
        `<responseDeclaration identifier="A" cardinality="single" baseType="string"><correctResponse><value>x</value></correctResponse></responseDeclaration>
         <responseDeclaration identifier="M" cardinality="multiple" baseType="directedPair"/>`,
        '<p><textEntryInteraction responseIdentifier="A"/></p>\n<matchInteraction responseIdentifier="M"><simpleMatchSet/><simpleMatchSet/></matchInteraction>',
      );
      const [why] = rejected(parseText('m.xml', withMatch));
      expect(why?.code).toBe('quiz.unsupported-question-type');
      expect(why?.message).toContain('matchInteraction');
      expect(why?.line).toBe(withMatch.split('\n').findIndex((l) => l.includes('<matchInteraction')) + 1);
    });

    it('keeps a written {#1} as text, not as a gap', () => {
      const xml = item(
        '<responseDeclaration identifier="A" cardinality="single" baseType="string"><correctResponse><value>x</value></correctResponse></responseDeclaration>' +
          '<responseDeclaration identifier="B" cardinality="single" baseType="string"><correctResponse><value>y</value></correctResponse></responseDeclaration>',
        '<p>Write {#1} here: <textEntryInteraction responseIdentifier="A"/> <textEntryInteraction responseIdentifier="B"/></p>',
      );
      const q = accepted(parseText('l.xml', xml)).quiz.questions[0] as QuestionOf<'cloze'>;
      expect(q.stem.match(/\{#\d+\}/g)).toEqual(['{#1}', '{#2}']);
      expect(q.stem.replace(/<[^>]+>/g, '')).toBe('Write {#1} here: {#1} {#2}');
    });

    it('refuses two interactions answering one declaration', () => {
      const xml = item(
        '<responseDeclaration identifier="A" cardinality="single" baseType="string"><correctResponse><value>x</value></correctResponse></responseDeclaration>',
        '<p><textEntryInteraction responseIdentifier="A"/> and <textEntryInteraction responseIdentifier="A"/></p>',
      );
      const reasons = rejected(parseText('d.xml', xml));
      expect(reasons.map((r) => r.code)).toEqual(['quiz.qti-invalid']);
      expect(reasons[0]?.message).toContain("Two interactions answer 'A'");
    });
  });
});
