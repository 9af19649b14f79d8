/**
 * A busy lesson costs each upload the same: quizzes through the whole local stack (the real state
 * machine, handlers and filesystem buckets), with both buckets instrumented. What one upload costs
 * in store calls and bytes read is compared at 10 and at 200 uploads into one lesson — counts,
 * never wall-clock. Before the manifest batcher, every upload read the whole lesson manifest back
 * (200 uploads: 12 MB read, growing with the square of the lesson).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../shared/adapters/fs-object-store.js';
import type { LessonManifest } from '../../shared/contract/manifest.js';
import { openLocalStack, type LocalStack } from '../../local/local-stack.js';
import { countingStore, type StoreCounts } from '../helpers/counting-store.js';
import { GOOD_GIFT, text } from '../helpers/upload-fixtures.js';

const quiz = (i: number) => text(GOOD_GIFT.replace('::Q1::', `::Q${i}::`));
const total = (counts: StoreCounts) => Object.values(counts.calls).reduce((a, b) => a + b, 0);

describe('a busy lesson through the local stack', () => {
  let stateDir: string;
  let stack: LocalStack;
  let uploads: ReturnType<typeof countingStore>;
  let published: ReturnType<typeof countingStore>;
  /** The published bucket itself, for the test's own reads (not counted). */
  let publishedBucket: FsObjectStore;

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'lectern-busy-'));
    uploads = countingStore(new FsObjectStore(path.join(stateDir, 'uploads'), { bucket: 'lectern-local-uploads' }));
    publishedBucket = new FsObjectStore(path.join(stateDir, 'published'), { bucket: 'lectern-local-published' });
    published = countingStore(publishedBucket);
    // All of a burst's executions run at once (not 16 at a time): their updates meet in the batcher.
    stack = await openLocalStack({ stateDir, retryIntervalMs: 1, stores: { uploads, published }, maxRunning: 100 });
  });
  afterAll(async () => {
    await stack?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  /** `count` quizzes into `lesson`, `workers` at a time (as `lectern run --concurrency`); what each cost. */
  async function upload(lesson: string, count: number, workers: number) {
    uploads.reset();
    published.reset();
    let next = 0;
    const statuses: string[] = [];
    const worker = async () => {
      while (next < count) {
        const i = next++;
        statuses.push((await stack.upload(`courses/busy/lessons/${lesson}/quiz-${String(i).padStart(4, '0')}.gift`, quiz(i))).status);
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
    const counted = { uploads: uploads.counts, published: published.counts };
    const manifest = JSON.parse(new TextDecoder().decode(await publishedBucket.get(`courses/busy/lessons/${lesson}/manifest.json`))) as LessonManifest;
    return {
      statuses,
      entries: Object.keys(manifest.assets).length,
      // Manifest writes apart: how many there are depends on how updates meet in the batcher.
      callsPerUpload: (total(counted.uploads) + total(counted.published) - counted.published.manifest.calls.put) / count,
      bytesReadPerUpload: (counted.uploads.bytesRead + counted.published.bytesRead) / count,
      lists: counted.uploads.calls.list + counted.published.calls.list,
      manifest: counted.published.manifest,
    };
  }

  it('store calls and bytes read per upload do not grow from 10 to 200 uploads in one lesson', async () => {
    const small = await upload('ten', 10, 4);
    const large = await upload('two-hundred', 200, 4);

    expect(small.statuses.every((s) => s === 'published') && large.statuses.every((s) => s === 'published')).toBe(true);
    expect([small.entries, large.entries]).toEqual([10, 200]);
    // The manifest is never read back: the batcher wrote it and keeps it (If-Match on its ETag).
    expect([small.manifest.calls.get, small.manifest.bytesRead, large.manifest.calls.get, large.manifest.bytesRead]).toEqual([0, 0, 0, 0]);
    // At most one manifest write per upload, fewer when updates meet in the batcher.
    expect(small.manifest.calls.put).toBeLessThanOrEqual(10);
    expect(large.manifest.calls.put).toBeLessThanOrEqual(200);
    // No directory listing per upload.
    expect([small.lists, large.lists]).toEqual([0, 0]);
    // The same calls and bytes per upload, whatever the size of the lesson.
    expect(large.callsPerUpload).toBeLessThanOrEqual(small.callsPerUpload);
    expect(large.bytesReadPerUpload).toBeLessThanOrEqual(small.bytesReadPerUpload * 1.05);
  }, 900_000);

  it('100 uploads into one lesson at once: their manifest updates coalesce into a few writes', async () => {
    const burst = await upload('burst', 100, 100);

    expect(burst.statuses.every((s) => s === 'published')).toBe(true);
    expect(burst.entries).toBe(100);
    // One write per upload before the batcher; the bound leaves room for a busy machine's timing.
    expect(burst.manifest.calls.put).toBeLessThanOrEqual(25);
    expect(burst.manifest.calls.get).toBe(0);
  }, 900_000);
});
