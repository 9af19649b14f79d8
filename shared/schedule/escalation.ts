/**
 * Escalation before class: which alert a lesson's readiness calls for now, given the alerts already
 * sent for the same lesson and class time. Pure; the sweep (use-cases/readiness-sweep.ts) claims
 * each alert in the database before sending it, so each is sent once.
 *
 * - at risk, class not started: the tightest threshold crossed (T-24h → educator, T-2h → educator,
 *   T-30m → ops, by default) unless that one was sent; a lesson first found at risk at T-20m pages
 *   ops once rather than sending all three;
 * - missed (the class started while at risk, within the look-back): one `missed` page to ops;
 * - ready again after an alert: one all-clear, to whoever got the last alert.
 * Each threshold alerts once per class time; a new class time (rescheduled) starts afresh.
 */
import type { LessonReadiness } from './readiness.js';

export type Audience = 'educator' | 'ops';
export type Severity = 'info' | 'warning' | 'critical';

export interface Threshold {
  /** `T-24h`, `T-2h`, `T-30m`. */
  name: string;
  beforeMs: number;
  audience: Audience;
}

export interface ReadinessConfig {
  thresholds: Threshold[];
  /** A class that started longer ago than this is not alerted on as missed (first sweep after a deploy). */
  missedLookbackMs: number;
}

export interface AlertDecision {
  alert: string;
  audience: Audience;
  severity: Severity;
  kind: 'at-risk' | 'missed' | 'all-clear';
}

export const DEFAULT_READINESS_THRESHOLDS = '24h:educator,2h:educator,30m:ops';
export const DEFAULT_MISSED_LOOKBACK_MS = 3_600_000;

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `24h:educator,2h:educator,30m:ops` → thresholds, loosest first; problems in words. */
export function parseThresholds(text: string): { thresholds: Threshold[]; problems: string[] } {
  const problems: string[] = [];
  const thresholds: Threshold[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)([mhd]):(educator|ops)$/.exec(part);
    if (!m) {
      problems.push(`"${part}" is not <number><m|h|d>:<educator|ops>, e.g. 2h:educator`);
      continue;
    }
    const beforeMs = Number(m[1]) * UNIT_MS[m[2]!]!;
    if (beforeMs <= 0) problems.push(`"${part}" must be more than zero before the class`);
    else thresholds.push({ name: `T-${m[1]}${m[2]}`, beforeMs, audience: m[3] as Audience });
  }
  if (thresholds.length === 0 && problems.length === 0) problems.push('no thresholds are given');
  return { thresholds: thresholds.sort((a, b) => b.beforeMs - a.beforeMs), problems };
}

export function decideAlert(readiness: LessonReadiness, sent: ReadonlySet<string>, config: ReadinessConfig): AlertDecision | undefined {
  const alerts = config.thresholds.filter((t) => sent.has(t.name));
  if (readiness.state === 'ready') {
    const last = alerts.at(-1);
    if (!last || sent.has(`all-clear@${last.name}`)) return undefined;
    return { alert: `all-clear@${last.name}`, audience: last.audience, severity: 'info', kind: 'all-clear' };
  }
  if (readiness.state === 'missed') {
    if (sent.has('missed') || -readiness.startsInMs > config.missedLookbackMs) return undefined;
    return { alert: 'missed', audience: 'ops', severity: 'critical', kind: 'missed' };
  }
  const crossed = config.thresholds.filter((t) => readiness.startsInMs <= t.beforeMs);
  const tightest = crossed.at(-1);
  if (!tightest || sent.has(tightest.name)) return undefined;
  return { alert: tightest.name, audience: tightest.audience, severity: tightest.audience === 'ops' ? 'critical' : 'warning', kind: 'at-risk' };
}
