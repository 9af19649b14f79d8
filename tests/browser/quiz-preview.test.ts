/**
 * Quizzes as Moodle users write them, in the preview in Chromium: `lectern dev` running, a Moodle
 * XML quiz dropped into a lesson; its TeX is typeset as MathML (one <math> per formula, which
 * screen readers read), with nothing loaded from outside the machine.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launchBrowser, runLectern, screenshot, type Browser, type DomDocument, type Lectern } from './browser.js';

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

let dir: string;
let base: string;
let dev: Lectern;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lectern-quiz-preview-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  browser = await launchBrowser(() => [base]);
  page = await browser.context.newPage();
  dev = runLectern(['dev', '--port', String(port), '--state-dir', 'state', '--poll-ms', '100'], dir);
  await dev.waitFor(/serving http:\/\/127\.0\.0\.1:\d+/);
  await mkdir(path.join(dir, 'state/uploads', LESSON), { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await dev?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

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
});
