/**
 * Whole-machine tests: real files through the real ASL, run by the local orchestrator with the
 * real handlers and the local twins, on every database dialect.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../../shared/contract/errors.js';
import type { ObjectStore, PutOptions } from '../../shared/ports/object-store.js';
import { DIALECTS } from '../helpers/dialects.js';
import { openTestStack, type TestStack } from '../helpers/local-stack.js';
import { BROKEN_GIFT, GOOD_GIFT, makeTextPdf, text } from '../helpers/upload-fixtures.js';
import { wrapStore } from '../helpers/wrapped-store.js';

/** A store whose `put` fails with a transient error for the first `times` calls matching `keyPattern`. */
function flakyPuts(store: ObjectStore, keyPattern: RegExp, times: number): ObjectStore & { failures: number } {
  const wrapper = wrapStore(store, {
    failures: 0,
    async put(key: string, body: Uint8Array | string, options?: PutOptions) {
      if (keyPattern.test(key) && wrapper.failures < times) {
        wrapper.failures++;
        throw new DependencyUnavailableError(`S3 is throttling (SlowDown) on ${key}`);
      }
      return store.put(key, body, options);
    },
  });
  return wrapper;
}

describe.each(DIALECTS)('publish-content on the local stack ($name)', (dialect) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await openTestStack(dialect);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('publishes a PDF and a GIFT quiz: outputs, manifest, records, reports, CDN invalidation', async () => {
    const pdf = await stack.upload('courses/intro-to-biology/lessons/cells/Cell Structure.pdf', await makeTextPdf({ pages: 2, title: 'Cell Structure' }));
    const quiz = await stack.upload('courses/intro-to-biology/lessons/cells/cell-basics.gift', text(GOOD_GIFT));

    expect(pdf).toMatchObject({ status: 'published', kind: 'pdf', reasons: [] });
    expect(quiz).toMatchObject({ status: 'published', kind: 'quiz', reasons: [] });
    expect(pdf.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/courses\/intro-to-biology\/lessons\/cells\/Cell%20Structure\.pdf\/[0-9a-f]{16}\/Cell%20Structure\.pdf$/);
    expect(quiz.url).toMatch(/\/cell-basics\.gift\/[0-9a-f]{16}\/quiz\.json$/);

    const tree = await stack.publishedTree();
    const quizKey = decodeURIComponent(new URL(quiz.url!).pathname.slice(1));
    const canonical = JSON.parse(new TextDecoder().decode((await stack.published.get(quizKey))!)) as { questions: unknown[] };
    expect(canonical.questions).toHaveLength(2);
    expect(Object.keys(tree)).toContain('courses/intro-to-biology/lessons/cells/manifest.json');

    const manifest = JSON.parse(new TextDecoder().decode((await stack.published.get('courses/intro-to-biology/lessons/cells/manifest.json'))!));
    expect(Object.keys(manifest.assets)).toEqual(['Cell Structure.pdf', 'cell-basics.gift']);
    expect(manifest.assets['cell-basics.gift']).toMatchObject({ kind: 'quiz', format: 'gift', url: quiz.url, assetVersionId: quiz.assetVersionId });
    expect(manifest.assets['Cell Structure.pdf'].metadata).toMatchObject({ pageCount: 2, title: 'Cell Structure' });

    const rows = await stack.db.selectFrom('asset_versions').select(['id', 'status', 'kind', 'format']).orderBy('kind').execute();
    expect(rows).toEqual([
      { id: pdf.assetVersionId, status: 'published', kind: 'pdf', format: 'pdf' },
      { id: quiz.assetVersionId, status: 'published', kind: 'quiz', format: 'gift' },
    ]);
    const assets = await stack.db.selectFrom('assets').select(['file_name', 'current_version_id']).orderBy('file_name').execute();
    expect(assets).toEqual([
      { file_name: 'Cell Structure.pdf', current_version_id: pdf.assetVersionId },
      { file_name: 'cell-basics.gift', current_version_id: quiz.assetVersionId },
    ]);

    expect(await stack.report('courses/intro-to-biology/lessons/cells/cell-basics.gift')).toMatchObject({ status: 'published', url: quiz.url, reasons: [] });
    const invalidations = await stack.cdn.log();
    expect(invalidations.map((i) => i.paths)).toEqual([['/courses/intro-to-biology/lessons/cells/manifest.json'], ['/courses/intro-to-biology/lessons/cells/manifest.json']]);
  });

  it('rejects what educators got wrong, with a reason they can act on, and keeps the source', async () => {
    const cases = [
      { key: 'courses/intro-to-biology/lessons/cells/broken.gift', bytes: text(BROKEN_GIFT), code: /^quiz\./ },
      { key: 'courses/intro-to-biology/lessons/cells/scripted.pdf', bytes: await makeTextPdf({ javascript: 'app.alert("hi")' }), code: /^pdf\.javascript$/ },
      { key: 'courses/Intro To Biology/lessons/cells/notes.pdf', bytes: await makeTextPdf(), code: /^key\.invalid-course-slug$/ },
      { key: 'courses/intro-to-biology/lessons/cells/not-really.pdf', bytes: text('This is a text file with a .pdf name.'), code: /^upload\.content-mismatch$/ },
      { key: 'courses/intro-to-biology/lessons/cells/lecture.mp4', bytes: text('a text file named like a video'), code: /^upload\.content-mismatch$/ },
      { key: 'courses/intro-to-biology/lessons/cells/empty.gift', bytes: new Uint8Array(), code: /^upload\.empty$/ },
    ];
    for (const c of cases) {
      const result = await stack.upload(c.key, c.bytes);
      expect(result.status, c.key).toBe('rejected');
      expect(result.reasons.length, c.key).toBeGreaterThan(0);
      expect(result.reasons[0]!.code, c.key).toMatch(c.code);
      expect(result.reasons[0]!.message.length, c.key).toBeGreaterThan(20);
      expect(await stack.uploads.head(c.key), `${c.key} is kept`).toBeDefined();
      expect(await stack.report(c.key)).toMatchObject({ status: 'rejected', reasons: result.reasons });
      const row = await stack.db.selectFrom('asset_versions').selectAll().where('id', '=', result.assetVersionId).executeTakeFirstOrThrow();
      expect(row.status).toBe('rejected');
      expect(row.reasons).toEqual(result.reasons);
    }
    const broken = await stack.upload('courses/intro-to-biology/lessons/cells/broken.gift', text(BROKEN_GIFT));
    expect(broken.reasons.every((r) => typeof r.line === 'number' && typeof r.column === 'number')).toBe(true);
    expect(broken.reasons.map((r) => r.line)).toEqual(expect.arrayContaining([3]));
    // nothing rejected reached students
    expect(Object.keys(await stack.publishedTree()).filter((k) => /broken|scripted|not-really|notes\.pdf|lecture/.test(k))).toEqual([]);
  });

  it('retries a transient failure to success', async () => {
    const published = stack.deps.published;
    const flaky = flakyPuts(published, /manifest\.json$/, 2);
    stack.deps.published = flaky;
    try {
      const result = await stack.upload('courses/intro-to-biology/lessons/transient/slides.pdf', await makeTextPdf());
      expect(result.status).toBe('published');
      expect(flaky.failures).toBe(2);
      const record = await stack.orchestrator.describe(result.assetVersionId);
      expect(record?.history.filter((e) => e.type === 'StateRetried').map((e) => e.state)).toEqual(['PublishAsset', 'PublishAsset']);
    } finally {
      stack.deps.published = published;
    }
  });

  it('records a failure when retries are exhausted, keeps the source, and a replay then publishes it once', async () => {
    const published = stack.deps.published;
    stack.deps.published = flakyPuts(published, /./, Number.POSITIVE_INFINITY);
    const key = 'courses/intro-to-biology/lessons/outage/slides.pdf';
    let failed;
    try {
      failed = await stack.upload(key, await makeTextPdf({ title: 'Outage' }));
    } finally {
      stack.deps.published = published;
    }
    expect(failed.status).toBe('failed');
    expect(failed.reasons[0]).toMatchObject({ code: 'pipeline.failed' });
    expect(failed.reasons[0]!.message).toMatch(/PublishAsset failed after retries \(DependencyUnavailableError: .*SlowDown/);
    const execution = await stack.orchestrator.describe(failed.assetVersionId);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'UploadFailed' });
    expect(execution!.cause).toMatch(/it resumes at PublishAsset/);
    expect(execution!.history.filter((e) => e.type === 'StateRetried' && e.state === 'PublishAsset')).toHaveLength(5);
    const row = await stack.db.selectFrom('asset_versions').selectAll().where('id', '=', failed.assetVersionId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', failed_state: 'PublishAsset' });
    expect(await stack.report(key)).toMatchObject({ status: 'failed', replay: expect.stringContaining('lectern replay') });
    expect(await stack.uploads.head(key)).toBeDefined();

    // the execution failed AT MarkFailed, so a redrive re-runs MarkFailed, which resumes at PublishAsset
    expect(execution!.history.filter((e) => e.type === 'StateEntered').at(-1)?.state).toBe('MarkFailed');

    // the cause is gone: ops redrive it (console or `lectern replay`), and the records hold one version
    expect(await stack.orchestrator.redriveExecution(failed.assetVersionId)).toEqual({ redriveCount: 1, resumedAt: 'MarkFailed' });
    const redriven = await stack.orchestrator.wait(failed.assetVersionId);
    expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    const resumed = redriven.history.slice(redriven.history.findIndex((e) => e.type === 'ExecutionRedriven'));
    expect(resumed.filter((e) => e.type === 'StateEntered').map((e) => e.state)).toEqual(['MarkFailed', 'ResumeFailedStep', 'PublishAsset', 'InvalidateCdn', 'RecordOrDone', 'RecordPublished', 'CaptionsWanted', 'Published']);
    const after = await stack.result(failed.assetVersionId, key);
    expect(after.status).toBe('published');
    expect(await stack.report(key)).toMatchObject({ status: 'published' });
    expect(await stack.db.selectFrom('asset_versions').select('id').where('source_key', '=', key).execute()).toHaveLength(1);
    // a second redrive is refused: the execution succeeded
    await expect(stack.orchestrator.redriveExecution(failed.assetVersionId)).rejects.toThrow(/SUCCEEDED/);
  });

  it('records course.yaml, publishes captions as WebVTT, and rejects broken ones at their line', async () => {
    const course = await stack.upload(
      'courses/intro-to-biology/course.yaml',
      text('title: Introduction to Biology\ndescription: Cells and genes.\nlessons:\n  - slug: cells\n    title: Cells\n  - slug: genetics\n    title: Genetics\n'),
    );
    expect(course).toMatchObject({ status: 'published', kind: 'course' });
    const row = await stack.db.selectFrom('courses').select(['title', 'description']).where('slug', '=', 'intro-to-biology').executeTakeFirstOrThrow();
    expect(row).toEqual({ title: 'Introduction to Biology', description: 'Cells and genes.' });
    const lessons = await stack.db
      .selectFrom('lessons')
      .innerJoin('courses', 'courses.id', 'lessons.course_id')
      .select(['lessons.slug', 'lessons.title', 'lessons.position'])
      .where('courses.slug', '=', 'intro-to-biology')
      .where('lessons.position', 'is not', null)
      .orderBy('lessons.position')
      .execute();
    expect(lessons).toEqual([
      { slug: 'cells', title: 'Cells', position: 1 },
      { slug: 'genetics', title: 'Genetics', position: 2 },
    ]);
    const badCourse = await stack.upload('courses/biology-2/course.yaml', text('title: Biology 2\nlesons:\n  - slug: x\n'));
    expect(badCourse.status).toBe('rejected');
    expect(badCourse.reasons[0]).toMatchObject({ line: 2 });

    const srt = await stack.upload('courses/intro-to-biology/lessons/cells/lecture.en.srt', text('1\n00:00:00,000 --> 00:00:02,000\nHello <b>students</b>\n\n2\n00:00:02,500 --> 00:00:04,000\nCells divide.\n'));
    expect(srt).toMatchObject({ status: 'published', kind: 'captions' });
    expect(srt.url).toMatch(/\/lecture\.en\.srt\/[0-9a-f]{16}\/lecture\.en\.vtt$/);
    const vtt = new TextDecoder().decode((await stack.published.get(decodeURIComponent(new URL(srt.url!).pathname.slice(1))))!);
    expect(vtt).toMatch(/^WEBVTT/);
    expect(vtt).toContain('00:00:00.000 --> 00:00:02.000');
    const manifest = JSON.parse(new TextDecoder().decode((await stack.published.get('courses/intro-to-biology/lessons/cells/manifest.json'))!));
    expect(manifest.assets['lecture.en.srt']).toMatchObject({ kind: 'captions', metadata: { videoStem: 'lecture', language: 'en' } });

    const badVtt = await stack.upload('courses/intro-to-biology/lessons/cells/broken.en.vtt', text('WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBackwards\n'));
    expect(badVtt.status).toBe('rejected');
    expect(badVtt.reasons[0]).toMatchObject({ code: 'captions.end-before-start', line: 3 });

    // educators are told about publications and rejections, filterable by course
    const notifications = (await readFile(path.join(stack.stateDir, 'notifications.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(notifications.find((n) => n.assetVersionId === srt.assetVersionId)).toMatchObject({ status: 'published', course: 'intro-to-biology', lesson: 'cells', url: srt.url });
    expect(notifications.find((n) => n.assetVersionId === badVtt.assetVersionId)).toMatchObject({ status: 'rejected', course: 'intro-to-biology', reasons: badVtt.reasons });
    const metrics = (await readFile(path.join(stack.stateDir, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics.filter((m) => m.name === 'UploadsRejected').map((m) => m.dimensions.ReasonCode)).toContain('captions.end-before-start');
    expect(metrics.some((m) => m.name === 'UploadToPublishedLatency' && m.unit === 'Milliseconds')).toBe(true);
    expect(metrics.some((m) => m.name === 'ContentDeliveryLatency' && m.unit === 'Milliseconds' && m.dimensions?.Kind === 'pdf')).toBe(true);
  });

  it('processes the same upload twice into one asset version, identical outputs and no duplicate rows', async () => {
    const key = 'courses/intro-to-biology/lessons/twice/check.gift';
    const bytes = text(GOOD_GIFT);
    const [a, b, c] = await Promise.all([stack.upload(key, bytes), stack.upload(key, bytes), stack.upload(key, bytes)]);
    expect(a.status).toBe('published');
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const executions = (await stack.orchestrator.list()).filter((e) => e.name === a.assetVersionId);
    expect(executions).toHaveLength(1);

    const count = async () => ({
      courses: (await stack.db.selectFrom('courses').select('id').execute()).length,
      lessons: (await stack.db.selectFrom('lessons').select('id').execute()).length,
      assets: (await stack.db.selectFrom('assets').select('id').execute()).length,
      versions: (await stack.db.selectFrom('asset_versions').select('id').execute()).length,
    });
    const treeBefore = await stack.publishedTree();
    const rowsBefore = await count();
    // a replay of the whole execution (as ops would do in the console) changes nothing
    const input = executions[0]!.input;
    const replay = await stack.orchestrator.run(`${a.assetVersionId}-replay`, input);
    expect(replay.record.status).toBe('SUCCEEDED');
    expect(await stack.publishedTree()).toEqual(treeBefore);
    expect(await count()).toEqual(rowsBefore);
    expect(await stack.result(a.assetVersionId, key)).toMatchObject({ status: 'published', url: a.url });
  });
});
