/** Caption reason codes (documented in docs/captions.md), and how reasons are built and capped. */
import type { Reason } from '../contract/errors.js';
import { byPosition, capReasons, moreWere } from '../contract/reasons.js';

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

/**
 * Keeps the first `max` reasons and says how many more there were (`alreadyOmitted`: found but
 * not turned into reasons). `stoppedEarly`: checking stopped at the cap, so the rest is uncounted.
 */
export function capCaptionReasons(reasons: Reason[], max: number, kind: 'errors' | 'warnings', alreadyOmitted = 0, stoppedEarly = false): Reason[] {
  return capReasons(byPosition(reasons), max, (omitted, limit) =>
    kind === 'warnings' ? captionReason('captions.too-many-warnings', `${moreWere(omitted, 'warning')} not listed.`)
    : stoppedEarly ? captionReason('captions.too-many-errors', `Checking stopped after ${limit} problems; fix the ones above and upload the file again to see the rest.`)
    : captionReason('captions.too-many-errors', `${moreWere(omitted, 'problem')} not listed; fix the ones above and upload the file again to see the rest.`),
  alreadyOmitted);
}
