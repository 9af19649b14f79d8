/**
 * Readiness before class (scheduled λ every 5 minutes, and `lectern readiness`): computes each
 * scheduled lesson's readiness from the database and escalates as class time nears — the
 * educator at T-24h and T-2h, ops paged at T-30m, ops again when a class starts while at risk,
 * and an all-clear when a lesson that was alerted on becomes ready.
 *
 * Idempotent and safe to run concurrently: each alert is claimed in `readiness_alerts` (one row
 * per lesson, class time and alert) before it is sent, and only the claimant sends it. A claim
 * whose sender died before confirming delivery is taken over after `STALE_CLAIM_MS`.
 */
import { alertKey, claimAlert, loadClaimedAlerts, loadLessonUploads, loadScheduledLessons, markAlertSent, reclaimStaleAlert, type AlertKey, type ScheduleWindow } from '../db/readiness-repository.js';
import type { Deps } from '../runtime/deps.js';
import { recordCaptionCoverage } from './caption-coverage.js';
import { DependencyUnavailableError } from '../contract/errors.js';
import type { ReadinessNotification } from '../ports/notifier.js';
import { formatClassTime } from '../schedule/class-time.js';
import { decideAlert, type AlertDecision } from '../schedule/escalation.js';
import { describeMissing, lessonReadiness, sortReadiness, type LessonReadiness } from '../schedule/readiness.js';

export type ReadinessReportDeps = Pick<Deps, 'db' | 'now'>;
export type ReadinessSweepDeps = Pick<Deps, 'db' | 'notifier' | 'metrics' | 'now' | 'config'>;

const STALE_CLAIM_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/** Readiness of the scheduled lessons in a window, upcoming classes first. */
export async function readinessReport(deps: ReadinessReportDeps, window: ScheduleWindow = {}): Promise<LessonReadiness[]> {
  const now = deps.now();
  const lessons = await loadScheduledLessons(deps.db, window);
  const uploads = await loadLessonUploads(deps.db, lessons);
  return sortReadiness(lessons.map((lesson) => lessonReadiness(lesson, uploads.get(`${lesson.course}/${lesson.lesson}`) ?? [], now)));
}

export interface SentAlert extends AlertDecision {
  course: string;
  lesson: string;
  scheduledAt: string;
}

export interface ReadinessSweepResult {
  /** Every lesson looked at, upcoming first. */
  readiness: LessonReadiness[];
  /** Alerts sent by this run (nothing on a second run over the same state). */
  sent: SentAlert[];
}

export async function readinessSweep(_event: unknown, deps: ReadinessSweepDeps, options: { course?: string } = {}): Promise<ReadinessSweepResult> {
  const now = deps.now();
  const { thresholds, missedLookbackMs } = deps.config.readiness;
  const horizon = Math.max(DAY_MS, ...thresholds.map((t) => t.beforeMs));
  const readiness = await readinessReport(deps, { from: new Date(now.getTime() - missedLookbackMs), to: new Date(now.getTime() + horizon), ...(options.course ? { course: options.course } : {}) });
  const keys = readiness.map((r): AlertKey => ({ course: r.course, lesson: r.lesson, scheduledAt: new Date(r.scheduledAt) }));
  const claimed = await loadClaimedAlerts(deps.db, keys);

  const sent: SentAlert[] = [];
  const failures: string[] = [];
  for (const [index, r] of readiness.entries()) {
    const key = keys[index]!;
    const alerts = claimed.get(alertKey(key)) ?? [];
    const deliveries: AlertDecision[] = [];
    // A claim whose sender died before delivering it: deliver it now (still true or not, it was due).
    for (const stale of alerts.filter((a) => !a.sent && a.claimedAt.getTime() < now.getTime() - STALE_CLAIM_MS)) {
      const decision = decisionFor(stale.alert, deps.config.readiness.thresholds);
      if (decision && (await reclaimStaleAlert(deps.db, key, stale.alert, new Date(now.getTime() - STALE_CLAIM_MS), now))) deliveries.push(decision);
    }
    const decision = decideAlert(r, new Set(alerts.map((a) => a.alert)), deps.config.readiness);
    if (decision && (await claimAlert(deps.db, key, { alert: decision.alert, severity: decision.severity, state: r.state, detail: { missing: r.missing } }, now))) deliveries.push(decision);

    for (const delivery of deliveries) {
      try {
        await deps.notifier.notify(notification(r, delivery));
        await markAlertSent(deps.db, key, delivery.alert, now);
        sent.push({ ...delivery, course: r.course, lesson: r.lesson, scheduledAt: r.scheduledAt });
        deps.metrics.add('ReadinessAlertsSent', 'Count', 1, { Audience: delivery.audience });
        if (delivery.kind === 'missed') deps.metrics.add('MissedClasses', 'Count', 1);
      } catch (error) {
        failures.push(`${r.course}/${r.lesson} ${delivery.alert}: ${(error as Error).message}`);
      }
    }
  }
  deps.metrics.add('LessonsAtRisk', 'Count', readiness.filter((r) => r.state === 'at-risk' && r.startsInMs <= DAY_MS).length);
  // Every published video captioned: the coverage metrics (videos-without-captions alarm).
  if (!options.course) await recordCaptionCoverage(deps);
  if (failures.length > 0) {
    // The claims stay unsent; the next sweep delivers them once they are stale.
    throw new DependencyUnavailableError(`${failures.length} readiness alert(s) could not be sent: ${failures.join('; ')}`);
  }
  return { readiness, sent };
}

function decisionFor(alert: string, thresholds: ReadonlyArray<{ name: string; audience: 'educator' | 'ops' }>): AlertDecision | undefined {
  if (alert === 'missed') return { alert, audience: 'ops', severity: 'critical', kind: 'missed' };
  const cleared = alert.startsWith('all-clear@') ? alert.slice('all-clear@'.length) : undefined;
  const threshold = thresholds.find((t) => t.name === (cleared ?? alert));
  if (!threshold) return undefined;
  if (cleared) return { alert, audience: threshold.audience, severity: 'info', kind: 'all-clear' };
  return { alert, audience: threshold.audience, severity: threshold.audience === 'ops' ? 'critical' : 'warning', kind: 'at-risk' };
}

export function notification(r: LessonReadiness, decision: AlertDecision): ReadinessNotification {
  const when = formatClassTime(new Date(r.scheduledAt), r.timeZone);
  const lesson = `${r.course}/${r.lesson}${r.lessonTitle ? ` (${r.lessonTitle})` : ''}`;
  const blocking = r.missing.filter((m) => !m.optional);
  const message =
    decision.kind === 'all-clear' ? `All clear: ${lesson} is ready for its class at ${when}.`
    : decision.kind === 'missed' ? `Missed: the class of ${lesson} started at ${when} without ${blocking.map((m) => m.file).join(', ')}.`
    : `At risk: the class of ${lesson} starts at ${when} (${decision.alert}) and ${blocking.length} expected file(s) are not ready: ${blocking.map((m) => `${m.file} (${m.status.replace('-', ' ')})`).join(', ')}.`;
  return {
    type: 'readiness',
    alert: decision.alert,
    kind: decision.kind,
    audience: decision.audience,
    severity: decision.severity,
    course: r.course,
    lesson: r.lesson,
    scheduledAt: r.scheduledAt,
    state: r.state,
    missing: r.missing.map(describeMissing),
    message,
  };
}
