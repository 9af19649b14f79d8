/**
 * course.yaml in the database, on every dialect: one transaction, idempotent, newest upload wins,
 * lesson order updated, unlisted lessons kept but unpositioned. Also the UpsertCourse use-case
 * end to end over the filesystem object store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../shared/adapters/fs-object-store.js';
import { assetVersionId } from '../../shared/contract/asset-version.js';
import { parseConfig } from '../../shared/runtime/config.js';
import type { CourseMetadata } from '../../shared/course/course-schema.js';
import { recordPublished } from '../../shared/db/asset-repository.js';
import { getCourseOutline, saveCourseMetadata, type CourseMetadataRecord } from '../../shared/db/course-repository.js';
import type { ValidateInput } from '../../shared/contract/pipeline.js';
import { upsertCourse, type UpsertCourseDeps } from '../../shared/use-cases/upsert-course.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../helpers/dialects.js';
import { wrapStore } from '../helpers/wrapped-store.js';

const BIOLOGY: CourseMetadata = {
  title: 'Introduction to Biology',
  description: 'Cells, genetics and evolution.',
  language: 'en',
  tags: ['biology', 'cells'],
  lessons: [
    { slug: 'cells', title: 'Cells: the unit of life', description: 'What cells are made of.' },
    { slug: 'genetics', title: 'Genetics basics' },
    { slug: 'evolution', title: 'Evolution' },
  ],
};

let clock = Date.parse('2026-01-01T00:00:00Z');
/** A course.yaml upload of `course` at a later time than every earlier call. */
function upload(slug: string, course: CourseMetadata, at = new Date((clock += 60_000))): CourseMetadataRecord {
  return { slug, course, versionId: `av-${slug}-${at.getTime()}`, sourceTime: at };
}

