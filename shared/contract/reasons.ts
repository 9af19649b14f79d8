/**
 * How every upload kind words and orders its reasons: one excerpt style, one order, one cap.
 * The kinds' own files (quiz/reasons.ts, captions/reasons.ts, course/course-reasons.ts) hold
 * their codes and the sentence that summarises what the cap left out.
 */
import type { Reason } from './errors.js';

/** `"text"`, shortened for messages. */
export function quote(text: string, max = 40): string {
  return JSON.stringify(text.length <= max ? text : `${text.slice(0, max - 1)}…`);
}

/** File-level reasons first, then by line and column; equal positions keep their order. */
export function byPosition(reasons: readonly Reason[]): Reason[] {
  return [...reasons].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/**
 * The first `max` reasons, then one reason (`summary`) saying how many more there were.
 * `alreadyOmitted`: problems found but never turned into reasons, counted in the summary.
 */
export function capReasons(reasons: Reason[], max: number, summary: (omitted: number, limit: number) => Reason, alreadyOmitted = 0): Reason[] {
  const limit = Math.max(1, Math.floor(max));
  if (reasons.length <= limit && alreadyOmitted === 0) return reasons;
  const omitted = Math.max(0, reasons.length - limit) + alreadyOmitted;
  return [...reasons.slice(0, limit), summary(omitted, limit)];
}

/** "3 more problems were" / "1 more problem was": the start of a cap's summary. */
export function moreWere(omitted: number, noun: 'problem' | 'warning'): string {
  return `${omitted} more ${noun}${omitted === 1 ? ' was' : 's were'}`;
}
