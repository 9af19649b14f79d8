/**
 * What the preview page is built from, without a browser: the catalog read from the local stack
 * (published, rejected, failed with its replay hint), a transcode in progress, and the static build
 * for a stage (manifests only, URLs on the CDN, quizzes embedded, hls.js from the local install).
 */
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewCommand } from '../../cli/commands/preview.js';
import { UsageError } from '../../cli/args.js';
import { openLocalStack, type LocalStack } from '../../local/local-stack.js';
import type { PreviewAsset, PreviewCatalog } from '../../local/preview/catalog.js';
import { loadPreviewCatalog, parseThumbnailTrack } from '../../local/preview/load-catalog.js';
import { buildStaticPreview } from '../../local/preview/static-build.js';
import * as render from '../../local/preview/client/render.js';
import { DependencyUnavailableError } from '../../shared/contract/errors.js';
import { BROKEN_GIFT, GOOD_GIFT, makeTextPdf, text } from '../helpers/upload-fixtures.js';

const require = createRequire(import.meta.url);

const LESSON = 'courses/bio-101/lessons/week-1';
let stack: LocalStack;
let dir: string;

function asset(c: PreviewCatalog, fileName: string): PreviewAsset {
  const found = c.courses.find((x) => x.slug === 'bio-101')?.lessons.find((l) => l.slug === 'week-1')?.assets.find((a) => a.fileName === fileName);
  if (!found) throw new Error(`${fileName} is not in the catalog`);
  return found;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lectern-catalog-'));
  stack = await openLocalStack({
    stateDir: path.join(dir, 'state'),
    retryIntervalMs: 1,
    faults: (state) => (state === 'ValidatePdf' ? new DependencyUnavailableError('the PDF worker pool is unavailable') : undefined),
  });
  await stack.upload(`${LESSON}/intro.gift`, text(GOOD_GIFT));
  await stack.upload(`${LESSON}/broken.gift`, text(BROKEN_GIFT));
  await stack.upload(`${LESSON}/slides.pdf`, await makeTextPdf());
});

