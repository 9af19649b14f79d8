/**
 * The "Upcoming classes" board on the preview's front page, in Chromium: `lectern dev` running, a
 * course whose class is three hours away expects a quiz (uploaded broken) and slides (not
 * uploaded); the board says the lesson is at risk, why, and links to the rejected file. Then the
 * quiz is fixed and the slides uploaded: the board says ready.
 */
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_GIFT, makeTextPdf } from '../helpers/upload-fixtures.js';
import { previewCatalog, screenshot, startDevPreview, type DevPreview, type Lectern } from './browser.js';

declare const location: { hash: string };

let preview: DevPreview;
let dir: string;
let base: string;
let dev: Lectern;
let page: Page;

async function readinessState(): Promise<string | undefined> {
  return (await previewCatalog(base)).readiness?.[0]?.state;
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 240_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not happen in time\n${dev.output()}`);
}

beforeAll(async () => {
  preview = await startDevPreview('lectern-classes-');
  ({ dir, base, dev, page } = preview);
});

afterAll(() => preview?.close());

// Bounds for a busy two-core machine: each step ends as soon as what it waits for is there.
describe('lectern dev: upcoming classes', { timeout: 300_000 }, () => {
  const lesson = () => path.join(dir, 'state/uploads/courses/chem-101/lessons/week-1');

  it('shows an at-risk class with what is missing and why, linked to the rejected file', async () => {
    await mkdir(lesson(), { recursive: true });
    await cp('examples/broken/broken-quiz.gift', path.join(lesson(), 'quiz.gift'));
    const classAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
    await writeFile(
      path.join(dir, 'state/uploads/courses/chem-101/course.yaml'),
      `title: Chemistry 101\ntimeZone: Europe/Paris\nlessons:\n  - slug: week-1\n    title: Atoms\n    scheduledAt: ${classAt}\n    expects: [quiz.gift, slides.pdf]\n`,
    );
    await until(async () => (await readinessState()) === 'at-risk', 'the class showing at risk');
    await page.goto(`${base}/#/`);
    const board = page.locator('section.classes');
    await board.getByText('quiz.gift').first().waitFor({ timeout: 120_000 });
    await expect(board.getByRole('heading', { name: 'Upcoming classes' }).isVisible()).resolves.toBe(true);
    await page.waitForFunction(() => /rejected/.test(document.querySelector('section.classes')?.textContent ?? ''), undefined, { timeout: 120_000 });
    const text = await board.innerText();
    expect(text).toContain('At risk');
    expect(text).toContain('Chemistry 101 › Atoms');
    expect(text).toMatch(/quiz\.gift: rejected — Line \d+, column \d+ .*no correct answer/);
    expect(text).toContain('slides.pdf: not uploaded');
    expect(text).toMatch(/GMT\+1|GMT\+2|CET|CEST/); // the class time in the course's own zone
    await screenshot(page, 'classes-01-at-risk');
    await board.getByRole('link', { name: 'quiz.gift' }).click();
    await page.waitForFunction(() => location.hash === '#/courses/chem-101/lessons/week-1/files/quiz.gift');
    await expect(page.locator('#view').innerText()).resolves.toMatch(/line \d+, column \d+/);
  });

  it('turns ready once the quiz is fixed and the slides are uploaded', async () => {
    await writeFile(path.join(lesson(), 'quiz.gift'), GOOD_GIFT);
    await writeFile(path.join(lesson(), 'slides.pdf'), await makeTextPdf({ title: 'Atoms' }));
    await until(async () => (await readinessState()) === 'ready', 'the class becoming ready');
    await page.goto(`${base}/#/`);
    await page.waitForFunction(() => /Ready/.test(document.querySelector('section.classes')?.textContent ?? ''), undefined, { timeout: 120_000 });
    const text = await page.locator('section.classes').innerText();
    expect(text).toContain('Ready');
    expect(text).not.toContain('not uploaded');
    await screenshot(page, 'classes-02-ready');
  });
});

declare const document: { querySelector(selector: string): { textContent: string | null } | null };
