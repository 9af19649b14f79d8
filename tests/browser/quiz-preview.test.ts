/**
 * Quizzes as Moodle users write them, in the preview in Chromium: `lectern dev` running, a Moodle
 * XML quiz dropped into a lesson. Its TeX is typeset as MathML (one <math> per formula, which
 * screen readers read); Cloze, drag-and-drop into text and select-missing-words questions are
 * answered in their gaps and scored; its embedded images are extracted, published beside
 * quiz.json and load. A GIFT quiz's image uploaded next to it loads from the quiz's own files/,
 * and a QTI item with two interactions is answered and scored gap by gap. Nothing is loaded from
 * outside the machine.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng } from '../helpers/make-image.js';
import { screenshot, startDevPreview, unnamedControls, type Browser, type DevPreview, type DomDocument, type Lectern } from './browser.js';

declare const document: DomDocument;

const LESSON = 'courses/physics-101/lessons/week-1';

/** Six formulas, one per delimiter and in every place a learner sees at first: stem, choices. */
const MATH_XML = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Energy</text></name>
    <questiontext format="html"><text><![CDATA[<p>Given \\( E = mc^2 \\) and $$ \\frac{a}{b} < 1 $$, which is right?</p><p>\\[ \\sqrt{2} \\approx 1.41 \\]</p>]]></text></questiontext>
    <single>true</single>
    <answer fraction="100"><text><![CDATA[[tex]\\alpha + \\beta[/tex]]]></text></answer>
    <answer fraction="0"><text><![CDATA[\\( x_1 \\)]]></text></answer>
    <answer fraction="0"><text><![CDATA[Neither of \\( \\pi \\)]]></text></answer>
  </question>
</quiz>
`;

/** A Cloze with every sub-question kind, a drag-and-drop into text and a select-missing-words. */
const GAPS_XML = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="cloze">
    <name><text>Geography cloze</text></name>
    <questiontext format="html"><text><![CDATA[<p>The capital of France is {1:SHORTANSWER:=Paris}. Two and two make {1:NUMERICAL:=4:0}. The sky is {1:MULTICHOICE:=blue~green}. Is water wet? {1:MULTICHOICE_V:=yes~no}. Noble gases: {2:MULTIRESPONSE:%50%Neon~%50%Argon~%-100%Iron}</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
  </question>
  <question type="ddwtos">
    <name><text>Cat drag</text></name>
    <questiontext format="html"><text><![CDATA[<p>The [[1]] sat on the [[3]] [[2]].</p>]]></text></questiontext>
    <dragbox><text>cat</text><group>1</group></dragbox>
    <dragbox><text>mat</text><group>1</group><infinite/></dragbox>
    <dragbox><text>red</text><group>2</group></dragbox>
  </question>
  <question type="gapselect">
    <name><text>Cat select</text></name>
    <questiontext format="html"><text><![CDATA[<p>The [[1]] is [[3]].</p>]]></text></questiontext>
    <selectoption><text>cat</text><group>1</group></selectoption>
    <selectoption><text>mat</text><group>1</group></selectoption>
    <selectoption><text>red</text><group>2</group></selectoption>
  </question>
</quiz>
`;

/** Two PNGs made here, embedded as Moodle exports them: base64 <file>s linked by @@PLUGINFILE@@. */
function imagesXml(): string {
  const file = (name: string, png: Uint8Array) => `<file name="${name}" path="/" encoding="base64">${Buffer.from(png).toString('base64')}</file>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Flags</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which flag is red? <img src="@@PLUGINFILE@@/red%20flag.png" alt="a red square"></p>]]></text>${file('red flag.png', solidPng(24, 16, [200, 0, 0]))}</questiontext>
    <single>true</single>
    <answer fraction="100" format="html"><text><![CDATA[<img src="@@PLUGINFILE@@/blue.png" alt="a blue square"> This one]]></text>${file('blue.png', solidPng(12, 12, [0, 0, 200]))}</answer>
    <answer fraction="0"><text>None</text></answer>
  </question>
</quiz>
`;
}