afterAll(async () => {
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the catalog of lectern dev', () => {
  it('has every file with its latest status: published, rejected with reasons, failed with the replay command', async () => {
    const catalog = await loadPreviewCatalog({
      published: stack.published,
      db: stack.db,
      source: { mode: 'local', live: true },
      urlBase: '',
      replayCommand: (row) => `lectern replay --local --execution ${row.execution_id ?? row.id}`,
    });
    expect(catalog.source).toEqual({ mode: 'local', live: true, statuses: true });
    expect(catalog.summary).toEqual({ processing: 0, published: 1, rejected: 1, failed: 1 });

    const intro = asset(catalog, 'intro.gift');
    expect(intro.state).toBe('published');
    expect(intro.published?.url).toMatch(/^\/courses\/bio-101\/lessons\/week-1\/intro\.gift\/[0-9a-f]{16}\/quiz\.json$/);
    expect(intro.published?.quiz).toBeUndefined(); // lectern dev: the page fetches it

    const broken = asset(catalog, 'broken.gift');
    expect(broken).toMatchObject({ state: 'rejected', kind: 'quiz' });
    expect(broken.published).toBeUndefined();
    expect(broken.latest?.reasons[0]).toMatchObject({ code: 'quiz.no-correct-answer', line: 3, column: 1 });

    const slides = asset(catalog, 'slides.pdf');
    expect(slides.state).toBe('failed');
    expect(slides.latest?.failedState).toBe('ValidatePdf');
    expect(slides.latest?.replay).toMatch(/^lectern replay --local --execution \S+$/);

    const lesson = render.renderView(catalog, { view: 'lesson', course: 'bio-101', lesson: 'week-1' }).html;
    expect(lesson).toContain('Processing failed</strong> in step <code>ValidatePdf</code>');
    expect(lesson).toContain(`<code>${slides.latest?.replay}</code><button type="button" class="copy"`);
    expect(lesson).toMatch(/<span class="reason-where">Line 3, column 1<\/span><span class="reason-message">Question 1 ‘Q1’ \(line 3\) has no correct answer/);
  });

  it('shows transcode progress while a video is processed, and keeps saying what students still get', () => {
    const catalog: PreviewCatalog = {
      generatedAt: '2026-01-01T10:00:00.000Z',
      source: { mode: 'local', live: true, statuses: true },
      summary: { processing: 1, published: 0, rejected: 0, failed: 0 },
      unplaced: [],
      courses: [
        {
          slug: 'c',
          hasMetadata: false,
          uploads: [],
          lessons: [
            {
              slug: 'l',
              assets: [
                {
                  fileName: 'lecture.mp4',
                  kind: 'video',
                  state: 'processing',
                  latest: { assetVersionId: 'av-2', key: 'courses/c/lessons/l/lecture.mp4', status: 'processing', kind: 'video', reasons: [], warnings: [], receivedAt: '2026-01-01T09:59:00.000Z', progress: 42 },
                  history: [],
                  published: {
                    version: 'v1',
                    assetVersionId: 'av-1',
                    kind: 'video',
                    url: '/m.m3u8',
                    outputs: [{ name: 'hls/master.m3u8', url: '/m.m3u8', contentType: 'application/vnd.apple.mpegurl', size: 1 }],
                    metadata: {},
                    publishedAt: '2026-01-01T08:00:00.000Z',
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const html = render.renderView(catalog, { view: 'lesson', course: 'c', lesson: 'l' }).html;
    expect(html).toMatch(/<span id="[^"]+-progress-label">Transcoding<\/span><progress max="100" value="42" aria-labelledby="[^"]+-progress-label">42%<\/progress>/);
    expect(html).toContain('Students still get the version published <time datetime="2026-01-01T08:00:00.000Z">');
    expect(html).toContain('data-hls="/m.m3u8"');
  });

  it('reads a thumbnail track', () => {
    expect(parseThumbnailTrack('WEBVTT\n\n00:00:00.000 --> 00:00:10.000\nthumbnails/thumb.0000000.jpg\n\n00:00:10.000 --> 00:00:12.500\nthumbnails/thumb.0000001.jpg\n')).toEqual([
      { start: 0, end: 10, url: 'thumbnails/thumb.0000000.jpg' },
      { start: 10, end: 12.5, url: 'thumbnails/thumb.0000001.jpg' },
    ]);
  });
});

describe('lectern preview --stage: a static build from the published bucket alone', () => {
  it('shows published content only, on the CDN, with the quizzes embedded and hls.js from the local install', async () => {
    const out = path.join(dir, 'stage-site');
    const { catalog, index, copied } = await buildStaticPreview({ published: stack.published, out, mode: 'stage', stage: 'staging', urlBase: 'https://cdn.example.test' });
    expect(copied).toBe(0);
    expect(catalog.source).toEqual({ mode: 'stage', stage: 'staging', live: false, statuses: false });
    expect(catalog.courses.flatMap((c) => c.lessons.flatMap((l) => l.assets.map((a) => [a.fileName, a.state])))).toEqual([['intro.gift', 'published']]);
    const intro = asset(catalog, 'intro.gift');
    expect(intro.published?.url).toMatch(/^https:\/\/cdn\.example\.test\/courses\/bio-101\/lessons\/week-1\/intro\.gift\/[0-9a-f]{16}\/quiz\.json$/);
    expect(intro.published?.quiz?.questions).toHaveLength(2);

    const html = await readFile(index, 'utf8');
    expect(html).toContain('<meta http-equiv="Content-Security-Policy"');
    expect(html).toMatch(/connect-src &#39;self&#39; https:\/\/cdn\.example\.test/);
    expect(html).not.toMatch(/<script[^>]+src="(?!_lectern\/)/); // every script is local
    expect(html).toContain('published content only (no database)');
    const hls = await readFile(path.join(out, '_lectern/vendor/hls.js'));
    expect(hls.equals(await readFile(require.resolve('hls.js/dist/hls.min.js')))).toBe(true);
    expect(JSON.parse(await readFile(path.join(out, '_lectern/status.json'), 'utf8'))).toEqual(catalog);
  });

  it('says what is missing on the command line', async () => {
    const out = { write: () => true } as unknown as NodeJS.WritableStream;
    await expect(previewCommand(['--stage', 'staging', '--out', 'x'], out, {})).rejects.toThrow(new UsageError('--stage staging needs the published bucket: --bucket <bucket> or PUBLISHED_BUCKET.'));
    await expect(previewCommand(['--local'], out, {})).rejects.toThrow(/--out <dir>/);
    await expect(previewCommand(['--local', '--stage', 's', '--out', 'x'], out, {})).rejects.toThrow(/--local, or --stage/);
    await expect(previewCommand(['--stage', 's', '--bucket', 'b', '--cdn-base-url', 'cdn.example.test', '--out', 'x'], out, {})).rejects.toThrow(/http\(s\) URL/);
  });
});
