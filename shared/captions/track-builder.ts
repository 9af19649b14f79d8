/**
 * What the WebVTT and SRT parsers share: reading a timing line, the checks every cue passes
 * (times well-formed, end after start, in order of start time, within the duration limit, not
 * empty, limits on count), cue text sanitising, and collecting errors and warnings.
 *
 * Overlapping cues are allowed in both formats (WebVTT permits them, e.g. two speakers at once);
 * cues must be in order of start time (equal start times are fine).
 */
import type { Reason } from '../contract/errors.js';
import { parseCueSettings } from './cue-settings.js';
import { sanitizeCueText } from './cue-text.js';
import type { CaptionFormat, Cue } from './model.js';
import { quote } from '../contract/reasons.js';
import { captionReason, type CaptionErrorCode, type CaptionWarningCode } from './reasons.js';
import { formatTimestamp, parseTimestamp } from './timestamp.js';

/** Whether a line is empty for both formats: lines holding only spaces count as empty. */
export const isBlank = (line: string | undefined): boolean => line === undefined || line.trim().length === 0;

/** A block of a caption file: a run of non-empty lines. */
export interface Block {
  lines: string[];
  /** Index of its first line in the file's lines. */
  start: number;
  /** Index just past its last line: where the next block is looked for. */
  end: number;
  /** The 1-based line number of its `k`th line, as an editor shows it. */
  lineOf(k: number): number;
}

/** The next block at or after line index `from`, or undefined when only empty lines are left. */
export function nextBlock(lines: readonly string[], from: number): Block | undefined {
  let start = from;
  while (start < lines.length && isBlank(lines[start])) start++;
  if (start >= lines.length) return undefined;
  let end = start;
  while (end < lines.length && !isBlank(lines[end])) end++;
  return { lines: lines.slice(start, end), start, end, lineOf: (k) => start + k + 1 };
}

export interface ParseOptions {
  maxCues: number;
  maxDurationMs: number;
  maxErrors: number;
}

export interface ParseResult<T> {
  track: T;
  errors: Reason[];
  warnings: Reason[];
  /** Warnings past the cap, counted but not kept. */
  omittedWarnings: number;
}

export interface Timing {
  startMs: number;
  endMs: number;
  settings: string;
  line: number;
  startColumn: number;
}

export class TrackBuilder {
  readonly errors: Reason[] = [];
  readonly cues: Cue[] = [];
  readonly #warnings: Reason[] = [];
  #droppedWarnings = 0;
  readonly #format: CaptionFormat;
  readonly #options: ParseOptions;
  #last: { startMs: number; line: number } | undefined;
  #ids = new Map<string, number>();
  #cueCount = 0;
  #tooMany = false;

  constructor(format: CaptionFormat, options: ParseOptions) {
    this.#format = format;
    this.#options = options;
  }

  /** True once parsing should stop: more errors than are reported, or too many cues. */
  get stopped(): boolean {
    return this.#tooMany || this.errors.length > this.#options.maxErrors;
  }

  error(code: CaptionErrorCode, message: string, line?: number, column?: number): void {
    this.errors.push(captionReason(code, message, line, column));
  }

  warn(code: CaptionWarningCode, message: string, line?: number, column?: number): void {
    this.#warn(captionReason(code, message, line, column));
  }

  #warn(reason: Reason): void {
    // Keep memory bounded on hostile files: past the cap, warnings are only counted.
    if (this.#warnings.length < this.#options.maxErrors) this.#warnings.push(reason);
    else this.#droppedWarnings++;
  }

