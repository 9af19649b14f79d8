/**
 * A signed stage on the laptop, in a real browser: `LECTERN_ACCESS=signed lectern dev`, a course
 * whose lessons need a grant except one free preview. The preview page asks `lectern dev` for the
 * course's signed cookies before it shows the course, so hls.js plays the lecture through the CDN
 * twin (which checks the cookies on the master playlist, every variant and every segment), and
 * the free-preview lesson is marked as public.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewCatalog } from '../../local/preview/catalog.js';
import { makeMedia, requireFfmpeg } from '../helpers/make-media.js';
import { simplePdf } from '../helpers/make-pdf.js';
import { playMuted, previewCatalog, screenshot, startDevPreview, waitForHls, type Browser, type DevPreview, type Lectern } from './browser.js';

interface VideoLike {
  currentSrc: string;
}

const COURSE = 'courses/bio-101';
const COURSE_YAML = `title: Biology 101
access: signed
lessons:
  - slug: intro
    title: Welcome
    access: public
  - slug: cells
    title: Cells
`;
const QUIZ = 'title: Welcome check\nquestions:\n  - type: true-false\n    stem: This lesson is free to watch.\n    correct: true\n';
const FILES = [`${COURSE}/course.yaml`, `${COURSE}/lessons/intro/welcome.quiz.yaml`, `${COURSE}/lessons/cells/lecture.mp4`, `${COURSE}/lessons/cells/notes.pdf`];

requireFfmpeg();

let preview: DevPreview;
let dir: string;
let base: string;
let dev: Lectern;
let browser: Browser;
let page: Page;
const responses: Array<{ url: string; status: number }> = [];

const catalog = (): Promise<PreviewCatalog> => previewCatalog(base);

beforeAll(async () => {
  preview = await startDevPreview('lectern-signed-preview-', { LECTERN_ACCESS: 'signed' });
  ({ dir, base, dev, browser, page } = preview);
  page.on('response', (response) => responses.push({ url: response.url(), status: response.status() }));
  const uploads = path.join(dir, 'state', 'uploads');
  const drop = async (key: string, bytes: Uint8Array | string) => {
    await mkdir(path.dirname(path.join(uploads, key)), { recursive: true });
    await writeFile(path.join(uploads, key), bytes);
  };
  // course.yaml first, so the lessons' access is known when their files are published.
  await drop(FILES[0]!, COURSE_YAML);
  await dev.waitFor(/published courses\/bio-101\/course\.yaml/);
  await drop(FILES[1]!, QUIZ);
  await drop(FILES[2]!, await makeMedia({ duration: 3, width: 320, height: 240 }));
  await drop(FILES[3]!, simplePdf());
  for (const key of FILES.slice(1)) await dev.waitFor(new RegExp(`(published|rejected|failed) ${key.replace(/\./g, '\\.')}`), 280_000);
  for (const key of FILES) expect(dev.output(), key).toContain(`published ${key}`);
}, 600_000);

afterAll(() => preview?.close());

describe('lectern dev on a signed stage: the preview page', { timeout: 300_000 }, () => {
  it('keeps the course closed to a client without a grant', async () => {
    const manifest = await fetch(`${base}/${COURSE}/lessons/cells/manifest.json`);
    expect(manifest.status).toBe(403);
    // …and the page's grant endpoint answers only the page's own origin.
    const elsewhere = await fetch(`${base}/_lectern/grant`, { method: 'POST', headers: { origin: 'http://elsewhere.example', 'content-type': 'application/json' }, body: '{"course":"bio-101"}' });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('set-cookie')).toBeNull();
  });

  it('marks the free-preview lesson as public and the others as for enrolled students', async () => {
    const data = await catalog();
    expect(data.source.access).toBe('signed');
    expect(data.courses.find((c) => c.slug === 'bio-101')?.lessons.map((l) => [l.slug, l.access])).toEqual([
      ['intro', 'public'],
      ['cells', 'signed'],
    ]);
    await page.goto(`${base}/#/courses/bio-101`);
    await page.locator('.lesson-card').first().waitFor();
    await expect(page.locator('.lesson-card', { hasText: 'Welcome' }).locator('.access-tag').innerText()).resolves.toBe('Public · free preview');
    await expect(page.locator('.lesson-card', { hasText: 'Cells' }).locator('.access-tag').innerText()).resolves.toBe('Enrolled students');
    await page.goto(`${base}/#/courses/bio-101/lessons/intro`);
    await expect(page.locator('.access-note[data-access="public"]').innerText()).resolves.toContain('Public lesson (free preview).');
    await screenshot(page, 'signed-01-public-lesson');
  });

  it('gets a grant for the course from lectern dev, then plays the signed lecture with hls.js through the CDN twin', async () => {
    await page.goto(`${base}/#/courses/bio-101/lessons/cells/files/lecture.mp4`);
    const card = page.locator('article[data-file="lecture.mp4"]');
    const video = card.locator('video');
    await video.waitFor();
    await video.scrollIntoViewIfNeeded();
    await waitForHls(page, 'lecture.mp4');
    await playMuted(page, 'lecture.mp4');
    expect(await video.evaluate((el) => (el as unknown as VideoLike).currentSrc)).toMatch(/^blob:/); // MediaSource: hls.js

    // The cookies the page was given: HttpOnly, for this course's path only.
    const cookies = await browser.context.cookies(`${base}/${COURSE}/lessons/cells/manifest.json`);
    expect(cookies.map((c) => [c.name, c.path, c.httpOnly]).sort()).toEqual([
      ['CloudFront-Key-Pair-Id', '/courses/bio-101/', true],
      ['CloudFront-Policy', '/courses/bio-101/', true],
      ['CloudFront-Signature', '/courses/bio-101/', true],
    ]);
    expect(browser.requests).toContain(`${base}/_lectern/grant`);
    // Every file of the course the player fetched was served (200), none refused.
    const course = responses.filter((r) => new URL(r.url).pathname.startsWith(`/${COURSE}/`));
    expect(course.filter((r) => /\/lecture\.mp4\/[0-9a-f]+\/hls\/.*\.ts$/.test(r.url) && r.status === 200).length).toBeGreaterThan(0);
    expect(course.filter((r) => r.url.endsWith('.m3u8') && r.status === 200).length).toBeGreaterThanOrEqual(2); // master and a variant
    expect(course.filter((r) => r.status !== 200 && r.status !== 206 && r.status !== 304)).toEqual([]);
    await card.screenshot({ path: path.resolve('test-results/screenshots/signed-02-video.png') });
  });

  it('opens the signed PDF inline with the same grant', async () => {
    await page.goto(`${base}/#/courses/bio-101/lessons/cells/files/notes.pdf`);
    const frame = page.locator('article[data-file="notes.pdf"] iframe');
    await frame.scrollIntoViewIfNeeded();
    const src = new URL((await frame.getAttribute('src')) as string, base).href;
    expect(src).toMatch(/\/courses\/bio-101\/lessons\/cells\/notes\.pdf\/[0-9a-f]{16}\/notes\.pdf$/);
    const served = async () => responses.find((r) => r.url === src);
    await expect.poll(served, { timeout: 120_000, interval: 250 }).toBeDefined();
    expect((await served())?.status).toBe(200);
    expect((await fetch(src)).status).toBe(403); // the same URL, without the page's cookies
  });
});
