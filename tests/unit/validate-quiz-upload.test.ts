/**
 * ValidateQuiz checks the images a quiz shows against the files uploaded to its lesson — and lists
 * the lesson only for a quiz that shows one, so a lesson of a thousand quizzes is not listed a
 * thousand times.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../shared/adapters/fs-object-store.js';
import { assetVersionId } from '../../shared/asset-version.js';
import { parseConfig } from '../../shared/config.js';
import type { ValidateInput } from '../../shared/pipeline.js';
import { validateQuizUpload } from '../../shared/use-cases/validate-quiz-upload.js';

/** The upload bucket, counting its listings. */
class CountingStore extends FsObjectStore {
  listings = 0;
  override async list(prefix: string): Promise<string[]> {
    this.listings++;
    return super.list(prefix);
  }
}

describe('validateQuizUpload', () => {
  let dir: string;
  let uploads: CountingStore;
  const config = parseConfig({ LECTERN_RUNTIME: 'local', CDN_BASE_URL: 'http://127.0.0.1:4321' });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-quiz-use-case-'));
    uploads = new CountingStore(dir, { bucket: 'uploads' });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function upload(fileName: string, text: string): Promise<ValidateInput> {
    const key = `courses/bio-101/lessons/week-1/${fileName}`;
    const { etag } = await uploads.put(key, text);
    const source = { bucket: 'uploads', key, etag, size: Buffer.byteLength(text), eventTime: '2026-05-01T10:00:00Z' };
    const id = assetVersionId(source);
    return {
      executionId: `exec-${id}`,
      executionName: id,
      upload: { assetVersionId: id, source, kind: 'quiz', course: 'bio-101', lesson: 'week-1', fileName, stem: fileName.replace(/\..*$/, ''), receivedAt: source.eventTime },
    };
  }

  it('accepts a quiz without images without listing the lesson', async () => {
    const before = uploads.listings;
    const validation = await validateQuizUpload(await upload('plain.gift', '::Q1:: What is 2+2? {=4 ~3 ~5}\n'), { config, uploads });
    expect(validation).toMatchObject({ accepted: true, warnings: [] });
    expect(uploads.listings).toBe(before);
  });

  it('warns about an image that was not uploaded to the lesson, and not about one that was', async () => {
    await uploads.put('courses/bio-101/lessons/week-1/cell.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    const gift = '::Q1:: [html]<p>Which organelle? <img src="cell.png" alt="a cell"></p> {=Nucleus ~Ribosome}\n\n::Q2:: [html]<p>And here? <img src="missing.png" alt="?"></p> {=Mitochondrion ~Golgi}\n';
    const validation = await validateQuizUpload(await upload('images.gift', gift), { config, uploads });
    expect(validation.accepted).toBe(true);
    expect(validation.warnings.map((w) => [w.code, w.message.match(/'([^']+)'/)?.[1]])).toEqual([['quiz.missing-asset', 'missing.png']]);
  });
});
