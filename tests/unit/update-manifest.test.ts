/**
 * The lesson manifest in a busy lesson: the batcher coalesces the updates of one lesson and keeps
 * the manifest it wrote in memory, so one update costs its own entry, not the lesson — counted
 * through an instrumented object store (calls and bytes), never timed. And it stays correct when
 * another writer changes the manifest behind its back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../shared/adapters/fs-object-store.js';
import { parseConfig } from '../../shared/runtime/config.js';
import type { PublishInput } from '../../shared/contract/pipeline.js';
import { publishAsset } from '../../shared/use-cases/publish-asset.js';
import { manifestKey, type LessonManifest, type ManifestEntry } from '../../shared/contract/manifest.js';
import { ManifestBatcher, updateManifest, type ManifestTarget } from '../../shared/use-cases/update-manifest.js';
import { countingStore } from '../helpers/counting-store.js';
import { stagedPdf } from '../helpers/staged-pdf.js';

const TARGET: ManifestTarget = { key: manifestKey('biology', 'cells'), course: 'biology', lesson: 'cells' };

function entry(n: number, time = '2026-01-01T00:00:00.000Z'): ManifestEntry {
  return {
    kind: 'quiz',
    format: 'gift',
    version: `v${n}`,
    assetVersionId: `av-${n}`,
    sourceEventTime: time,
    url: `https://cdn.example/courses/biology/lessons/cells/quiz-${n}.gift/v${n}/quiz.json`,
    outputs: [{ name: 'quiz.json', url: `https://cdn.example/quiz-${n}.json`, contentType: 'application/json', size: 300 }],
    metadata: { questionCount: 2, title: `Quiz ${n}` },
  };
}
const change = (n: number, time?: string) => ({ fileName: `quiz-${String(n).padStart(4, '0')}.gift`, entry: entry(n, time) });
const noAccess = async () => [] as string[];

describe('lesson manifest updates in a busy lesson', () => {
  let dir: string;
  let store: FsObjectStore;
  let published: ReturnType<typeof countingStore>;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-manifest-'));
    store = new FsObjectStore(dir, { bucket: 'published' });
    published = countingStore(store);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const manifest = async (): Promise<LessonManifest> => JSON.parse(new TextDecoder().decode(await store.get(TARGET.key))) as LessonManifest;

  it('updates submitted together go out in one write, and each learns its entry is current', async () => {
    const batcher = new ManifestBatcher();
    const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => batcher.submit({ published }, TARGET, change(i), noAccess)));

    expect(outcomes.every((o) => o.current && o.written)).toBe(true);
    expect(Object.keys((await manifest()).assets)).toHaveLength(200);
    expect(published.counts.manifest.calls.put).toBe(1);
    expect(published.counts.manifest.calls.get).toBe(0);
  });

  it('one update at a time: what an update reads does not grow with the lesson (10 vs 200 entries before it)', async () => {
    const batcher = new ManifestBatcher();
    const costOfNext = async (n: number) => {
      published.reset();
      await batcher.submit({ published }, TARGET, change(n), noAccess);
      return { calls: Object.values(published.counts.calls).reduce((a, b) => a + b, 0), bytesRead: published.counts.bytesRead };
    };
    for (let i = 0; i < 10; i++) await batcher.submit({ published }, TARGET, change(i), noAccess);
    const at10 = await costOfNext(10);
    for (let i = 11; i < 200; i++) await batcher.submit({ published }, TARGET, change(i), noAccess);
    const at200 = await costOfNext(200);

    // One conditional write; nothing read (the manifest it wrote last is in memory with its ETag).
    expect(at10).toEqual({ calls: 1, bytesRead: 0 });
    expect(at200).toEqual(at10);
    expect(Object.keys((await manifest()).assets)).toHaveLength(201);
  });

  it('without the batcher (Lambda), each update reads the whole manifest: the cost the batcher removes', async () => {
    for (let i = 0; i < 10; i++) await updateManifest({ published }, TARGET, [change(i)]);
    published.reset();
    await updateManifest({ published }, TARGET, [change(10)]);
    const at10 = published.counts.bytesRead;
    for (let i = 11; i < 200; i++) await updateManifest({ published }, TARGET, [change(i)]);
    published.reset();
    await updateManifest({ published }, TARGET, [change(200)]);
    expect(published.counts.bytesRead).toBeGreaterThan(10 * at10);
  });

  it('another writer changing the manifest behind its back: the If-Match fails, it reads again, both entries stay', async () => {
    const batcher = new ManifestBatcher();
    await batcher.submit({ published }, TARGET, change(1), noAccess);
    // Another process (or a Lambda container) publishes into the same lesson.
    await updateManifest({ published: store }, TARGET, [change(2)]);
    published.reset();
    const outcome = await batcher.submit({ published }, TARGET, change(3), noAccess);

    expect(outcome).toMatchObject({ current: true, written: true });
    expect(Object.keys((await manifest()).assets)).toEqual(['quiz-0001.gift', 'quiz-0002.gift', 'quiz-0003.gift']);
    expect(published.counts.manifest.calls.get).toBe(1);
  });

  it('an update already current writes nothing, and trusts its memory only once a HEAD confirms it', async () => {
    const batcher = new ManifestBatcher();
    await batcher.submit({ published }, TARGET, change(1), noAccess);
    published.reset();
    expect(await batcher.submit({ published }, TARGET, change(1), noAccess)).toMatchObject({ current: true, written: false });
    expect(published.counts.manifest.calls).toMatchObject({ head: 1, get: 0, put: 0 });

    // Behind its back a newer upload of the same file becomes current: its memory is stale.
    await updateManifest({ published: store }, TARGET, [change(9, '2026-02-01T00:00:00.000Z')].map((c) => ({ ...c, fileName: 'quiz-0001.gift' })));
    const stale = await batcher.submit({ published }, TARGET, change(1), noAccess);
    expect(stale).toMatchObject({ current: false, written: false });
    expect((await manifest()).assets['quiz-0001.gift']?.assetVersionId).toBe('av-9');
  });

  it('one update of a batch failing fails only itself: the others are written with their own outcome', async () => {
    const batcher = new ManifestBatcher();
    // A video entry with no HLS master: captions for it cannot join it (TranscodeOutputsError).
    const video: ManifestEntry = { ...entry(100), kind: 'video', url: 'https://cdn.example/lecture.mp4', outputs: [{ name: 'video.mp4', url: 'https://cdn.example/lecture.mp4', contentType: 'video/mp4', size: 1 }], metadata: {} };
    await batcher.submit({ published }, TARGET, { fileName: 'lecture.mp4', entry: video }, noAccess);
    const captions: ManifestEntry = {
      ...entry(101),
      kind: 'captions',
      outputs: [{ name: 'lecture.vtt', url: 'https://cdn.example/lecture.vtt', contentType: 'text/vtt', size: 10 }],
      metadata: { videoStem: 'lecture', language: 'en' },
    };
    const outcomes = await Promise.allSettled([
      batcher.submit({ published }, TARGET, change(1), noAccess),
      batcher.submit({ published }, TARGET, { fileName: 'lecture.vtt', entry: captions }, noAccess),
      batcher.submit({ published }, TARGET, change(2), noAccess),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'TranscodeOutputsError' });
    expect(Object.keys((await manifest()).assets)).toEqual(['lecture.mp4', 'quiz-0001.gift', 'quiz-0002.gift']);
  });

  it('an older upload finishing late in the same batch as a newer one never replaces it', async () => {
    const batcher = new ManifestBatcher();
    const newer = { fileName: 'a.gift', entry: entry(2, '2026-01-02T00:00:00.000Z') };
    const older = { fileName: 'a.gift', entry: entry(1, '2026-01-01T00:00:00.000Z') };
    const [n, o] = await Promise.all([batcher.submit({ published }, TARGET, newer, noAccess), batcher.submit({ published }, TARGET, older, noAccess)]);
    expect(n.current).toBe(true);
    expect(o.current).toBe(false);
    expect((await manifest()).assets['a.gift']?.assetVersionId).toBe('av-2');
  });
});

describe('a public lesson of a signed stage in a busy lesson', () => {
  let dir: string;
  let uploads: FsObjectStore;
  let store: FsObjectStore;
  const config = parseConfig({ LECTERN_RUNTIME: 'local', CDN_BASE_URL: 'https://cdn.example', LECTERN_ACCESS: 'signed' });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-manifest-access-'));
    uploads = new FsObjectStore(path.join(dir, 'uploads'), { bucket: 'uploads' });
    store = new FsObjectStore(path.join(dir, 'published'), { bucket: 'published' });
    // course.yaml made the lesson a free preview: its files are mirrored under public/ (docs/access.md).
    await store.put('access/biology.json', JSON.stringify({ schemaVersion: 1, course: 'biology', lessons: { cells: 'public' }, versionId: 'v', sourceTime: '2026-01-01T00:00:00.000Z' }));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const staged = (n: number): Promise<PublishInput> => stagedPdf(uploads, { course: 'biology', lesson: 'cells', fileName: `notes-${String(n).padStart(4, '0')}.pdf`, n });

  it('each publish mirrors its own files, never lists the lesson: the same calls at 10 and at 200 entries', async () => {
    const manifestBatcher = new ManifestBatcher();
    const published = countingStore(store);
    const publishNext = async (n: number) => {
      const input = await staged(n);
      published.reset();
      await publishAsset(input, { config, uploads, published, manifestBatcher });
      return { ...published.counts.calls };
    };
    for (let i = 0; i < 10; i++) await publishNext(i);
    const at10 = await publishNext(10);
    for (let i = 11; i < 200; i++) await publishNext(i);
    const at200 = await publishNext(200);

    expect(at10.list).toBe(1); // the new entry's own version prefix
    expect(at200).toEqual(at10);
    const publicManifest = JSON.parse(new TextDecoder().decode(await store.get(`public/${TARGET.key}`))) as LessonManifest & { access: string };
    expect(Object.keys(publicManifest.assets)).toHaveLength(201);
    expect(publicManifest.assets['notes-0200.pdf']?.url).toMatch(/^https:\/\/cdn\.example\/public\/courses\/biology\/lessons\/cells\/notes-0200\.pdf\//);
    const copies = await store.list('public/courses/biology/lessons/cells/');
    expect(copies.filter((key) => key.endsWith('.pdf'))).toHaveLength(201);
  });

  it('a retried publish whose manifest is already written still makes its public copies', async () => {
    const input = await staged(1);
    await publishAsset(input, { config, uploads, published: store });
    // The first attempt's copies were lost (the function timed out after the manifest write).
    for (const key of await store.list('public/courses/biology/lessons/cells/notes-0001.pdf/')) await store.delete(key);
    await publishAsset(input, { config, uploads, published: store, manifestBatcher: new ManifestBatcher() });
    expect((await store.list('public/courses/biology/lessons/cells/notes-0001.pdf/')).length).toBe(1);
  });
});
