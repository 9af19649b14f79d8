/**
 * The preview page in a real browser (Debian Chromium through playwright-core), as an educator
 * uses it: `lectern dev` running, the example course and a broken quiz dropped into the uploads
 * folder, the page watched while they are processed. Then the same page built as static files
 * (`lectern preview --local --out`) and opened over HTTP and from file://.
 * Screenshots go to test-results/screenshots/.
 */
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewCatalog } from '../../local/preview/catalog.js';
import { makeMedia, requireFfmpeg } from '../helpers/make-media.js';
import { offMachine, playMuted, previewCatalog, runLectern, screenshot, serveFolder, startDevPreview, unnamedControls, waitForHls, type Browser, type DevPreview, type DomDocument, type DomElement, type Lectern } from './browser.js';

// In-page callbacks run in the browser; these shapes type them (the project has no DOM library).
interface VideoLike {
  currentTime: number;
  currentSrc: string;
  muted: boolean;
  play(): Promise<void>;
  textTracks: ArrayLike<{ kind: string; language: string; label: string; mode: string; cues: { length: number } | null }>;
}
declare const document: DomDocument;
declare const location: { hash: string };
declare function getComputedStyle(el: DomElement): { outlineStyle: string; outlineWidth: string };

const COURSE = 'examples/courses/intro-to-biology';
const LESSON = 'courses/intro-to-biology/lessons/cells';
const VIDEO_KEY = `${LESSON}/cell-division.mp4`;
const withVideo = requireFfmpeg();

let preview: DevPreview;
let dir: string;
let base: string;
let dev: Lectern;
let browser: Browser;
let page: Page;
const expectedKeys: string[] = [];

const catalog = (): Promise<PreviewCatalog> => previewCatalog(base);

function keysIn(c: PreviewCatalog): Map<string, string> {
  const keys = new Map<string, string>();
  for (const course of c.courses) {
    for (const u of course.uploads.slice(0, 1)) keys.set(u.key, u.status);
    for (const lesson of course.lessons) for (const a of lesson.assets) keys.set(`courses/${course.slug}/lessons/${lesson.slug}/${a.fileName}`, a.state);
  }
  return keys;
}

/** Waits until every dropped file has an outcome (nothing processing). */
async function settled(timeoutMs = 280_000): Promise<PreviewCatalog> {
  const started = Date.now();
  let last: Map<string, string> | undefined;
  while (Date.now() - started < timeoutMs) {
    const c = await catalog();
    last = keysIn(c);
    if (expectedKeys.every((k) => last?.has(k) && last.get(k) !== 'processing')) return c;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`uploads not processed in time: ${JSON.stringify(Object.fromEntries(last ?? []))}\n${dev.output()}`);
}

async function filesUnder(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesUnder(root, rel)));
    else out.push(rel);
  }
  return out;
}

beforeAll(async () => {
  preview = await startDevPreview('lectern-preview-');
  ({ dir, base, dev, browser, page } = preview);
});

afterAll(() => preview?.close());

