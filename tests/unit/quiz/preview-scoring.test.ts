/** The preview's shared scoring module on Cloze, drag-and-drop and select-missing-words questions read from Moodle XML. */
import { describe, expect, it } from 'vitest';
import type { Question } from '../../../shared/quiz/model.js';
import { scoreQuestion } from '../../../local/preview/client/quiz-scoring.js';
import { renderQuiz, renderResult } from '../../../local/preview/client/quiz-render.js';
import { accepted, parseText } from './helpers.js';

function question(type: string, text: string, extra = ''): Question {
  const xml = `<quiz><question type="${type}"><questiontext format="html"><text><![CDATA[${text}]]></text></questiontext>${extra}</question></quiz>`;
  return accepted(parseText('q.xml', xml)).quiz.questions[0] as Question;
}

describe('preview scoring', () => {
  // Gap choices get the ids a, b, c… (the MR gap's x, y, z are a, b, c).
  const cloze = question('cloze', 'Capital {2:SA:=Paris#Yes~%50%Lutetia}, pi {1:NM:=3.14:0.01}, pick {1:MC:=a~b}, all {1:MR:%50%x~%50%y~%-100%z}');

  it('cloze: the weighted mean of the gaps, each scored like its type', () => {
    expect(scoreQuestion(cloze, ['paris', '3.145', 'a', ['a', 'b']])).toMatchObject({ state: 'correct', points: 1 });
    // Lutetia 50 % × weight 2, pi right, a right, x only 50 % → (1 + 1 + 1 + 0.5) / 5
    expect(scoreQuestion(cloze, ['Lutetia', '3.14', 'a', ['a']])).toMatchObject({ state: 'partial', fraction: 3.5 / 5 });
    expect(scoreQuestion(cloze, ['Lyon', 'x', 'b', ['c']])).toMatchObject({ state: 'incorrect', points: 0 });
    expect(scoreQuestion(cloze, [undefined, undefined, undefined, []])).toMatchObject({ state: 'unanswered' });
  });

  const boxes = (el: string): string => `<${el}><text>cat</text><group>1</group></${el}><${el}><text>mat</text><group>1</group></${el}><${el}><text>cat</text><group>1</group></${el}>`;

  it.each([['ddwtos', 'dragbox'], ['gapselect', 'selectoption']])('%s: an equal share per gap; the same text in the same group counts', (type, el) => {
    const q = question(type, 'The [[1]] sat on the [[2]] with a [[3]].', boxes(el));
    expect(scoreQuestion(q, ['1', '2', '3'])).toMatchObject({ state: 'correct', points: 1 });
    expect(scoreQuestion(q, ['3', '2', '1'])).toMatchObject({ state: 'correct' });
    expect(scoreQuestion(q, ['2', '2', '2'])).toMatchObject({ state: 'partial', fraction: 1 / 3, note: '1 of 3 gaps right.' });
  });

  it('three %33.33333% answers picked are full marks, not "partly correct"', () => {
    const extra = ['a', 'b', 'c'].map((t) => `<answer fraction="33.33333"><text>${t}</text></answer>`).join('') + '<answer fraction="0"><text>d</text></answer><single>false</single>';
    const q = question('multichoice', 'Pick three.', extra);
    expect(scoreQuestion(q, ['a', 'b', 'c'])).toMatchObject({ state: 'correct', points: 1 });
  });

  it('a QTI item with several interactions: each interaction scored, weighted by its best mapped score', () => {
    const xml = `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t" title="t" adaptive="false" timeDependent="false">
      <responseDeclaration identifier="C" cardinality="single" baseType="identifier"><correctResponse><value>p</value></correctResponse></responseDeclaration>
      <responseDeclaration identifier="Y" cardinality="single" baseType="integer"><correctResponse><value>1889</value></correctResponse>
        <mapping defaultValue="0"><mapEntry mapKey="1889" mappedValue="3"/></mapping></responseDeclaration>
      <itemBody><p>In <inlineChoiceInteraction responseIdentifier="C"><inlineChoice identifier="l">Lyon</inlineChoice><inlineChoice identifier="p">Paris</inlineChoice></inlineChoiceInteraction>
        since <textEntryInteraction responseIdentifier="Y"/>.</p></itemBody></assessmentItem>`;
    const q = accepted(parseText('i.xml', xml)).quiz.questions[0] as Question;
    expect(scoreQuestion(q, ['p', '1889'])).toMatchObject({ state: 'correct', points: 1 });
    expect(scoreQuestion(q, ['l', '1889'])).toMatchObject({ state: 'partial', fraction: 3 / 4 });
    expect(scoreQuestion(q, ['p', '1890'])).toMatchObject({ state: 'partial', fraction: 1 / 4 });
  });

  it('matching with <p>-wrapped prompts (as Moodle XML writes them): the right answer is one line of pairs', () => {
    const sub = (prompt: string, answer: string) => `<subquestion format="html"><text><![CDATA[<p dir="ltr">${prompt}</p>]]></text><answer><text>${answer}</text></answer></subquestion>`;
    const q = question('matching', '<p>Match the organelle to its job.</p>', sub('<strong>Ribosome</strong>', 'makes proteins') + sub('Nucleus', 'stores DNA'));
    const result = scoreQuestion(q, ['stores DNA', 'makes proteins']);
    expect(result).toMatchObject({ state: 'incorrect' });
    const html = renderResult(q, result);
    expect(html).toContain('<span class="label">Right answer:</span> <span class="rich"><strong>Ribosome</strong> → makes proteins; Nucleus → stores DNA</span>');
    // The form's prompts are inline too: a <p> inside a <label> is not valid HTML.
    expect(renderQuiz({ version: 1, questions: [q] }, 'm')).toContain('class="match-prompt rich"><strong>Ribosome</strong></label>');
  });
});
