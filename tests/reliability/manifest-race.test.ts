/**
 * The lesson manifest's protection against two writers, proven the way two Lambda containers
 * race: no in-process queue, and another writer slipped in between PublishAsset's read of the
 * manifest and its conditional write. The write's condition fails (PreconditionFailedError), the
 * update is retried on the new manifest, and the final manifest holds every entry.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../shared/adapters/fs-object-store.js';
import { parseConfig } from '../../shared/runtime/config.js';
import { manifestKey, type LessonManifest } from '../../shared/contract/manifest.js';
import type { PublishInput } from '../../shared/contract/pipeline.js';
import { PreconditionFailedError, type ObjectStore, type PutOptions } from '../../shared/ports/object-store.js';
import { publishAsset, type PublishAssetDeps } from '../../shared/use-cases/publish-asset.js';
import { ManifestBatcher } from '../../shared/use-cases/update-manifest.js';
import { stagedPdf } from '../helpers/staged-pdf.js';
import { wrapStore } from '../helpers/wrapped-store.js';

const COURSE = 'biology';
const LESSON = 'cells';
const MANIFEST = manifestKey(COURSE, LESSON);

/**
 * The published bucket as a second writer sees it: before each write of the manifest, `between()`
 * runs (another container's whole update), and the outcome of each of those writes is kept.
 */
function interleaved(store: ObjectStore, between: (attempt: number) => Promise<void>): ObjectStore & { manifestWrites: Array<'written' | 'precondition-failed'> } {
  const manifestWrites: Array<'written' | 'precondition-failed'> = [];
  return wrapStore(store, {
    manifestWrites,
    async put(key: string, body: Uint8Array | string, options?: PutOptions) {
      if (key !== MANIFEST) return store.put(key, body, options);
      await between(manifestWrites.length);
      try {
        const result = await store.put(key, body, options);
        manifestWrites.push('written');
        return result;
      } catch (error) {
        if (error instanceof PreconditionFailedError) manifestWrites.push('precondition-failed');
        throw error;
      }
    },
  });
}

describe('the lesson manifest under racing writers (no in-process queue)', () => {
  let dir: string;
  let uploads: FsObjectStore;
  let published: FsObjectStore;
  const config = parseConfig({ LECTERN_RUNTIME: 'local', CDN_BASE_URL: 'https://cdn.example' });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-race-'));
    uploads = new FsObjectStore(path.join(dir, 'uploads'), { bucket: 'uploads' });
    published = new FsObjectStore(path.join(dir, 'published'), { bucket: 'published' });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A validated PDF-like upload `fileName`, staged in the upload bucket. */
  const staged = (fileName: string, n: number): Promise<PublishInput> => stagedPdf(uploads, { course: COURSE, lesson: LESSON, fileName, n, eventTime: `2026-01-01T00:00:0${n}.000Z` });

  const manifest = async (): Promise<LessonManifest> => JSON.parse(new TextDecoder().decode(await published.get(MANIFEST))) as LessonManifest;

  it('a writer slipping in between read and write makes the condition fail; the retry keeps both entries', async () => {
    const first = await staged('first.pdf', 1);
    const second = await staged('second.pdf', 2);
    // Before the first writer's first conditional write, the second writer publishes (unhindered).
    const racing = interleaved(published, async (attempt) => {
      if (attempt === 0) await publishAsset(second, { config, uploads, published });
    });
    const deps: PublishAssetDeps = { config, uploads, published: racing }; // no manifestBatcher: as in Lambda
    await publishAsset(first, deps);

    expect(Object.keys((await manifest()).assets)).toEqual(['first.pdf', 'second.pdf']);
    expect(racing.manifestWrites).toEqual(['precondition-failed', 'written']);
  });

  it('many writers interleaving on one lesson: every entry is kept', async () => {
    const inputs = await Promise.all(Array.from({ length: 6 }, (_, i) => staged(`file-${i}.pdf`, i)));
    // Every conditional write yields first, so the writers' reads and writes interleave.
    const racing = interleaved(published, () => new Promise((resolve) => setImmediate(resolve)));
    const outcomes = await Promise.allSettled(inputs.map((input) => publishAsset(input, { config, uploads, published: racing })));

    expect(Object.keys((await manifest()).assets)).toEqual(inputs.map((input) => input.upload.fileName));
    expect(racing.manifestWrites).toContain('precondition-failed');
    // A writer loses at most once to each other writer: 6 writers fit in the 8 attempts.
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill('fulfilled'));
  });

  it('with the local stack’s batcher, the same writers never conflict', async () => {
    const inputs = await Promise.all(Array.from({ length: 6 }, (_, i) => staged(`file-${i}.pdf`, i)));
    const racing = interleaved(published, () => new Promise((resolve) => setImmediate(resolve)));
    const manifestBatcher = new ManifestBatcher();
    await Promise.all(inputs.map((input) => publishAsset(input, { config, uploads, published: racing, manifestBatcher })));
    expect(racing.manifestWrites.every((outcome) => outcome === 'written')).toBe(true);
    expect(Object.keys((await manifest()).assets)).toHaveLength(6);
  });

  it('a damaged manifest fails the publish and is left as it is, never rebuilt with one entry', async () => {
    await published.put(MANIFEST, '{"schemaVersion": 1, "assets": {"lecture.pdf": ');
    await expect(publishAsset(await staged('first.pdf', 1), { config, uploads, published })).rejects.toMatchObject({ name: 'DamagedManifestError' });
    expect(new TextDecoder().decode(await published.get(MANIFEST))).toBe('{"schemaVersion": 1, "assets": {"lecture.pdf": ');
  });
});