// Bounds for a busy two-core machine: each test ends as soon as what it waits for is there.
describe('lectern dev: the preview page', { timeout: 300_000 }, () => {
  it('lists the example course, updating live while the files are processed', async () => {
    await page.goto(`${base}/`);
    await expect(page.getByRole('heading', { level: 1, name: 'Course preview' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('#view').innerText()).resolves.toMatch(/Nothing uploaded yet/);
    await screenshot(page, '01-empty');

    // Drop the example course, a broken quiz and the lecture video into the uploads folder.
    const uploads = path.join(dir, 'state/uploads');
    await mkdir(path.join(uploads, LESSON), { recursive: true });
    await cp(COURSE, path.join(uploads, 'courses/intro-to-biology'), { recursive: true, filter: (src) => !/\.(mp4|mov|m4v|mkv|webm)$/.test(src) });
    await cp('examples/broken/broken-quiz.gift', path.join(uploads, LESSON, 'broken-quiz.gift'));
    if (withVideo) {
      // The example lecture video if the repository has one, else any short MP4 made here.
      const example = path.join(COURSE, 'lessons/cells/cell-division.mp4');
      await writeFile(path.join(uploads, VIDEO_KEY), existsSync(example) ? await readFile(example) : await makeMedia({ duration: 4 }));
    }
    expectedKeys.push(...(await filesUnder(uploads)).filter((k) => k.startsWith('courses/') && !k.includes('/_')));

    // The page follows by itself (no reload): the course appears under its course.yaml title.
    await page.getByRole('link', { name: 'Introduction to Biology', exact: true }).waitFor({ timeout: 120_000 });
    const c = await settled();
    await page.waitForFunction(() => !document.querySelector('.count-processing .count-n') || document.querySelector('.count-processing .count-n')?.textContent === '0', undefined, { timeout: 120_000 });
    await page.waitForTimeout(1500); // one more poll
    const text = await page.locator('#view').innerText();
    expect(text).toContain('Introduction to Biology');
    expect(text).toContain('intro-to-biology');
    expect(text).toMatch(/2 lessons/);
    expect(c.summary.rejected).toBe(1);
    expect(c.summary.failed).toBe(0);
    await expect(page.locator('.source-live').innerText()).resolves.toMatch(/live · updated/);
    await screenshot(page, '02-home');
  });

  it('answers lectern status --local --json and lectern run on the same folder while it runs', async () => {
    // Another terminal, same state folder, dev still serving: status reads dev's database.
    const status = runLectern(['status', '--local', '--state-dir', 'state', '--json'], dir);
    await expect(status.exitCode()).resolves.toBe(0);
    const report = JSON.parse(status.output()) as { summary: { published: number; rejected: number; failed: number }; courses: Array<{ course: string }> };
    expect(report.summary).toMatchObject({ rejected: 1, failed: 0 });
    expect(report.summary.published).toBe(expectedKeys.length - 1);
    expect(report.courses.map((c) => c.course)).toEqual(['intro-to-biology']);

    // `lectern run` sends its upload to dev, which processes it; the open page shows it live.
    await page.goto(`${base}/#/courses/intro-to-biology/lessons/genetics`);
    await page.locator('form.quiz').first().waitFor();
    const file = path.join(dir, 'side-by-side.gift');
    await writeFile(file, '::Side::Dominant alleles are written in {=upper case ~lower case}.\n');
    const run = runLectern(['run', file, '--course', 'intro-to-biology', '--lesson', 'genetics', '--state-dir', 'state', '--verbose'], dir);
    await expect(run.exitCode()).resolves.toBe(0);
    expect(run.output()).toMatch(/is open in lectern dev \(pid \d+\); sending the uploads there/);
    expect(run.output()).toMatch(/✓ published\s+courses\/intro-to-biology\/lessons\/genetics\/side-by-side\.gift/);
    expect(run.output()).toContain(`browse it at ${base}/ (lectern dev is serving state)`);
    await dev.waitFor(/published courses\/intro-to-biology\/lessons\/genetics\/side-by-side\.gift → http:\/\/127\.0\.0\.1:\d+\//);
    await page.locator('article[data-file="side-by-side.gift"] .badge', { hasText: 'Published' }).waitFor({ timeout: 120_000 });
    expect(dev.child.exitCode).toBeNull();
    expectedKeys.push('courses/intro-to-biology/lessons/genetics/side-by-side.gift');
    expect((await settled()).summary).toMatchObject({ rejected: 1, failed: 0 });
  });

  it('lists lessons in course.yaml order with each file and its status', async () => {
    await page.getByRole('link', { name: 'Introduction to Biology', exact: true }).click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('view-title');
    const lessons = page.locator('.lesson-card-title');
    await expect(lessons.allInnerTexts()).resolves.toEqual([expect.stringMatching(/Lesson 1\s+Cells: the unit of life/i), expect.stringMatching(/Lesson 2\s+Genetics basics/i)]);
    const status = (file: string) => page.locator('.asset-row', { has: page.getByRole('link', { name: file, exact: true }) }).locator('.badge').innerText();
    await expect(status('broken-quiz.gift')).resolves.toMatch(/Rejected$/);
    await expect(status('cell-structure.pdf')).resolves.toMatch(/Published$/);
    await expect(status('cell-division.en.vtt')).resolves.toMatch(/Published$/);
    await screenshot(page, '03-course');
  });

  it('shows a rejected upload with every reason, its line and column', async () => {
    await page.goto(`${base}/`);
    await page.locator('.attention-list a', { hasText: 'broken-quiz.gift' }).click();
    const card = page.locator('article[data-file="broken-quiz.gift"]');
    await card.waitFor();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-file'))).resolves.toBe('broken-quiz.gift');
    await expect(card.locator('.badge').first().innerText()).resolves.toMatch(/Rejected/);
    const reasons = await card.locator('.reason').allInnerTexts();
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/Line 4, column 1[\s\S]*no correct answer[\s\S]*quiz\.no-correct-answer/);
    expect(reasons[1]).toMatch(/Line 12, column 66[\s\S]*not closed[\s\S]*quiz\.syntax/);
    await expect(card.innerText()).resolves.toMatch(/Students do not see this file/);
    await card.screenshot({ path: path.resolve('test-results/screenshots/04-rejected.png') });
  });

  it('renders a quiz from its canonical JSON, answers it and scores it', async () => {
    await page.goto(`${base}/#/courses/intro-to-biology/lessons/cells`);
    const quiz = page.locator('article[data-file="cell-check.quiz.yaml"] form.quiz');
    await quiz.waitFor();
    const q = (n: number) => quiz.locator('li.question').nth(n);
    await q(0).getByRole('radio', { name: 'The cell membrane' }).check();
    await q(0).getByRole('button', { name: 'Check answer' }).click();
    await expect(q(0).locator('.q-result').innerText()).resolves.toMatch(/^Correct — 1 \/ 1 point[\s\S]*selectively permeable/);

    await q(1).getByRole('radio', { name: 'True' }).check(); // wrong: bacteria have no nucleus
    await q(1).getByRole('button', { name: 'Check answer' }).click();
    await expect(q(1).locator('.q-result').innerText()).resolves.toMatch(/^Incorrect — 0 \/ 1 point[\s\S]*Right answer: False[\s\S]*prokaryotes/);

    await q(2).getByLabel('Your answer').fill('  Chloroplast ');
    await q(3).getByLabel('Your answer (a number)').fill('100');
    await q(4).getByRole('combobox', { name: 'Robert Hooke' }).selectOption('named the cell');
    await q(4).getByRole('combobox', { name: 'Theodor Schwann' }).selectOption('cells come from cells');
    await quiz.getByRole('button', { name: 'Check all answers' }).click();
    await expect(q(2).locator('.q-result').innerText()).resolves.toMatch(/^Correct/);
    await expect(q(3).locator('.q-result').innerText()).resolves.toMatch(/^Correct[\s\S]*5 ÷ 0\.05 = 100/);
    await expect(q(4).locator('.q-result').innerText()).resolves.toMatch(/^Partly correct — 0\.33 \/ 1 point\. 1 of 3 matched correctly/);
    await expect(quiz.locator('.quiz-total').innerText()).resolves.toBe('Score: 3.33 of 5 points (67%) · 5 of 5 questions answered');
    await quiz.screenshot({ path: path.resolve('test-results/screenshots/05-quiz-scored.png') });

    // The GIFT quiz: multiple response with penalties, and an essay shown but not scored.
    const gift = page.locator('article[data-file="cell-basics.gift"] form.quiz');
    await gift.locator('li.question').nth(1).getByRole('checkbox', { name: 'Mitochondrion' }).check();
    await gift.locator('li.question').nth(1).getByRole('checkbox', { name: 'Cytoplasm' }).check();
    await gift.getByRole('button', { name: 'Check all answers' }).click();
    await expect(gift.locator('li.question').nth(1).locator('.q-result').innerText()).resolves.toMatch(/^Incorrect — 0 \/ 1 point/);
    await expect(gift.locator('li.question').nth(6).locator('.q-result').innerText()).resolves.toMatch(/Not scored/);
    await expect(gift.locator('.quiz-total').innerText()).resolves.toMatch(/1 essay not scored/);
  });

  it.runIf(withVideo)('plays the lecture video through hls.js, with its captions track, poster and thumbnails', async () => {
    await page.goto(`${base}/#/courses/intro-to-biology/lessons/cells/files/cell-division.mp4`);
    const card = page.locator('article[data-file="cell-division.mp4"]');
    const video = card.locator('video');
    await video.scrollIntoViewIfNeeded();
    await waitForHls(page, 'cell-division.mp4');
    await expect(video.getAttribute('poster')).resolves.toMatch(/\/poster\.jpg$/);
    await expect(card.locator('video > track[kind="captions"]').count()).resolves.toBe(1);
    await expect(card.locator('video > track').getAttribute('srclang')).resolves.toBe('en');
    await expect(card.locator('.thumb-strip img').count()).resolves.toBeGreaterThan(0);
    await expect(card.locator('.thumb-strip img').first().evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0)).resolves.toBe(true);

    await playMuted(page, 'cell-division.mp4');
    const state = await video.evaluate((el) => ({
      src: (el as unknown as VideoLike).currentSrc,
      tracks: Array.from((el as unknown as VideoLike).textTracks).map((t) => ({ kind: t.kind, language: t.language, label: t.label, mode: t.mode, cues: t.cues?.length ?? 0 })),
    }));
    expect(state.src).toMatch(/^blob:/); // MediaSource: hls.js, not the browser's own HLS or the MP4
    expect(state.tracks).toContainEqual({ kind: 'captions', language: 'en', label: 'English', mode: 'showing', cues: 3 });
    expect(browser.requests.some((u) => u === `${base}/_lectern/vendor/hls.js`)).toBe(true);
    expect(browser.requests.some((u) => /\/cell-division\.mp4\/[0-9a-f]+\/hls\/.*\.ts$/.test(u))).toBe(true);
    await card.screenshot({ path: path.resolve('test-results/screenshots/06-video.png') });
  });

  it.runIf(withVideo)('plays on the first press even when the player falls back to the MP4 under it', async () => {
    // The press lands while the player is still choosing (hls.js held back); then the stream cannot
    // be had (its playlists refused, as on file:// or a network that blocks them), and the player
    // gives the element the MP4 instead, a new load that aborts that play() without a pause event.
    const hlsScript = `${base}/_lectern/vendor/hls.js`;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(hlsScript, async (route) => {
      await held;
      await route.continue().catch(() => undefined); // the page may have moved on meanwhile
    });
    await page.route('**/*.m3u8', (route) => route.abort());
    try {
      const selector = 'article[data-file="cell-division.mp4"] video';
      // A new document, so hls.js is not loaded yet; not waiting for its load event, which waits for hls.js.
      await page.goto(`${base}/?first-press#/courses/intro-to-biology/lessons/cells/files/cell-division.mp4`, { waitUntil: 'domcontentloaded' });
      const video = page.locator(selector);
      await video.waitFor();
      await video.evaluate((el) => {
        const media = el as unknown as { muted: boolean; play(): Promise<void> };
        media.muted = true;
        void media.play().catch(() => undefined);
      });
      release();
      await page.waitForFunction((s) => document.querySelector(s)?.getAttribute('data-engine') === 'MP4 fallback', selector, { timeout: 120_000 });
      await page.waitForFunction((s) => (document.querySelector(s) as unknown as { currentTime: number } | null)!.currentTime > 0.5, selector, { timeout: 120_000 });
      const src = await video.evaluate((el) => (el as unknown as VideoLike).currentSrc);
      expect(src).toContain('/cell-division.mp4/'); // the published MP4 itself, not a MediaSource
      expect(src).not.toMatch(/^blob:/);
    } finally {
      release();
      await page.unroute(hlsScript);
      await page.unroute('**/*.m3u8');
    }
  });

  it.runIf(withVideo)('shows the transcript beside the video: each cue a button that plays from its start', async () => {
    await page.goto(`${base}/#/courses/intro-to-biology/lessons/cells/files/cell-division.mp4`);
    const card = page.locator('article[data-file="cell-division.mp4"]');
    const cues = card.locator('.transcript-cues button.cue');
    await cues.nth(2).waitFor({ timeout: 120_000 });
    await expect(card.locator('.transcript h3').innerText()).resolves.toMatch(/Transcript\s*\(English\)/i);
    await expect(cues.allTextContents()).resolves.toEqual([
      '0:00 Every cell comes from another cell.',
      '0:01 In mitosis, one cell divides into two.',
      '0:03 Each copy gets the same DNA.',
    ]);
    await card.locator('video').evaluate((el) => ((el as unknown as VideoLike).muted = true));
    await cues.nth(2).click();
    await page.waitForFunction(() => (document.querySelector('article[data-file="cell-division.mp4"] video') as unknown as VideoLike).currentTime >= 3, undefined, { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('article[data-file="cell-division.mp4"] .transcript-cues button.cue[aria-current="true"]')?.textContent?.includes('same DNA') === true, undefined, { timeout: 120_000 });
  });

  it('adds a new upload to an open lesson live, without disturbing the quiz being answered', async () => {
    await page.goto(`${base}/#/courses/intro-to-biology/lessons/cells`);
    const quiz = page.locator('article[data-file="cell-check.quiz.yaml"] form.quiz');
    await quiz.waitFor();
    await quiz.getByRole('radio', { name: 'The nucleus' }).check();
    await quiz.evaluate((form) => ((form as unknown as { marker?: string }).marker = 'same node'));
    await writeFile(path.join(dir, 'state/uploads', LESSON, 'extra.gift'), '::Extra::Cells divide by {=mitosis ~osmosis}.\n');
    const card = page.locator('article[data-file="extra.gift"]');
    await card.waitFor({ timeout: 120_000 });
    await card.locator('.badge', { hasText: 'Published' }).waitFor({ timeout: 120_000 });
    await card.locator('form.quiz').waitFor();
    await expect(quiz.getByRole('radio', { name: 'The nucleus' }).isChecked()).resolves.toBe(true);
    await expect(quiz.evaluate((form) => (form as unknown as { marker?: string }).marker)).resolves.toBe('same node');
    await expect(page.locator('#announcer').innerText()).resolves.toMatch(/extra\.gift: published/);
  });

  it('opens the PDF inline', async () => {
    await page.goto(`${base}/#/courses/intro-to-biology/lessons/cells/files/cell-structure.pdf`);
    const card = page.locator('article[data-file="cell-structure.pdf"]');
    const frame = card.locator('iframe');
    await frame.scrollIntoViewIfNeeded();
    const src = new URL((await frame.getAttribute('src')) as string, base).href;
    expect(src).toMatch(/\/cell-structure\.pdf\/[0-9a-f]{16}\/cell-structure\.pdf$/);
    await expect(frame.getAttribute('title')).resolves.toBe('cell-structure.pdf (PDF)');
    await page.waitForFunction((url) => performance.getEntriesByType('resource').some((e) => e.name === url), src, { timeout: 120_000 });
    const pdf = await fetch(src);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    await page.waitForTimeout(1500); // let the viewer paint
    await card.screenshot({ path: path.resolve('test-results/screenshots/07-pdf.png') });
  });

  it('is keyboard navigable, with a visible focus and a skip link', async () => {
    await page.goto(`${base}/`);
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement as DomElement;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return { text: el.textContent, visible: box.top >= 0 && box.height > 0, outline: style.outlineStyle, width: style.outlineWidth };
    });
    expect(skip).toMatchObject({ text: 'Skip to content', visible: true, outline: 'solid', width: '3px' });
    await screenshot(page, '08-skip-link', { fullPage: false });
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    // From the content, Tab reaches the first course link; Enter opens the course.
    let focused = '';
    for (let i = 0; i < 10 && focused !== 'Introduction to Biology'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (document.activeElement as DomElement).innerText);
    }
    expect(focused).toBe('Introduction to Biology');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#/courses/intro-to-biology');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Introduction to Biology');
  });

  it('names every control (a small accessibility check) on each view', async () => {
    for (const hash of ['#/', '#/courses/intro-to-biology', '#/courses/intro-to-biology/lessons/cells', '#/courses/intro-to-biology/lessons/genetics']) {
      await page.goto(`${base}/${hash}`);
      await page.waitForTimeout(300);
      if (hash.includes('lessons')) await page.locator('form.quiz').first().waitFor();
      expect({ hash, problems: await unnamedControls(page) }).toEqual({ hash, problems: [] });
    }
    await page.goto(`${base}/#/courses/intro-to-biology/lessons/cells`);
    await page.locator('form.quiz').first().waitFor();
    await screenshot(page, '09-lesson');
  });

  it('has WCAG AA colour contrast on every view (axe-core)', async () => {
    const axe = await readFile(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
    for (const hash of ['#/', '#/courses/intro-to-biology', '#/courses/intro-to-biology/lessons/cells', '#/courses/intro-to-biology/lessons/genetics', '#/courses/intro-to-biology/lessons/cells/files/broken-quiz.gift']) {
      await page.goto(`${base}/${hash}`);
      await page.locator('#view-title').waitFor();
      if (hash.includes('lessons')) await page.locator('form.quiz').first().waitFor();
      // Evaluated through the DevTools protocol: the page's CSP, which forbids inline scripts, stays on.
      await page.evaluate(axe);
      const violations = await page.evaluate(async () => {
        const result = await (globalThis as unknown as { axe: { run(options: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[]; failureSummary: string }> }> }> } }).axe.run({
          runOnly: { type: 'rule', values: ['color-contrast'] },
        });
        return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary}`));
      });
      expect({ hash, violations }).toEqual({ hash, violations: [] });
    }
  });

  it('sent no request off the machine', async () => {
    expect(browser.requests.length).toBeGreaterThan(10);
    expect(browser.refused).toEqual([]);
    expect(browser.requests.filter((u) => offMachine(u, [base]))).toEqual([]);
  });
});

describe('lectern preview --local --out: the same page as static files', { timeout: 300_000 }, () => {
  let out: string;
  beforeAll(async () => {
    await page.goto('about:blank'); // stop the live page polling the dev server
    out = path.join(dir, 'site');
    // With dev still running on the folder: the build reads dev's database.
    const build = runLectern(['preview', '--local', '--state-dir', 'state', '--out', 'site'], dir);
    await expect(build.exitCode()).resolves.toBe(0);
    expect(build.output()).toMatch(/wrote .*index\.html — 1 course\(s\), 2 lesson\(s\), \d+ file\(s\); \d+ published file\(s\) copied/);
    expect(dev.child.exitCode).toBeNull();
  });

  it('works served over HTTP: the course, a quiz scored from the embedded JSON, the video', async () => {
    const server = await serveFolder(out);
    preview.allowed = [server.url];
    const before = browser.requests.length;
    try {
      await page.goto(`${server.url}/`);
      await expect(page.locator('.source').innerText()).resolves.toMatch(/snapshot of/);
      await page.getByRole('link', { name: 'Introduction to Biology', exact: true }).click();
      await page.getByRole('link', { name: /Cells: the unit of life/ }).click();
      const quiz = page.locator('article[data-file="cell-check.quiz.yaml"] form.quiz');
      await quiz.locator('li.question').nth(1).getByRole('radio', { name: 'False' }).check();
      await quiz.locator('li.question').nth(1).getByRole('button', { name: 'Check answer' }).click();
      await expect(quiz.locator('li.question').nth(1).locator('.q-result').innerText()).resolves.toMatch(/^Correct — 1 \/ 1 point/);
      if (withVideo) {
        const video = page.locator('article[data-file="cell-division.mp4"] video');
        await video.scrollIntoViewIfNeeded();
        await waitForHls(page, 'cell-division.mp4');
        await playMuted(page, 'cell-division.mp4');
      }
      await expect(unnamedControls(page)).resolves.toEqual([]);
      await screenshot(page, '10-static-lesson');
      const requests = browser.requests.slice(before);
      expect(requests.filter((u) => u.includes('quiz.json'))).toEqual([]); // embedded
      expect(requests.filter((u) => offMachine(u, [server.url]))).toEqual([]);
      expect(browser.refused).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('works opened from file:// (classic scripts, embedded data)', async () => {
    await page.goto(pathToFileURL(path.join(out, 'index.html')).href);
    await page.getByRole('link', { name: 'Introduction to Biology', exact: true }).click();
    await page.getByRole('link', { name: /Genetics basics/ }).click();
    const quiz = page.locator('article[data-file="genetics.aiken"] form.quiz');
    await quiz.waitFor();
    await quiz.getByRole('button', { name: 'Check all answers' }).click();
    await expect(quiz.locator('.quiz-total').innerText()).resolves.toMatch(/^Score: 0 of 4 points \(0%\) · 0 of 4 questions answered/);
    if (withVideo) {
      // hls.js cannot fetch from file://: the MP4 plays, the first time, with its captions (inline).
      await page.goto(`${pathToFileURL(path.join(out, 'index.html')).href}#/courses/intro-to-biology/lessons/cells/files/cell-division.mp4`);
      const video = page.locator('article[data-file="cell-division.mp4"] video');
      await video.scrollIntoViewIfNeeded();
      await playMuted(page, 'cell-division.mp4');
      const tracks = await video.evaluate((el) => Array.from((el as unknown as VideoLike).textTracks).map((t) => ({ kind: t.kind, language: t.language, cues: t.cues?.length ?? 0 })));
      expect(tracks).toEqual([{ kind: 'captions', language: 'en', cues: 3 }]);
    }
    expect(browser.refused).toEqual([]);
  });
});
