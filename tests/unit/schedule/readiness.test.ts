/** Readiness rules and the escalation decisions, on plain data. */
import { describe, expect, it } from 'vitest';
import { decideAlert, parseThresholds, type ReadinessConfig } from '../../../shared/schedule/escalation.js';
import { lessonReadiness, sortReadiness, type LessonUpload, type ScheduledLesson } from '../../../shared/schedule/readiness.js';

const CLASS = new Date('2027-01-11T08:00:00Z');
const minutes = (n: number) => new Date(CLASS.getTime() + n * 60_000);
const lesson = (over: Partial<ScheduledLesson> = {}): ScheduledLesson => ({
  course: 'bio',
  lesson: 'cells',
  scheduledAt: CLASS,
  requireCaptions: false,
  expects: [
    { file: 'lecture.mp4', optional: false },
    { file: 'slides.pdf', optional: false },
    { file: 'extra.pdf', optional: true },
  ],
  ...over,
});
let n = 0;
const upload = (fileName: string, status: LessonUpload['status'], over: Partial<LessonUpload> = {}): LessonUpload => ({
  assetVersionId: `av-${++n}`,
  fileName,
  kind: fileName.endsWith('.mp4') ? 'video' : fileName.endsWith('.vtt') ? 'captions' : 'pdf',
  status,
  isCurrent: status === 'published',
  reasons: [],
  receivedAt: minutes(-600 + n),
  ...(status === 'published' ? { finishedAt: minutes(-500) } : {}),
  ...over,
});

