/**
 * HTML safety, tested the way an attacker would try it: known XSS vectors (OWASP cheat-sheet
 * style) placed in every rich-text field of every format; the serialised quiz must carry none
 * of them, and the report must say that something was removed.
 */
import { describe, expect, it } from 'vitest';
import type { QuizResult } from '../../../shared/quiz/parse-quiz.js';
import { sanitizeQuizHtml } from '../../../shared/quiz/sanitize-html.js';
import { accepted, parseText } from './helpers.js';
import { XML_XSS_VECTORS, XSS_VECTORS } from './xss-vectors.js';


/** What must never survive into any field of a published quiz. */
const DANGER = [/<script/i, /\son\w+\s*=/i, /javascript:/i, /vbscript:/i, /<iframe/i, /<object/i, /<embed/i, /<form/i, /<svg/i, /<style/i, /expression\(/i];

/** The published quiz (every field, serialised) carries nothing dangerous, and the report says what went. */
function expectSafe(result: QuizResult, options: { mayBeMalformed?: boolean } = {}): void {
  if (!result.ok) {
    // Markup the format cannot even parse is refused as a whole: nothing is published.
    expect(options.mayBeMalformed, JSON.stringify(result.reasons)).toBe(true);
    expect(result.reasons.map((r) => r.code)).toContain('quiz.syntax');
    return;
  }
  const json = JSON.stringify(result.quiz);
  for (const pattern of DANGER) expect(json, `${pattern} in ${json.slice(0, 600)}`).not.toMatch(pattern);
  expect(result.warnings.map((w) => w.code)).toContain('quiz.html-sanitised');
}

describe('sanitising: every XSS vector, every format, every field', () => {
  it.each(XSS_VECTORS)('GIFT [html]: %s', (vector) => {
    const gift = (v: string) => v.replace(/[\\~=#{}:]/g, (c) => `\\${c}`);
    const text = `::T::[html]Stem ${gift(vector)}{\n=[html]right ${gift(vector)}#[html]fb ${gift(vector)}\n~[html]wrong ${gift(vector)}\n####[html]general ${gift(vector)}\n}`;
    // GIFT has no escape for '->', so a vector containing it reads as a broken matching question.
    expectSafe(parseText('x.gift', text), { mayBeMalformed: vector.includes('->') });
  });

  it.each(XSS_VECTORS)('native YAML (html): %s', (vector) => {
    const yaml = JSON.stringify({
      title: vector,
      questions: [
        {
          type: 'multiple-choice',
          title: vector,
          stem: `Stem ${vector}`,
          feedback: { general: vector, correct: vector },
          choices: [{ text: `right ${vector}`, correct: true, feedback: vector }, `wrong ${vector}`],
        },
        { type: 'true-false', stem: `S ${vector}`, correct: true, trueFeedback: vector, falseFeedback: vector },
        { type: 'matching', stem: `S ${vector}`, pairs: [{ prompt: `p ${vector}`, answer: `a ${vector}` }, { prompt: 'q', answer: 'b' }], distractors: [vector] },
        { type: 'short-answer', stem: `S ${vector}`, answers: [`ok ${vector}`] },
        { type: 'essay', stem: `S ${vector}`, graderInfo: vector, responseTemplate: vector },
      ],
    });
    expectSafe(parseText('x.quiz.json', yaml));
  });

  it.each(XSS_VECTORS)('native Markdown: %s', (vector) => {
    expectSafe(parseText('x.quiz.json', JSON.stringify({ format: 'markdown', questions: [{ type: 'description', stem: `# Title\n\n${vector}\n\n[link](javascript:alert(1))` }] })));
  });

  it.each(XSS_VECTORS)('Moodle XML: %s', (vector) => {
    const cdata = `<![CDATA[${vector.replace(/]]>/g, '')}]]>`;
    const xml = `<quiz><question type="multichoice"><name><text>${cdata}</text></name>
      <questiontext format="html"><text>Stem ${cdata}</text></questiontext>
      <generalfeedback format="html"><text>${cdata}</text></generalfeedback>
      <answer fraction="100" format="html"><text>right ${cdata}</text><feedback format="html"><text>${cdata}</text></feedback></answer>
      <answer fraction="0" format="html"><text>wrong ${cdata}</text></answer></question></quiz>`;
    expectSafe(parseText('x.xml', xml));
  });

  it.each(XML_XSS_VECTORS)('QTI (as well-formed markup in the item body): %s', (vector) => {
    const xml = `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" xmlns:xlink="http://www.w3.org/1999/xlink" identifier="i" title="t">
      <responseDeclaration identifier="R" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>
      <itemBody><div>${vector}</div><choiceInteraction responseIdentifier="R"><prompt>Pick</prompt>
      <simpleChoice identifier="A">a <span>${vector}</span></simpleChoice><simpleChoice identifier="B">b</simpleChoice></choiceInteraction></itemBody></assessmentItem>`;
    expectSafe(parseText('x.xml', xml));
  });
});

describe('sanitising: what the educator is told, and what is kept', () => {
  it('QTI: tag-splitting markup escaped in the item body stays text, never becomes a script', () => {
    const split = '&lt;scr&lt;script&gt;ipt&gt;alert(1)&lt;/scr&lt;/script&gt;ipt&gt;';
    const xml = `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="i" title="t">
      <responseDeclaration identifier="R" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>
      <itemBody><p>${split}</p><choiceInteraction responseIdentifier="R"><prompt>Pick</prompt>
      <simpleChoice identifier="A">a</simpleChoice><simpleChoice identifier="B">b</simpleChoice></choiceInteraction></itemBody></assessmentItem>`;
    const { quiz } = accepted(parseText('x.xml', xml));
    const json = JSON.stringify(quiz);
    expect(json).not.toMatch(/<script/i);
    expect(json).toContain('&lt;scr&lt;script&gt;ipt&gt;');
  });

  it('warns with the question’s line and names what was removed', () => {
    const text = '::Safe::Fine.{T}\n\n::Bad::[html]Look <img src\\="pic.png" onerror\\="alert(1)"><script>steal()</script>{T}';
    const { quiz, warnings } = accepted(parseText('x.gift', text));
    expect(warnings.map((w) => [w.code, w.line])).toEqual([['quiz.html-sanitised', 3]]);
    expect(warnings[0]?.message).toContain('onerror');
    expect(warnings[0]?.message).toContain('<script>');
    expect(quiz.questions[1]?.stem).toBe('Look <img src="pic.png" />');
  });

  it('keeps formatting, lists, tables, links, relative images, MathML and LaTeX without warnings', () => {
    const html =
      '<p style="text-align: center"><b>b</b> <i>i</i> <u>u</u> <sub>2</sub><sup>3</sup></p><ul><li>one</li></ul><ol start="2"><li>two</li></ol>' +
      '<table><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2">d</td></tr></tbody></table>' +
      '<a href="https://example.org/page">link</a> <a href="notes.pdf">notes</a> <img src="images/x.png" alt="x">' +
      '<math><mrow><mi>x</mi><mo>=</mo><mfrac><mn>1</mn><mn>2</mn></mfrac></mrow></math> \\(e^{i\\pi}+1=0\\) $$a^2$$';
    const result = sanitizeQuizHtml(html);
    expect(result.removed).toEqual([]);
    expect(result.html).toContain('<p style="text-align:center">');
    expect(result.html).toContain('<table>');
    expect(result.html).toContain('<a href="https://example.org/page">link</a>');
    expect(result.html).toContain('<img src="images/x.png" alt="x" />');
    expect(result.html).toContain('<mfrac><mn>1</mn><mn>2</mn></mfrac>');
    expect(result.html).toContain('\\(e^{i\\pi}+1=0\\) $$a^2$$');
    expect(result.assets).toEqual(['images/x.png']);
  });

  it('keeps images under the course’s published assets, removes other absolute images', () => {
    const policy = { assetBaseUrl: 'https://cdn.example.org/courses/bio' };
    expect(sanitizeQuizHtml('<img src="https://cdn.example.org/courses/bio/cell.png">', policy).html).toBe('<img src="https://cdn.example.org/courses/bio/cell.png" />');
    const other = sanitizeQuizHtml('<img src="https://cdn.example.org/courses/chem/x.png"><img src="//evil.example/x.png"><img src="/x.png">', policy);
    expect(other.html).toBe('');
    expect(other.removed.join(' ')).toContain('outside the course');
  });

  it('opens target=_blank links without giving the new page a handle on the LMS', () => {
    expect(sanitizeQuizHtml('<a href="https://example.org" target="_blank">x</a>').html).toBe(
      '<a href="https://example.org" target="_blank" rel="noopener noreferrer">x</a>',
    );
  });
});
