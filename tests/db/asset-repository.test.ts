import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAssetVersion, markProcessing, recordEnded, recordPublished, type VersionIdentity } from '../../shared/db/asset-repository.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../helpers/dialects.js';

function version(id: string, eventTime: string, fileName = 'slides.pdf'): VersionIdentity & { courseSlug: string; lessonSlug: string; fileName: string; stem: string; kind: string } {
  return {
    id,
    source: { bucket: 'uploads', key: `courses/bio/lessons/cells/${fileName}`, etag: id, size: 1234, eventTime },
    receivedAt: new Date(eventTime),
    courseSlug: 'bio',
    lessonSlug: 'cells',
    fileName,
    stem: fileName.replace(/\.[^.]+$/, ''),
    kind: 'pdf',
    executionId: `exec-${id}`,
  };
}

const published = (v: ReturnType<typeof version>, finishedAt = new Date(Date.parse(v.source.eventTime!) + 5000)) => ({
  version: v,
  format: 'pdf',
  warnings: [],
  metadata: { pageCount: 3 },
  outputs: [{ name: 'slides.pdf' }],
  contentSha256: 'ab'.repeat(32),
  url: `https://cdn.example/${v.id}`,
  finishedAt,
});

describe.each(DIALECTS)('asset records on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('records a publication once, however often it is recorded', async () => {
    const v = version('av-one', '2026-01-01T10:00:00.000Z');
    await markProcessing(t.db, v, new Date('2026-01-01T10:00:01Z'));
    await Promise.all([recordPublished(t.db, published(v)), recordPublished(t.db, published(v)), recordPublished(t.db, published(v))]);
    await recordPublished(t.db, published(v, new Date('2026-01-02T00:00:00Z')));

    const courses = await t.db.selectFrom('courses').selectAll().execute();
    const lessons = await t.db.selectFrom('lessons').selectAll().execute();
    const assets = await t.db.selectFrom('assets').selectAll().execute();
    const versions = await t.db.selectFrom('asset_versions').selectAll().where('id', '=', 'av-one').execute();
    expect(courses.map((c) => c.slug)).toEqual(['bio']);
    expect(lessons.map((l) => l.slug)).toEqual(['cells']);
    expect(assets.map((a) => [a.file_name, a.current_version_id])).toEqual([['slides.pdf', 'av-one']]);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ status: 'published', duration_ms: 5000, source_size: 1234, metadata: { pageCount: 3 } });
  });

  it('never lets an older upload that finishes late replace the current version', async () => {
    const newer = version('av-newer', '2026-02-01T12:00:00.000Z', 'notes.pdf');
    const older = version('av-older', '2026-02-01T11:00:00.000Z', 'notes.pdf');
    await recordPublished(t.db, published(newer));
    await recordPublished(t.db, published(older));
    const asset = await t.db.selectFrom('assets').selectAll().where('file_name', '=', 'notes.pdf').executeTakeFirstOrThrow();
    expect(asset.current_version_id).toBe('av-newer');
    expect((await getAssetVersion(t.db, 'av-older'))?.status).toBe('published');
  });

  it('keeps a published version published when a replay later fails, and records rejections with every reason', async () => {
    const v = version('av-one', '2026-01-01T10:00:00.000Z');
    const after = await recordEnded(t.db, { version: v, status: 'failed', reasons: [{ code: 'pipeline.failed', message: 'x' }], warnings: [], metadata: {}, finishedAt: new Date() });
    expect(after.status).toBe('published');
    expect((await getAssetVersion(t.db, 'av-one'))?.status).toBe('published');

    const bad = version('av-bad', '2026-03-01T00:00:00.000Z', 'quiz.gift');
    const reasons = [
      { code: 'quiz.syntax', message: 'a', line: 3, column: 1 },
      { code: 'quiz.no-correct-answer', message: 'b', line: 9, column: 1 },
    ];
    await markProcessing(t.db, bad, new Date());
    await recordEnded(t.db, { version: bad, status: 'rejected', reasons, warnings: [], metadata: {}, finishedAt: new Date() });
    await recordEnded(t.db, { version: bad, status: 'rejected', reasons, warnings: [], metadata: {}, finishedAt: new Date() });
    const row = await getAssetVersion(t.db, 'av-bad');
    expect(row).toMatchObject({ status: 'rejected', reasons });
    // a rejected upload is not an asset students see
    expect(await t.db.selectFrom('assets').selectAll().where('file_name', '=', 'quiz.gift').execute()).toEqual([]);
  });
});
