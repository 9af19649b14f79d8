/** Caption reason codes (documented in docs/captions.md), and how reasons are built and capped. */
import type { Reason } from '../errors.js';

/** Codes that reject the file. */
export const CAPTION_ERROR_CODES = [
  'captions.empty',
  'captions.too-large',
  'captions.invalid-utf8',
  'captions.binary-content',
  'captions.line-too-long',
  'captions.missing-header',
  'captions.missing-blank-line',
  'captions.missing-timing',
  'captions.bad-timestamp',
  'captions.end-before-start',
  'captions.out-of-order',
  'captions.too-long',
  'captions.bad-cue-setting',
  'captions.bad-region-setting',
  'captions.misplaced-block',
  'captions.empty-cue',
  'captions.bad-sequence-number',
  'captions.invalid-language',
  'captions.no-cues',
  'captions.too-many-cues',
  'captions.too-many-errors',
] as const;

/** Codes that are reported but do not reject the file. */
export const CAPTION_WARNING_CODES = [
  'captions.markup-removed',
  'captions.style-removed',
  'captions.duplicate-id',
  'captions.sequence-mismatch',
  'captions.ignored-content',
  'captions.wrong-extension',
  'captions.language-mismatch',
  'captions.no-language',
  'captions.too-many-warnings',
] as const;

export type CaptionErrorCode = (typeof CAPTION_ERROR_CODES)[number];
export type CaptionWarningCode = (typeof CAPTION_WARNING_CODES)[number];
export type CaptionReasonCode = CaptionErrorCode | CaptionWarningCode;

export function captionReason(code: CaptionReasonCode, message: string, line?: number, column?: number): Reason {
  const out: Reason = { code, message };
  if (line !== undefined) out.line = line;
  if (line !== undefined && column !== undefined) out.column = column;
  return out;
}

/** File-level reasons first, then in order of line and column (stable). */
export function sortReasons(reasons: Reason[]): Reason[] {
  return [...reasons].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/**
 * Keeps the first `max` reasons and says how many more there were (`alreadyOmitted`: found but
 * not turned into reasons). `stoppedEarly`: checking stopped at the cap, so the rest is uncounted.
 */
export function capReasons(reasons: Reason[], max: number, kind: 'errors' | 'warnings', alreadyOmitted = 0, stoppedEarly = false): Reason[] {
  const limit = Math.max(1, Math.floor(max));
  if (reasons.length <= limit && alreadyOmitted === 0) return reasons;
  const omitted = Math.max(0, reasons.length - limit) + alreadyOmitted;
  const summary =
    kind === 'warnings' ? captionReason('captions.too-many-warnings', `${omitted} more warning${omitted === 1 ? ' was' : 's were'} not listed.`)
    : stoppedEarly ? captionReason('captions.too-many-errors', `Checking stopped after ${limit} problems; fix the ones above and upload the file again to see the rest.`)
    : captionReason('captions.too-many-errors', `${omitted} more problem${omitted === 1 ? ' was' : 's were'} not listed; fix the ones above and upload the file again to see the rest.`);
  return [...reasons.slice(0, limit), summary];
}

/** A short excerpt of a line for messages: `"00:01,000"`. */
export function quote(text: string, max = 40): string {
  const shown = text.length <= max ? text : `${text.slice(0, max - 1)}…`;
  return JSON.stringify(shown);
}