describe('lessonReadiness', () => {
  it('is ready when every expected file is published, optional ones aside', () => {
    const r = lessonReadiness(lesson(), [upload('lecture.mp4', 'published'), upload('slides.pdf', 'published')], minutes(-60));
    expect(r.state).toBe('ready');
    expect(r.missing).toEqual([expect.objectContaining({ file: 'extra.pdf', optional: true, status: 'not-uploaded' })]);
    expect(r.startsInMs).toBe(60 * 60_000);
  });

  it('is at risk with what and why: not uploaded, processing, rejected with its line and column, failed', () => {
    const rejected = upload('slides.pdf', 'rejected', { reasons: [{ code: 'pdf.javascript', message: 'The PDF runs JavaScript when opened.', line: 3, column: 7 }] });
    const r = lessonReadiness(lesson({ expects: [{ file: 'lecture.mp4', optional: false }, { file: 'slides.pdf', optional: false }, { file: 'quiz.gift', optional: false }, { file: 'notes.pdf', optional: false }] }), [upload('lecture.mp4', 'processing'), rejected, upload('quiz.gift', 'failed', { failedState: 'ValidateQuiz' })], minutes(-20));
    expect(r.state).toBe('at-risk');
    expect(r.missing.map((m) => [m.file, m.status])).toEqual([
      ['lecture.mp4', 'processing'],
      ['slides.pdf', 'rejected'],
      ['quiz.gift', 'failed'],
      ['notes.pdf', 'not-uploaded'],
    ]);
    expect(r.missing[1]!.reasons).toEqual(rejected.reasons);
    expect(r.missing[2]!.fix).toMatch(/ValidateQuiz.*lectern replay/);
    expect(r.missing[3]!.fix).toMatch(/Upload notes\.pdf to courses\/bio\/lessons\/cells\//);
  });

  it('keeps a lesson ready while a newer upload of a published file is processing or rejected', () => {
    const r = lessonReadiness(lesson(), [upload('lecture.mp4', 'published'), upload('slides.pdf', 'published'), upload('slides.pdf', 'rejected', { isCurrent: false })], minutes(-5));
    expect(r.state).toBe('ready');
  });

  it('needs a published caption track for each video when the course requires captions', () => {
    const base = [upload('lecture.mp4', 'published'), upload('slides.pdf', 'published')];
    const without = lessonReadiness(lesson({ requireCaptions: true }), base, minutes(-60));
    expect(without.state).toBe('at-risk');
    expect(without.missing[0]).toMatchObject({ file: 'lecture.mp4', status: 'no-captions' });
    expect(without.missing[0]!.fix).toMatch(/lecture\.en\.vtt/);
    const withCaptions = lessonReadiness(lesson({ requireCaptions: true }), [...base, upload('lecture.en.vtt', 'published')], minutes(-60));
    expect(withCaptions.state).toBe('ready');
    // Another video's captions do not count.
    expect(lessonReadiness(lesson({ requireCaptions: true }), [...base, upload('intro.en.vtt', 'published')], minutes(-60)).state).toBe('at-risk');
  });

  it('is missed once the class started while at risk, including content published after the start', () => {
    expect(lessonReadiness(lesson(), [upload('lecture.mp4', 'published')], minutes(1)).state).toBe('missed');
    const late = lessonReadiness(lesson(), [upload('lecture.mp4', 'published'), upload('slides.pdf', 'published', { finishedAt: minutes(5) })], minutes(10));
    expect(late.state).toBe('missed');
    expect(late.missing).toContainEqual(expect.objectContaining({ file: 'slides.pdf', status: 'published-late' }));
    // Published in time: still ready after the start.
    expect(lessonReadiness(lesson(), [upload('lecture.mp4', 'published'), upload('slides.pdf', 'published')], minutes(30)).state).toBe('ready');
  });

  it('puts the next classes first, then those that have started, latest first', () => {
    const at = (m: number, name: string) => lessonReadiness(lesson({ lesson: name, scheduledAt: minutes(m), expects: [] }), [], CLASS);
    expect(sortReadiness([at(-60, 'past-old'), at(120, 'later'), at(-5, 'past-new'), at(30, 'next')]).map((r) => r.lesson)).toEqual(['next', 'later', 'past-new', 'past-old']);
  });
});

describe('escalation', () => {
  const config: ReadinessConfig = { thresholds: parseThresholds('24h:educator,2h:educator,30m:ops').thresholds, missedLookbackMs: 3_600_000 };
  const atRisk = (minutesBefore: number) => lessonReadiness(lesson(), [], minutes(-minutesBefore));
  const decide = (minutesBefore: number, sent: string[] = []) => decideAlert(atRisk(minutesBefore), new Set(sent), config);

  it('parses thresholds per stage and says what is wrong with a bad one', () => {
    expect(config.thresholds.map((t) => [t.name, t.audience])).toEqual([['T-24h', 'educator'], ['T-2h', 'educator'], ['T-30m', 'ops']]);
    expect(parseThresholds('2h:educator,soon:ops').problems).toEqual(['"soon:ops" is not <number><m|h|d>:<educator|ops>, e.g. 2h:educator']);
    expect(parseThresholds('').problems).toEqual(['no thresholds are given']);
  });

  it('alerts nothing before the loosest threshold, then the educator at T-24h and T-2h, then pages ops at T-30m', () => {
    expect(decide(25 * 60)).toBeUndefined();
    expect(decide(24 * 60)).toMatchObject({ alert: 'T-24h', audience: 'educator', severity: 'warning', kind: 'at-risk' });
    expect(decide(90, ['T-24h'])).toMatchObject({ alert: 'T-2h', audience: 'educator' });
    expect(decide(20, ['T-24h', 'T-2h'])).toMatchObject({ alert: 'T-30m', audience: 'ops', severity: 'critical' });
  });

  it('sends each threshold once, and only the tightest when a lesson is first found at risk late', () => {
    expect(decide(90, ['T-24h', 'T-2h'])).toBeUndefined();
    expect(decide(20)).toMatchObject({ alert: 'T-30m', audience: 'ops' });
    expect(decide(10, ['T-30m'])).toBeUndefined();
  });

  it('pages ops once when the class starts at risk, within the look-back only', () => {
    expect(decideAlert(lessonReadiness(lesson(), [], minutes(5)), new Set(['T-30m']), config)).toMatchObject({ alert: 'missed', audience: 'ops', severity: 'critical', kind: 'missed' });
    expect(decideAlert(lessonReadiness(lesson(), [], minutes(5)), new Set(['T-30m', 'missed']), config)).toBeUndefined();
    expect(decideAlert(lessonReadiness(lesson(), [], minutes(61)), new Set(), config)).toBeUndefined();
  });

  it('sends one all-clear to whoever got the last alert when the lesson becomes ready', () => {
    const ready = lessonReadiness(lesson(), [upload('lecture.mp4', 'published'), upload('slides.pdf', 'published')], minutes(-15));
    expect(decideAlert(ready, new Set(), config)).toBeUndefined();
    expect(decideAlert(ready, new Set(['T-24h', 'T-2h', 'T-30m']), config)).toMatchObject({ alert: 'all-clear@T-30m', audience: 'ops', severity: 'info', kind: 'all-clear' });
    expect(decideAlert(ready, new Set(['T-24h', 'all-clear@T-24h']), config)).toBeUndefined();
    expect(decideAlert(ready, new Set(['T-24h', 'all-clear@T-24h', 'T-2h']), config)).toMatchObject({ alert: 'all-clear@T-2h', audience: 'educator' });
  });
});
