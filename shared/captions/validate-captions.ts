/**
 * Caption upload → verdict. Pure: bytes and a file name in, the normalised WebVTT (or every
 * reason it cannot be published, with line and column) out. Never throws on any input: hostile
 * files (binary, invalid UTF-8, huge lines, huge cue counts) get a specific rejection, and the
 * work is linear in the file's size.
 *
 * Order of checks: size → UTF-8 → NUL bytes → emptiness → line length → format → parse
 * (header, blocks, timings, settings, text) → language → at least one cue.
 */
import type { Reason } from '../contract/errors.js';
import { checkLanguageTag, LANGUAGE_TAG_EXAMPLES } from '../util/language-tag.js';
import { decodeStrictUtf8 } from '../util/strict-utf8.js';
import { captionTarget } from './caption-target.js';
import { DEFAULT_CAPTION_LIMITS, type CaptionFormat, type CaptionLimits, type CaptionTrack } from './model.js';
import { parseSrt } from './parse-srt.js';
import { parseWebVtt } from './parse-webvtt.js';
import { quote } from '../contract/reasons.js';
import { capCaptionReasons, captionReason } from './reasons.js';
import { toWebVtt } from './to-webvtt.js';

export interface ValidateCaptionsInput {
  bytes: Uint8Array;
  fileName: string;
  limits?: Partial<CaptionLimits>;
}

export type CaptionsVerdict =
  | { ok: true; format: CaptionFormat; webvtt: string; cues: number; durationMs: number; language?: string; warnings: Reason[] }
  | { ok: false; format?: CaptionFormat; reasons: Reason[] };

const MiB = 1024 * 1024;

export function validateCaptions(input: ValidateCaptionsInput): CaptionsVerdict {
  const limits = withDefaults(input.limits);
  const { bytes, fileName } = input;
  let format = formatFromName(fileName);
  /** `unlisted`: problems found but not turned into reasons (they are counted in the summary). */
  const reject = (reasons: Reason[], unlisted = 0, stoppedEarly = false): CaptionsVerdict => ({
    ok: false,
    ...(format ? { format } : {}),
    reasons: capCaptionReasons(reasons, limits.maxErrors, 'errors', unlisted, stoppedEarly),
  });

  if (bytes.length === 0) {
    return reject([captionReason('captions.empty', `"${fileName}" is empty (0 bytes). Upload the caption file again; the first upload may have been interrupted.`)]);
  }
  if (bytes.length > limits.maxBytes) {
    return reject([
      captionReason('captions.too-large', `"${fileName}" is ${formatBytes(bytes.length)}; caption files may be at most ${formatBytes(limits.maxBytes)}. Split the captions into several files.`),
    ]);
  }
  const decoded = decodeStrictUtf8(bytes, limits.maxErrors);
  if (!decoded.ok) {
    return reject(
      decoded.invalid.map((bad) =>
        captionReason(
          'captions.invalid-utf8',
          `The file is not valid UTF-8: byte 0x${bad.byte} at line ${bad.line}, column ${bad.column}. It was probably saved as Windows-1252 or Latin-1; save it again as UTF-8.`,
          bad.line,
          bad.column,
        ),
      ),
      decoded.lines - decoded.invalid.length,
    );
  }
  const text = decoded.text;
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    const { line, column } = position(text, nul);
    return reject([
      captionReason('captions.binary-content', `The file contains a NUL character at line ${line}, column ${column}: it is a binary file, not captions. Upload the .vtt or .srt text file.`, line, column),
    ]);
  }
  if (text.trim().length === 0) {
    return reject([captionReason('captions.empty', `"${fileName}" contains only empty lines. Upload the caption file with its cues.`)]);
  }
  const longLines = findLongLines(text, limits.maxLineLength, limits.maxErrors);
  if (longLines.count > 0) {
    return reject(
      longLines.found.map(({ line, length }) =>
        captionReason(
          'captions.line-too-long',
          `Line ${line} is ${length.toLocaleString('en')} characters long; lines in a caption file may be at most ${limits.maxLineLength.toLocaleString('en')}. Break the caption into shorter cues (a caption line is usually under 45 characters).`,
          line,
          limits.maxLineLength + 1,
        ),
      ),
      longLines.count - longLines.found.length,
    );
  }

  const warnings: Reason[] = [];
  const isWebVtt = /^WEBVTT(?:[ \t]|\n|$)/.test(text);
  if (format === 'srt' && isWebVtt) {
    warnings.push(captionReason('captions.wrong-extension', `"${fileName}" is named .srt but is a WebVTT file (it starts with WEBVTT); it was read as WebVTT. Rename it to .vtt.`, 1, 1));
  }
  format = isWebVtt ? 'webvtt' : (format ?? 'srt');
  const options = { maxCues: limits.maxCues, maxDurationMs: limits.maxDurationMs, maxErrors: limits.maxErrors };
  const parsed = format === 'webvtt' ? parseWebVtt(text, options) : parseSrt(text, options);
  const errors = [...parsed.errors];
  warnings.push(...parsed.warnings);

  const language = resolveLanguage(fileName, parsed.track, errors, warnings);
  if (errors.length > 0) return reject(errors, 0, parsed.errors.length > limits.maxErrors);
  const { cues } = parsed.track;
  if (cues.length === 0) {
    const example = format === 'webvtt' ? '00:00:01.000 --> 00:00:04.000' : '1 / 00:00:01,000 --> 00:00:04,000';
    return reject([captionReason('captions.no-cues', `The file has no cues. Add at least one cue: a timing line such as ${example} followed by its text.`)]);
  }
  return {
    ok: true,
    format,
    webvtt: toWebVtt(parsed.track),
    cues: cues.length,
    durationMs: cues.reduce((latest, cue) => Math.max(latest, cue.endMs), 0),
    ...(language ? { language } : {}),
    warnings: capCaptionReasons(warnings, limits.maxErrors, 'warnings', parsed.omittedWarnings),
  };
}

