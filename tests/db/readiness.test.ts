/**
 * Readiness and escalation on every dialect: schedules recorded from course.yaml, readiness from
 * the uploads as recorded, each alert sent once however often (and however concurrently) the sweep
 * runs, an all-clear after a fix, and an alert whose sender died delivered by a later sweep.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/runtime/config.js';
import type { CourseMetadata } from '../../shared/course/course-schema.js';
import { recordEnded, recordPublished } from '../../shared/db/asset-repository.js';
import { saveCourseMetadata } from '../../shared/db/course-repository.js';
import { alertKey, claimAlert, listAlerts, loadClaimedAlerts, markAlertSent, reclaimStaleAlert } from '../../shared/db/readiness-repository.js';
import type { MetricName } from '../../shared/ports/metrics.js';
import type { Notification, Notifier } from '../../shared/ports/notifier.js';
import { readinessReport, readinessSweep, type ReadinessSweepDeps } from '../../shared/use-cases/readiness.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../helpers/dialects.js';

const CLASS = new Date('2027-01-11T08:00:00Z');
const before = (minutes: number) => new Date(CLASS.getTime() - minutes * 60_000);

const COURSE: CourseMetadata = {
  title: 'Biology',
  timeZone: 'Europe/Paris',
  lessons: [
    { slug: 'cells', title: 'Cells', scheduledAt: CLASS.toISOString(), expects: [{ file: 'slides.pdf', optional: false }, { file: 'reading.pdf', optional: true }] },
    { slug: 'genetics', title: 'Genetics', scheduledAt: new Date(CLASS.getTime() + 7 * 86_400_000).toISOString(), expects: [{ file: 'slides.pdf', optional: false }] },
    { slug: 'unscheduled', title: 'Reading week' },
  ],
};

class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  failing = false;
  async notify(n: Notification): Promise<void> {
    if (this.failing) throw new Error('SNS is unavailable');
    this.sent.push(n);
  }
}

const version = (id: string, file: string, receivedAt: Date) => ({
  id,
  source: { bucket: 'uploads', key: `courses/bio/lessons/cells/${file}`, etag: id, size: 10 },
  receivedAt,
  courseSlug: 'bio',
  lessonSlug: 'cells',
  fileName: file,
  stem: file.replace(/\.[^.]+$/, ''),
  kind: 'pdf',
  executionId: id,
});

describe.each(DIALECTS)('readiness before class on $name', (dialect) => {
  let t: TestDatabase;
  let now: Date;
  let notifier: RecordingNotifier;
  let metrics: Array<{ name: MetricName; value: number }>;
  let deps: ReadinessSweepDeps;

  beforeAll(async () => {
    t = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(async () => {
    await t.db.deleteFrom('readiness_alerts').execute();
    await t.db.deleteFrom('asset_versions').execute();
    await t.db.deleteFrom('assets').execute();
    await t.db.deleteFrom('lessons').execute();
    await t.db.deleteFrom('courses').execute();
    await saveCourseMetadata(t.db, { slug: 'bio', course: COURSE, versionId: 'av-course', sourceTime: new Date('2027-01-01T00:00:00Z') });
    now = before(24 * 60 + 30);
    notifier = new RecordingNotifier();
    metrics = [];
    deps = {
      db: t.db,
      notifier,
      metrics: { add: (name, _unit, value) => void metrics.push({ name, value }) },
      now: () => now,
      config: parseConfig({}),
    };
  });

  const rejectSlides = () =>
    recordEnded(t.db, {
      version: version('av-bad', 'slides.pdf', before(25 * 60)),
      status: 'rejected',
      reasons: [{ code: 'pdf.javascript', message: 'The PDF runs JavaScript when it is opened (page 1).', line: 12, column: 3 }],
      warnings: [],
      metadata: {},
      finishedAt: before(25 * 60 - 1),
    });
  const publishSlides = (at: Date) =>
    recordPublished(t.db, { version: version('av-good', 'slides.pdf', at), warnings: [], metadata: {}, outputs: [], url: 'https://cdn.example/slides.pdf', finishedAt: at });

  it('records the schedule and computes readiness from the uploads, next class first', async () => {
    await rejectSlides();
    const report = await readinessReport({ db: t.db, now: () => now });
    expect(report.map((r) => [r.lesson, r.state])).toEqual([
      ['cells', 'at-risk'],
      ['genetics', 'at-risk'],
    ]);
    expect(report[0]!.missing).toEqual([
      expect.objectContaining({ file: 'slides.pdf', status: 'rejected', optional: false, reasons: [expect.objectContaining({ code: 'pdf.javascript', line: 12, column: 3 })] }),
      expect.objectContaining({ file: 'reading.pdf', status: 'not-uploaded', optional: true }),
    ]);
    expect(report[0]!.timeZone).toBe('Europe/Paris');
  });

  it('escalates as class time nears, each threshold once, and sends an all-clear after the fix', async () => {
    await rejectSlides();
    expect((await readinessSweep({}, deps)).sent).toEqual([]); // T-24h30m: nothing yet

    now = before(24 * 60 - 5);
    const first = await readinessSweep({}, deps);
    expect(first.sent).toEqual([expect.objectContaining({ lesson: 'cells', alert: 'T-24h', audience: 'educator', severity: 'warning' })]);
    expect((await readinessSweep({}, deps)).sent).toEqual([]); // twice: nothing new

    now = before(100);
    expect((await readinessSweep({}, deps)).sent.map((s) => s.alert)).toEqual(['T-2h']);
    now = before(20);
    const page = await readinessSweep({}, deps);
    expect(page.sent).toEqual([expect.objectContaining({ alert: 'T-30m', audience: 'ops', severity: 'critical' })]);
    const message = notifier.sent.at(-1)!;
    expect(message).toMatchObject({ type: 'readiness', course: 'bio', lesson: 'cells', audience: 'ops', severity: 'critical', state: 'at-risk' });
    expect(JSON.stringify(message)).toContain('slides.pdf: rejected — line 12, column 3: The PDF runs JavaScript');
    expect((await readinessSweep({}, deps)).sent).toEqual([]);

    await publishSlides(before(10));
    now = before(9);
    const clear = await readinessSweep({}, deps);
    expect(clear.sent).toEqual([expect.objectContaining({ alert: 'all-clear@T-30m', kind: 'all-clear', audience: 'ops', severity: 'info' })]);
    expect((await readinessSweep({}, deps)).sent).toEqual([]);
    expect(notifier.sent).toHaveLength(4);
    expect((await listAlerts(t.db, { course: 'bio' })).every((a) => a.sent_at !== null)).toBe(true);
    expect(metrics.filter((m) => m.name === 'ReadinessAlertsSent')).toHaveLength(4);
  });

  it('pages ops once when the class starts at risk, and counts it as missed', async () => {
    await rejectSlides();
    now = new Date(CLASS.getTime() + 60_000);
    const result = await readinessSweep({}, deps);
    expect(result.sent).toEqual([expect.objectContaining({ alert: 'missed', audience: 'ops', kind: 'missed' })]);
    expect(result.readiness.find((r) => r.lesson === 'cells')!.state).toBe('missed');
    expect(metrics).toContainEqual({ name: 'MissedClasses', value: 1 });
    expect((await readinessSweep({}, deps)).sent).toEqual([]);
  });

  it('sends each alert once when two sweeps run at the same time', async () => {
    await rejectSlides();
    now = before(20);
    const [a, b] = await Promise.all([readinessSweep({}, deps), readinessSweep({}, deps)]);
    expect([...a.sent, ...b.sent]).toHaveLength(1);
    expect(notifier.sent).toHaveLength(1);
  });

  it('delivers an alert whose notification failed on a later sweep, once', async () => {
    await rejectSlides();
    now = before(20);
    notifier.failing = true;
    await expect(readinessSweep({}, deps)).rejects.toThrow(/1 readiness alert\(s\) could not be sent.*SNS is unavailable/);
    notifier.failing = false;
    expect((await readinessSweep({}, deps)).sent).toEqual([]); // the claim is fresh: someone may still be sending it
    now = before(14);
    expect((await readinessSweep({}, deps)).sent.map((s) => s.alert)).toEqual(['T-30m']);
    expect((await readinessSweep({}, deps)).sent).toEqual([]);
    expect(notifier.sent).toHaveLength(1);
  });

  it('marks sent only the alert that was sent, and takes over only a stale claim that was not', async () => {
    const key = { course: 'bio', lesson: 'cells', scheduledAt: CLASS };
    const claim = (alert: string, at: Date) => claimAlert(t.db, key, { alert, severity: 'warning', state: 'at-risk', detail: {} }, at);
    expect(await claim('T-24h', before(24 * 60))).toBe(true);
    expect(await claim('T-2h', before(120))).toBe(true);
    await markAlertSent(t.db, key, 'T-2h', before(119));
    const claimed = (await loadClaimedAlerts(t.db, [key])).get(alertKey(key)) ?? [];
    expect(claimed.map((c) => [c.alert, c.sent]).sort()).toEqual([
      ['T-24h', false],
      ['T-2h', true],
    ]);
    expect(await reclaimStaleAlert(t.db, key, 'T-2h', before(0), before(0))).toBe(false); // sent: never again
    expect(await reclaimStaleAlert(t.db, key, 'T-24h', before(0), before(0))).toBe(true);
    expect(await reclaimStaleAlert(t.db, key, 'T-24h', before(0), before(0))).toBe(false); // just taken over: fresh again
  });

  it('starts afresh when the class is rescheduled', async () => {
    await rejectSlides();
    now = before(20);
    expect((await readinessSweep({}, deps)).sent.map((s) => s.alert)).toEqual(['T-30m']);
    const later = new Date(CLASS.getTime() + 10 * 60_000);
    await saveCourseMetadata(t.db, {
      slug: 'bio',
      course: { ...COURSE, lessons: [{ ...COURSE.lessons![0]!, scheduledAt: later.toISOString() }] },
      versionId: 'av-course-2',
      sourceTime: new Date('2027-01-02T00:00:00Z'),
    });
    expect((await readinessSweep({}, deps)).sent).toEqual([expect.objectContaining({ alert: 'T-30m', scheduledAt: later.toISOString() })]);
  });
});