let preview: DevPreview;
let dir: string;
let base: string;
let dev: Lectern;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  preview = await startDevPreview('lectern-quiz-preview-');
  ({ dir, base, dev, browser, page } = preview);
  await mkdir(path.join(dir, 'state/uploads', LESSON), { recursive: true });
});

afterAll(() => preview?.close());

/** Drops `name` into the lesson and opens its card once the quiz form is rendered. */
async function openQuiz(name: string, body: string | Uint8Array) {
  await writeFile(path.join(dir, 'state/uploads', LESSON, name), body);
  await page.goto(`${base}/#/${LESSON}`);
  const form = page.locator(`article[data-file="${name}"] form.quiz`);
  await form.waitFor({ timeout: 240_000 }).catch((error: Error) => {
    throw new Error(`${error.message}\n${dev.output()}`);
  });
  return form;
}

// Bounds for a busy two-core machine: each step ends as soon as what it waits for is there.
describe('lectern dev: quizzes with math, cloze, gaps and images', { timeout: 300_000 }, () => {
  it('typesets every TeX formula as MathML, no raw TeX left', async () => {
    const form = await openQuiz('energy.xml', MATH_XML);
    const maths = await form.evaluate((el) =>
      Array.from((el as unknown as DomDocument).querySelectorAll('math')).map((m) => [m.getAttribute('display'), m.querySelectorAll('annotation')[0]?.textContent ?? '']),
    );
    expect(maths).toEqual([
      [null, 'E = mc^2'],
      ['block', '\\frac{a}{b} < 1'],
      ['block', '\\sqrt{2} \\approx 1.41'],
      [null, '\\alpha + \\beta'],
      [null, 'x_1'],
      [null, '\\pi'],
    ]);
    const text = await form.innerText();
    expect(text).not.toMatch(/\\\(|\\\[|\$\$|\[tex\]/);
    expect(await page.evaluate(() => document.querySelectorAll('.tex-error').length)).toBe(0);
    expect(browser.refused).toEqual([]);
    await screenshot(page, 'quiz-math');
  });

  it('renders Cloze, drag-and-drop and select-missing-words gaps in the text, answers and scores them', async () => {
    const form = await openQuiz('gaps.xml', GAPS_XML);
    const q = (n: number) => form.locator('li.question').nth(n);
    // Cloze: a text box, a number box, a drop-down, radio buttons and checkboxes, inside the sentence.
    const cloze = q(0);
    await cloze.getByRole('textbox', { name: 'Gap 1' }).fill('Paris');
    await cloze.getByRole('textbox', { name: 'Gap 2' }).fill('5');
    await cloze.getByRole('combobox', { name: 'Gap 3' }).selectOption({ label: 'blue' });
    await cloze.getByRole('group', { name: 'Gap 4' }).getByRole('radio', { name: 'yes' }).check();
    await cloze.getByRole('group', { name: 'Gap 5' }).getByRole('checkbox', { name: 'Neon' }).check();
    await cloze.getByRole('group', { name: 'Gap 5' }).getByRole('checkbox', { name: 'Argon' }).check();
    await expect(cloze.locator('.q-stem').innerText()).resolves.toMatch(/^The capital of France is\s*\.\s*Two and two make/);
    // Drag and drop into text: the words to place are shown; each gap offers its group's words.
    const drag = q(1);
    await expect(drag.locator('.word-pool li').allInnerTexts()).resolves.toEqual(['cat', 'mat', 'red']);
    await expect(drag.getByRole('combobox', { name: 'Gap 2' }).locator('option').allInnerTexts()).resolves.toEqual(['Choose…', 'red']);
    await drag.getByRole('combobox', { name: 'Gap 1' }).selectOption({ label: 'cat' });
    await drag.getByRole('combobox', { name: 'Gap 2' }).selectOption({ label: 'red' });
    await drag.getByRole('combobox', { name: 'Gap 3' }).selectOption({ label: 'mat' });
    // Select missing words: one wrong of two.
    const select = q(2);
    await select.getByRole('combobox', { name: 'Gap 1' }).selectOption({ label: 'mat' });
    await select.getByRole('combobox', { name: 'Gap 2' }).selectOption({ label: 'red' });

    await form.getByRole('button', { name: 'Check all answers' }).click();
    await form.locator('.quiz-total strong').waitFor();
    await expect(cloze.locator('.q-result').innerText()).resolves.toMatch(/^Partly correct — [\d.]+ \/ [\d.]+ points?\. 4 of 5 gaps right\.[\s\S]*Right answer: gap 1: Paris; gap 2: 4; gap 3: blue; gap 4: yes; gap 5: Neon, Argon/);
    await expect(drag.locator('.q-result').innerText()).resolves.toMatch(/^Correct — 1 \/ 1 point\. 3 of 3 gaps right\./);
    await expect(select.locator('.q-result').innerText()).resolves.toMatch(/^Partly correct — 0\.5 \/ 1 point\. 1 of 2 gaps right\.[\s\S]*Right answer: gap 1: cat; gap 2: red/);
    await expect(form.locator('.quiz-total').innerText()).resolves.toMatch(/^Score: [\d.]+ of [\d.]+ points \(\d+%\) · 3 of 3 questions answered$/);
    await screenshot(page, 'quiz-gaps-scored');
  });

  it('shows the images extracted from the quiz: every one loads, served from files/ beside quiz.json', async () => {
    const form = await openQuiz('flags.xml', imagesXml());
    const images = form.locator('img');
    await expect(images.count()).resolves.toBe(2);
    const loaded = async () =>
      form.evaluate((el) =>
        Array.from((el as unknown as { querySelectorAll(s: string): ArrayLike<{ complete: boolean; naturalWidth: number; src: string; alt: string }> }).querySelectorAll('img')).map((img) => ({
          complete: img.complete,
          naturalWidth: img.naturalWidth,
          src: img.src,
          alt: img.alt,
        })),
      );
    await page.waitForFunction(
      () => Array.from(document.querySelectorAll('article[data-file="flags.xml"] form.quiz img') as unknown as ArrayLike<{ complete: boolean }>).every((img) => img.complete),
      undefined,
      { timeout: 60_000 },
    );
    const seen = await loaded();
    expect(seen.map((img) => [img.alt, img.naturalWidth])).toEqual([
      ['a red square', 24],
      ['a blue square', 12],
    ]);
    for (const img of seen) expect(img.src).toMatch(new RegExp(`^${base}/.+/files/[0-9a-f]{12}\\.png$`));
    expect(browser.refused).toEqual([]);
    await screenshot(page, 'quiz-images');
  });

  it('shows an image uploaded next to a GIFT quiz, from the quiz\'s own files/, and the image itself as a lesson upload', async () => {
    await writeFile(path.join(dir, 'state/uploads', LESSON, 'leaf.png'), solidPng(20, 10, [0, 140, 0]));
    const form = await openQuiz('leaf.gift', '::Leaf:: [html]<p>What colour is this leaf? <img src="leaf.png" alt="a green leaf"></p> {=green ~red}\n');
    await page.waitForFunction(
      () => Array.from(document.querySelectorAll('article[data-file="leaf.gift"] form.quiz img') as unknown as ArrayLike<{ complete: boolean }>).every((img) => img.complete),
      undefined,
      { timeout: 60_000 },
    );
    const img = await form.locator('img').evaluate((el) => {
      const image = el as unknown as { naturalWidth: number; src: string; alt: string };
      return { width: image.naturalWidth, src: image.src, alt: image.alt };
    });
    expect(img).toMatchObject({ width: 20, alt: 'a green leaf' });
    expect(img.src).toMatch(new RegExp(`^${base}/.+/leaf\\.gift/[0-9a-f]{16}/files/[0-9a-f]{12}\\.png$`));
    const card = page.locator('article[data-file="leaf.png"] figure.lesson-image img');
    await card.waitFor({ timeout: 120_000 });
    await expect(card.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).resolves.toBe(20);
    expect(browser.refused).toEqual([]);
  });

  it('answers and scores a QTI item with two interactions, each in its place', async () => {
    const item = `<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="tower" title="Tower" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="CITY" cardinality="single" baseType="identifier"><correctResponse><value>paris</value></correctResponse></responseDeclaration>
  <responseDeclaration identifier="YEAR" cardinality="single" baseType="integer"><correctResponse><value>1889</value></correctResponse></responseDeclaration>
  <itemBody><p>The Eiffel tower stands in <inlineChoiceInteraction responseIdentifier="CITY"><inlineChoice identifier="lyon">Lyon</inlineChoice><inlineChoice identifier="paris">Paris</inlineChoice></inlineChoiceInteraction> and was finished in <textEntryInteraction responseIdentifier="YEAR"/>.</p></itemBody>
</assessmentItem>
`;
    const form = await openQuiz('tower.xml', item);
    const q = form.locator('li.question').first();
    await expect(q.locator('.q-stem').innerText()).resolves.toMatch(/^The Eiffel tower stands in[\s\S]*and was finished in\s*\.$/);
    await q.getByRole('combobox', { name: 'Gap 1' }).selectOption({ label: 'Paris' });
    await q.getByRole('textbox', { name: 'Gap 2' }).fill('1890');
    await form.getByRole('button', { name: 'Check all answers' }).click();
    await form.locator('.quiz-total strong').waitFor();
    await expect(q.locator('.q-result').innerText()).resolves.toMatch(/^Partly correct — 0\.5 \/ 1 point\. 1 of 2 gaps right\.[\s\S]*Right answer: gap 1: Paris; gap 2: 1889/);
  });

  it('drag and drop into text: a word dragged onto a gap of its group fills it, one of another group is refused', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="ddwtos">
    <name><text>Drag</text></name>
    <questiontext format="html"><text><![CDATA[<p>The [[1]] sat on the [[2]] under a [[3]] sky.</p>]]></text></questiontext>
    <dragbox><text>cat</text><group>1</group></dragbox>
    <dragbox><text>mat</text><group>1</group></dragbox>
    <dragbox><text>blue</text><group>2</group></dragbox>
  </question>
</quiz>
`;
    const form = await openQuiz('drag.xml', xml);
    const word = (text: string) => form.locator('.word-pool li', { hasText: text });
    const gap = (n: number) => form.getByRole('combobox', { name: `Gap ${n}` });
    await word('cat').dragTo(gap(1));
    await word('mat').dragTo(gap(2));
    await word('cat').dragTo(gap(3)); // group 1 into a group-2 gap: refused
    await expect(Promise.all([1, 2, 3].map((n) => gap(n).inputValue()))).resolves.toEqual(['1', '2', '']);
    await word('blue').dragTo(gap(3));
    await form.getByRole('button', { name: 'Check all answers' }).click();
    await expect(form.locator('.q-result').innerText()).resolves.toMatch(/^Correct — 1 \/ 1 point\. 3 of 3 gaps right\./);
  });

  it('names every gap control and keeps WCAG AA colour contrast with math, gaps and results shown (axe-core)', async () => {
    await page.goto(`${base}/#/${LESSON}`);
    for (const name of ['energy.xml', 'gaps.xml', 'flags.xml']) await page.locator(`article[data-file="${name}"] form.quiz`).waitFor({ timeout: 120_000 });
    await page.locator('article[data-file="gaps.xml"]').getByRole('button', { name: 'Check all answers' }).click();
    await expect(unnamedControls(page)).resolves.toEqual([]);
    // Evaluated through the DevTools protocol: the page's CSP, which forbids inline scripts, stays on.
    await page.evaluate(await readFile(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run(options: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[]; failureSummary: string }> }> }> } }).axe.run({
        runOnly: { type: 'rule', values: ['color-contrast'] },
      });
      return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary}`));
    });
    expect(violations).toEqual([]);
  });
});