/** The language from the file name, else from a `Language:` header; mismatches are reported. */
function resolveLanguage(fileName: string, track: CaptionTrack, errors: Reason[], warnings: Reason[]): string | undefined {
  const target = captionTarget(fileName);
  if (target.unknownLanguage) {
    const { value, problem } = target.unknownLanguage;
    errors.push(
      captionReason(
        'captions.invalid-language',
        `The file name "${fileName}" gives the language "${value}", but ${problem}. Name the file ${target.videoStem}.<language>.${extension(fileName)} with a BCP 47 tag (${LANGUAGE_TAG_EXAMPLES}), or ${target.videoStem}.${extension(fileName)} without one.`,
      ),
    );
  }
  let fromHeader: string | undefined;
  const header = track.headerLanguage;
  if (header) {
    const check = checkLanguageTag(header.value);
    if (check.ok) fromHeader = check.tag;
    else {
      errors.push(
        captionReason(
          'captions.invalid-language',
          `The Language header at line ${header.line}, column ${header.column} (${quote(header.value)}) is not usable: ${check.problem}. Write a BCP 47 tag such as ${LANGUAGE_TAG_EXAMPLES}, or remove the line.`,
          header.line,
          header.column,
        ),
      );
    }
  }
  if (target.language && fromHeader && target.language !== fromHeader) {
    warnings.push(
      captionReason(
        'captions.language-mismatch',
        `The file name says the language is ${target.language} but the Language header at line ${header!.line} says ${fromHeader}; the file name wins. Make them agree.`,
        header!.line,
        header!.column,
      ),
    );
  }
  const language = target.language ?? fromHeader;
  if (!language && !target.unknownLanguage) {
    warnings.push(
      captionReason(
        'captions.no-language',
        `The captions do not say their language, so players cannot label the track. Name the file ${target.videoStem}.<language>.${extension(fileName)} (e.g. ${target.videoStem}.en.${extension(fileName)}).`,
      ),
    );
  }
  return language;
}

function withDefaults(limits: Partial<CaptionLimits> | undefined): CaptionLimits {
  const merged = { ...DEFAULT_CAPTION_LIMITS };
  for (const [name, value] of Object.entries(limits ?? {}) as Array<[keyof CaptionLimits, number | undefined]>) {
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) merged[name] = value;
  }
  return merged;
}

function formatFromName(fileName: string): CaptionFormat | undefined {
  const lower = fileName.toLowerCase();
  return lower.endsWith('.vtt') ? 'webvtt' : lower.endsWith('.srt') ? 'srt' : undefined;
}

function extension(fileName: string): string {
  return formatFromName(fileName) === 'srt' ? 'srt' : 'vtt';
}

/** The first `cap` lines longer than `max` characters, and how many there are. */
function findLongLines(text: string, max: number, cap: number): { found: Array<{ line: number; length: number }>; count: number } {
  const found: Array<{ line: number; length: number }> = [];
  let count = 0;
  let start = 0;
  let line = 1;
  for (;;) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    if (stop - start > max) {
      count++;
      if (found.length < cap) found.push({ line, length: stop - start });
    }
    if (end === -1) break;
    start = end + 1;
    line++;
  }
  return { found, count };
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, column: offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1 };
}

function formatBytes(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} bytes`;
}