describe.each(DIALECTS)('course metadata on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(async () => {
    await t.db.deleteFrom('courses').execute();
  });

  const lessonRows = () => t.db.selectFrom('lessons').selectAll().orderBy('slug').execute();
  const courseRows = () => t.db.selectFrom('courses').selectAll().execute();

  it('records the course and its lessons in order', async () => {
    const saved = await saveCourseMetadata(t.db, upload('bio', BIOLOGY));
    expect(saved.applied).toBe(true);
    const outline = await getCourseOutline(t.db, 'bio');
    expect(outline).toMatchObject({ slug: 'bio', title: 'Introduction to Biology', description: 'Cells, genetics and evolution.', language: 'en', tags: ['biology', 'cells'] });
    expect(outline!.lessons).toEqual([
      { slug: 'cells', title: 'Cells: the unit of life', description: 'What cells are made of.', position: 1 },
      { slug: 'genetics', title: 'Genetics basics', description: null, position: 2 },
      { slug: 'evolution', title: 'Evolution', description: null, position: 3 },
    ]);
  });

  it('is idempotent: the same upload twice (or three times at once) leaves the very same rows', async () => {
    const record = upload('bio', BIOLOGY);
    await saveCourseMetadata(t.db, record);
    const courses = await courseRows();
    const lessons = await lessonRows();
    await saveCourseMetadata(t.db, record);
    await Promise.all([saveCourseMetadata(t.db, record), saveCourseMetadata(t.db, record), saveCourseMetadata(t.db, record)]);
    expect(await courseRows()).toEqual(courses); // updated_at included: unchanged rows are not rewritten
    expect(await lessonRows()).toEqual(lessons);
  });

  it('updates the order, titles and descriptions from a newer course.yaml', async () => {
    await saveCourseMetadata(t.db, upload('bio', BIOLOGY));
    const reordered: CourseMetadata = {
      title: 'Biology 101',
      lessons: [
        { slug: 'genetics', title: 'Genetics', description: 'Now with a description.' },
        { slug: 'cells', title: 'Cells: the unit of life' },
        { slug: 'evolution', title: 'Evolution' },
      ],
    };
    await saveCourseMetadata(t.db, upload('bio', reordered));
    const outline = await getCourseOutline(t.db, 'bio');
    expect(outline).toMatchObject({ title: 'Biology 101', description: null, language: null, tags: null });
    expect(outline!.lessons.map((l) => [l.slug, l.position, l.title, l.description])).toEqual([
      ['genetics', 1, 'Genetics', 'Now with a description.'],
      ['cells', 2, 'Cells: the unit of life', null],
      ['evolution', 3, 'Evolution', null],
    ]);
  });

  it('keeps lessons the file no longer lists, without a position; listing them again restores it', async () => {
    await saveCourseMetadata(t.db, upload('bio', BIOLOGY));
    const ids = Object.fromEntries((await lessonRows()).map((l) => [l.slug, l.id]));
    await saveCourseMetadata(t.db, upload('bio', { title: 'Biology', lessons: [{ slug: 'evolution', title: 'Evolution' }] }));
    expect((await getCourseOutline(t.db, 'bio'))!.lessons.map((l) => [l.slug, l.position])).toEqual([
      ['evolution', 1],
      ['cells', null],
      ['genetics', null],
    ]);
    expect(Object.fromEntries((await lessonRows()).map((l) => [l.slug, l.id]))).toEqual(ids); // same rows
    await saveCourseMetadata(t.db, upload('bio', BIOLOGY));
    expect((await getCourseOutline(t.db, 'bio'))!.lessons.map((l) => [l.slug, l.position])).toEqual([
      ['cells', 1],
      ['genetics', 2],
      ['evolution', 3],
    ]);
  });

  it('an empty lessons list unpositions every lesson; no lessons key leaves them alone', async () => {
    await saveCourseMetadata(t.db, upload('bio', BIOLOGY));
    await saveCourseMetadata(t.db, upload('bio', { title: 'Renamed only' }));
    expect((await getCourseOutline(t.db, 'bio'))!.lessons.map((l) => l.position)).toEqual([1, 2, 3]);
    await saveCourseMetadata(t.db, upload('bio', { title: 'No lessons', lessons: [] }));
    expect((await getCourseOutline(t.db, 'bio'))!.lessons.map((l) => l.position)).toEqual([null, null, null]);
  });

  it('never lets an older course.yaml that finishes late overwrite a newer one', async () => {
    const older = upload('bio', { title: 'Old title', lessons: [{ slug: 'cells', title: 'Old' }] });
    const newer = upload('bio', BIOLOGY);
    expect((await saveCourseMetadata(t.db, newer)).applied).toBe(true);
    const before = { courses: await courseRows(), lessons: await lessonRows() };
    expect((await saveCourseMetadata(t.db, older)).applied).toBe(false);
    expect({ courses: await courseRows(), lessons: await lessonRows() }).toEqual(before);
    // A replay of the newer one is still fine.
    expect((await saveCourseMetadata(t.db, newer)).applied).toBe(true);
  });

  it('gives titles and positions to lessons created earlier by published assets, and keeps their assets', async () => {
    await recordPublished(t.db, {
      version: {
        id: 'av-slides',
        source: { bucket: 'uploads', key: 'courses/bio/lessons/cells/slides.pdf', etag: 'e', size: 10, eventTime: '2026-01-01T00:00:00Z' },
        receivedAt: new Date('2026-01-01T00:00:00Z'),
        courseSlug: 'bio',
        lessonSlug: 'cells',
        fileName: 'slides.pdf',
        stem: 'slides',
        kind: 'pdf',
        executionId: 'exec',
      },
      warnings: [],
      metadata: {},
      outputs: [],
      contentSha256: 'ab'.repeat(32),
      url: 'https://cdn.example/slides.pdf',
      finishedAt: new Date('2026-01-01T00:00:05Z'),
    });
    await saveCourseMetadata(t.db, upload('bio', BIOLOGY));
    const cells = await t.db.selectFrom('lessons').selectAll().where('slug', '=', 'cells').executeTakeFirstOrThrow();
    expect(cells).toMatchObject({ title: 'Cells: the unit of life', position: 1 });
    const assets = await t.db.selectFrom('assets').select(['lesson_id', 'current_version_id']).execute();
    expect(assets).toEqual([{ lesson_id: cells.id, current_version_id: 'av-slides' }]);
  });

  it('keeps courses apart', async () => {
    await saveCourseMetadata(t.db, upload('bio', BIOLOGY));
    await saveCourseMetadata(t.db, upload('chem', { title: 'Chemistry', lessons: [{ slug: 'cells', title: 'Cells in chemistry' }] }));
    expect((await getCourseOutline(t.db, 'bio'))!.lessons.map((l) => [l.slug, l.position, l.title])[0]).toEqual(['cells', 1, 'Cells: the unit of life']);
    expect((await getCourseOutline(t.db, 'chem'))!.lessons).toEqual([{ slug: 'cells', title: 'Cells in chemistry', description: null, position: 1 }]);
    expect(await getCourseOutline(t.db, 'nope')).toBeUndefined();
  });

  describe('upsertCourse (use-case)', () => {
    let root: string;
    let deps: UpsertCourseDeps;
    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'lectern-course-'));
      deps = {
        config: parseConfig({}),
        uploads: new FsObjectStore(path.join(root, 'uploads'), { bucket: 'uploads' }),
        published: new FsObjectStore(path.join(root, 'published'), { bucket: 'published' }),
        db: t.db,
        now: () => new Date(),
      };
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    async function put(course: string, yaml: string, eventTime: string): Promise<ValidateInput> {
      const key = `courses/${course}/course.yaml`;
      const { etag } = await deps.uploads.put(key, yaml);
      const source = { bucket: 'uploads', key, etag, size: Buffer.byteLength(yaml), eventTime };
      const id = assetVersionId(source);
      return { executionId: `exec-${id}`, executionName: id, upload: { assetVersionId: id, source, kind: 'course', course, fileName: 'course.yaml', stem: 'course', receivedAt: eventTime } };
    }

    it('records an accepted course.yaml and says what it did', async () => {
      const input = await put('intro-to-biology', 'title: Introduction to Biology\nlessons:\n  - slug: cells\n    title: "Cells: the unit of life"\n  - slug: genetics\n    title: Genetics basics\n', '2026-05-01T10:00:00Z');
      const validation = await upsertCourse(input, deps);
      expect(validation).toMatchObject({ accepted: true, format: 'course-yaml', reasons: [], warnings: [], metadata: { title: 'Introduction to Biology', lessonCount: 2 }, artifacts: [] });
      expect(validation.course?.lessons?.map((l) => l.slug)).toEqual(['cells', 'genetics']);
      expect((await getCourseOutline(t.db, 'intro-to-biology'))!.lessons.map((l) => [l.slug, l.position])).toEqual([
        ['cells', 1],
        ['genetics', 2],
      ]);
      expect(await upsertCourse(input, deps)).toEqual(validation); // a retry gives the same verdict
    });

    it('rejects a broken course.yaml with positions and writes nothing', async () => {
      const input = await put('broken', 'titel: Oops\n', '2026-05-01T11:00:00Z');
      const validation = await upsertCourse(input, deps);
      expect(validation).toMatchObject({ accepted: false, format: 'course-yaml', warnings: [], metadata: {}, artifacts: [] });
      expect(validation.reasons.map((r) => `${r.code}@${r.line}:${r.column}`)).toEqual(['course.missing-field@1:1', 'course.unknown-field@1:1']);
      expect(await getCourseOutline(t.db, 'broken')).toBeUndefined();
    });

    it('on a signed stage, returns the CDN paths an access change touched (for InvalidateCdn) and, on a retry, the course\'s public copies as one path', async () => {
      // The lecture is copied server-side (ObjectStore.copy, S3 CopyObject): reading it is an error.
      const published = deps.published;
      const noMediaReads: UpsertCourseDeps['published'] = wrapStore(published, {
        get: (key: string) => (key.endsWith('.mp4') ? Promise.reject(new Error(`read ${key} into memory`)) : published.get(key)),
      });
      const signed: UpsertCourseDeps = { ...deps, published: noMediaReads, config: parseConfig({ LECTERN_ACCESS: 'signed', CDN_BASE_URL: 'https://cdn.example' }) };
      const manifest = { schemaVersion: 1, course: 'paid', lesson: 'intro', assets: {} };
      await deps.published.put('courses/paid/lessons/intro/manifest.json', JSON.stringify(manifest), { contentType: 'application/json' });
      await deps.published.put('courses/paid/lessons/intro/lecture/0123/lecture.mp4', new Uint8Array(4096).fill(7), { contentType: 'video/mp4' });
      const yaml = (access: string) => `title: Paid\naccess: signed\nlessons:\n  - slug: intro\n    title: Intro\n    access: ${access}\n`;
      const opened = await put('paid', yaml('public'), '2026-05-03T10:00:00Z');
      expect((await upsertCourse(opened, signed)).invalidationPaths).toEqual(['/public/courses/paid/lessons/intro/manifest.json']);
      expect(await deps.published.get('public/courses/paid/lessons/intro/manifest.json')).toBeDefined();
      expect(await deps.published.head('public/courses/paid/lessons/intro/lecture/0123/lecture.mp4')).toMatchObject({ size: 4096, contentType: 'video/mp4' });
      // Retried after the copies were made (say its report failed to write): still purged.
      expect((await upsertCourse(opened, signed)).invalidationPaths).toEqual(['/public/courses/paid/*']);
      const closed = await put('paid', yaml('signed'), '2026-05-03T11:00:00Z');
      expect((await upsertCourse(closed, signed)).invalidationPaths).toEqual(['/public/courses/paid/lessons/intro/*']);
      expect(await deps.published.get('public/courses/paid/lessons/intro/manifest.json')).toBeUndefined();
      // A public stage mirrors nothing, so nothing to purge.
      expect((await upsertCourse(await put('paid', yaml('public'), '2026-05-03T12:00:00Z'), deps)).invalidationPaths).toEqual([]);
    });

    it('accepts an older course.yaml that lost the race with a warning, changing nothing', async () => {
      const newer = await put('race', 'title: Newer\n', '2026-05-02T12:00:00Z');
      await upsertCourse(newer, deps);
      const older = await put('race', 'title: Older\n', '2026-05-02T11:00:00Z');
      const validation = await upsertCourse(older, deps);
      expect(validation.accepted).toBe(true);
      expect(validation.warnings.map((w) => w.code)).toEqual(['course.superseded']);
      expect((await getCourseOutline(t.db, 'race'))!.title).toBe('Newer');
    });
  });
});