  get warnings(): Reason[] {
    return [...this.#warnings];
  }

  get omittedWarnings(): number {
    return this.#droppedWarnings;
  }

  /** Parses `start --> end [settings]` at 1-based `line`; records errors and returns undefined on failure. */
  timing(text: string, line: number, regions: ReadonlySet<string>): Timing | undefined {
    const format = this.#format;
    const arrow = text.indexOf('-->');
    const left = text.slice(0, arrow);
    const startText = left.trim();
    const startColumn = left.length - left.trimStart().length + 1;
    const right = /^(\s*)(\S*)(.*)$/s.exec(text.slice(arrow + 3)) ?? ['', '', '', ''];
    const endText = right[2] ?? '';
    const endColumn = arrow + 3 + (right[1]?.length ?? 0) + 1;
    const rest = right[3] ?? '';
    const restOffset = endColumn - 1 + endText.length;

    const start = parseTimestamp(startText, format);
    const end = parseTimestamp(endText, format);
    const name = format === 'webvtt' ? 'WebVTT' : 'SRT';
    if (!start.ok) {
      this.error('captions.bad-timestamp', `The start time ${quote(startText)} at line ${line}, column ${startColumn} is not a valid ${name} time: ${start.problem}.`, line, startColumn);
    }
    if (!end.ok) {
      const column = endText ? endColumn : arrow + 4;
      this.error('captions.bad-timestamp', `The end time ${quote(endText)} at line ${line}, column ${column} is not a valid ${name} time: ${end.problem}.`, line, column);
    }

    let settings = '';
    if (rest.trim()) {
      const restColumn = restOffset + rest.length - rest.trimStart().length + 1;
      if (format === 'srt') {
        this.warn(
          'captions.ignored-content',
          `The text after the end time at line ${line}, column ${restColumn} (${quote(rest.trim())}) is ignored: SRT positions are not carried over to WebVTT.`,
          line,
          restColumn,
        );
      } else {
        const parsed = parseCueSettings(rest, restOffset, regions);
        for (const problem of parsed.problems) {
          this.error('captions.bad-cue-setting', `Cue setting at line ${line}, column ${problem.column}: ${problem.message}.`, line, problem.column);
        }
        settings = parsed.normalized;
      }
    }
    if (!start.ok || !end.ok) return undefined;

    if (end.ms <= start.ms) {
      const what = end.ms === start.ms ? `ends at the moment it starts (${formatTimestamp(end.ms)})` : `ends (${formatTimestamp(end.ms)}) before it starts (${formatTimestamp(start.ms)})`;
      this.error('captions.end-before-start', `The cue at line ${line} ${what}. Make the end time later than the start time.`, line, endColumn);
    }
    if (end.ms > this.#options.maxDurationMs) {
      this.error(
        'captions.too-long',
        `The cue at line ${line} ends at ${formatTimestamp(end.ms)}, after the ${formatTimestamp(this.#options.maxDurationMs)} limit for a caption file. Check the hours of its time.`,
        line,
        endColumn,
      );
    }
    if (this.#last && start.ms < this.#last.startMs) {
      this.error(
        'captions.out-of-order',
        `The cue at line ${line} starts at ${formatTimestamp(start.ms)}, before the cue above it (line ${this.#last.line}, starting at ${formatTimestamp(this.#last.startMs)}). Cues must be in order of start time: move this cue up or fix its time.`,
        line,
        startColumn,
      );
    }
    // Order is checked against the latest start seen, so one misplaced cue is reported once.
    if (!this.#last || start.ms >= this.#last.startMs) this.#last = { startMs: start.ms, line };
    return end.ms > start.ms ? { startMs: start.ms, endMs: end.ms, settings, line, startColumn } : undefined;
  }

  /** Adds a cue (payload lines as written) unless it is empty; enforces the cue limit. */
  addCue(cue: { id?: string; idLine?: number; timing: Timing; payload: string[]; firstPayloadLine: number }): void {
    const { timing } = cue;
    this.#cueCount++;
    if (this.#cueCount > this.#options.maxCues) {
      this.#tooMany = true;
      this.error(
        'captions.too-many-cues',
        `The file has more than ${this.#options.maxCues} cues (cue ${this.#cueCount} is at line ${timing.line}). Split the captions into several files, or merge short cues.`,
        timing.line,
        1,
      );
      return;
    }
    let id = cue.id;
    // eslint-disable-next-line no-control-regex -- control characters are what we look for
    if (id !== undefined && /[<>&\u0000-\u001f\u007f]/.test(id)) {
      this.warn(
        'captions.markup-removed',
        `The cue identifier ${quote(id)} at line ${cue.idLine ?? timing.line} was not published: identifiers may not contain <, >, & or control characters. The cue itself is kept.`,
        cue.idLine ?? timing.line,
        1,
      );
      id = undefined;
    }
    if (id !== undefined) {
      const first = this.#ids.get(id);
      if (first !== undefined) {
        this.warn(
          'captions.duplicate-id',
          `The cue identifier ${quote(id)} at line ${cue.idLine ?? timing.line} is already used at line ${first}. Identifiers should be unique; players that link to cues by identifier will find only the first.`,
          cue.idLine ?? timing.line,
          1,
        );
      } else this.#ids.set(id, cue.idLine ?? timing.line);
    }
    const raw = cue.payload.join('\n');
    if (raw.trim().length === 0) {
      this.error('captions.empty-cue', `The cue at line ${timing.line} has no text. Write its caption on the line after the timing line, or delete the cue.`, timing.line, 1);
      return;
    }
    const sanitized = sanitizeCueText({ raw, format: this.#format, firstLine: cue.firstPayloadLine, startMs: timing.startMs, endMs: timing.endMs, cueLine: timing.line });
    if (sanitized.warning) this.#warn(sanitized.warning);
    if (sanitized.text.trim().length === 0) {
      this.error(
        'captions.empty-cue',
        `The cue at line ${timing.line} has no text left once unsupported markup is removed. Write plain caption text (optionally with <b>, <i>, <u>), or delete the cue.`,
        timing.line,
        1,
      );
      return;
    }
    this.cues.push({ ...(id !== undefined ? { id } : {}), startMs: timing.startMs, endMs: timing.endMs, settings: timing.settings, text: sanitized.text, line: timing.line });
  }
}
