/**
 * WebVTT (W3C WebVTT, https://www.w3.org/TR/webvtt1/) → the caption model, with every problem
 * located. Input is decoded text with LF line ends (see `decodeStrictUtf8`).
 *
 * Follows the spec's block structure: the `WEBVTT` line (optionally followed by a space or tab and
 * text) and optional header lines (a `Language: xx` line is read); then blocks separated by empty
 * lines: cues (an optional identifier line, then `start --> end [settings]`, then text), `NOTE`
 * comments (dropped), and `STYLE` / `REGION` blocks (only before the first cue). Where the spec's
 * parser silently drops something an author wrote — a cue timing line without an empty line
 * before it, a STYLE block after a cue, an unknown setting — we report it instead.
 * Lines holding only spaces count as empty.
 */
import type { CaptionTrack } from './model.js';
import { parseRegionSettings } from './cue-settings.js';
import { sanitizeCueStyle } from './cue-style.js';
import { quote } from '../contract/reasons.js';
import { isBlank, nextBlock, TrackBuilder, type Block, type ParseOptions, type ParseResult } from './track-builder.js';

const SIGNATURE = /^WEBVTT(?:[ \t]|$)/;

export function parseWebVtt(text: string, options: ParseOptions): ParseResult<CaptionTrack> {
  const lines = text.split('\n');
  const b = new TrackBuilder('webvtt', options);
  const track: CaptionTrack = { format: 'webvtt', styles: [], regions: [], cues: b.cues };
  const result = () => ({ track, errors: b.errors, warnings: b.warnings, omittedWarnings: b.omittedWarnings });

  let i = 0;
  const first = lines[0] ?? '';
  if (SIGNATURE.test(first)) {
    const headerText = first.slice(6).trim();
    // Kept when it is plain text (players ignore it; it is not a place for markup).
    if (headerText && !/-->|[<>&]/.test(headerText)) track.headerText = headerText;
    i = readHeader(lines, track, b);
  } else {
    const srt = looksLikeSrt(lines);
    b.error('captions.missing-header', headerProblem(first, srt), 1, 1);
    if (srt) return result(); // one clear reason instead of an error on every SRT time
    if (/^\s*WEBVTT/i.test(first)) i = readHeader(lines, track, b);
  }

  const regionIds = new Set<string>();
  let seenCue = false;
  let next: Block | undefined;
  while (!b.stopped && (next = nextBlock(lines, i))) {
    const { lines: block, start, lineOf } = next;
    i = next.end;
    const head = block[0] ?? '';

    const timingAt = head.includes('-->') ? 0 : block.length > 1 && block[1]!.includes('-->') ? 1 : -1;
    if (timingAt === -1) {
      const stray = block.findIndex((line) => line.includes('-->'));
      if (stray !== -1) {
        // A cue right after another block with no empty line between: report it, finish the
        // block without it, and read it as the next block (as the spec's parser does).
        b.error(
          'captions.missing-blank-line',
          `Line ${lineOf(stray)} is a cue timing line, but there is no empty line between it and the block that starts at line ${lineOf(0)}. Put an empty line before the cue.`,
          lineOf(stray),
          1,
        );
        block.length = stray;
        i = start + stray;
      }
      if (/^NOTE(?:[ \t]|$)/.test(head)) continue;
      if (/^(STYLE|REGION)[ \t]*$/.test(head)) {
        const kind = head.trim() as 'STYLE' | 'REGION';
        if (seenCue) {
          b.error(
            'captions.misplaced-block',
            `The ${kind} block at line ${lineOf(0)} comes after a cue; ${kind} blocks must come before the first cue. Move it up, after the WEBVTT header.`,
            lineOf(0),
            1,
          );
          continue;
        }
        if (kind === 'STYLE') readStyle(block.slice(1), lineOf(0), track, b);
        else readRegion(block, start, regionIds, track, b);
        continue;
      }
      b.error(
        'captions.missing-timing',
        `The block at line ${lineOf(0)} (${quote(head)}) is not a cue: a cue needs a timing line such as 00:00:01.000 --> 00:00:04.000 as its first or second line. Add the timing line, or make the block a comment by starting it with NOTE.`,
        lineOf(0),
        1,
      );
      continue;
    }

    seenCue = true;
    const payload = block.slice(timingAt + 1);
    const nested = payload.findIndex((line) => line.includes('-->'));
    if (nested !== -1) {
      const at = lineOf(timingAt + 1 + nested);
      b.error(
        'captions.missing-blank-line',
        `Line ${at} is a cue timing line inside the text of the cue at line ${lineOf(timingAt)}. Put an empty line before it: every cue ends with an empty line (and cue text may not contain "-->").`,
        at,
        1,
      );
      payload.length = nested;
      i = start + timingAt + 1 + nested; // read the rest as the next block
    }
    const timing = b.timing(block[timingAt]!, lineOf(timingAt), regionIds);
    if (!timing) continue;
    b.addCue({
      ...(timingAt === 1 ? { id: head.trimEnd(), idLine: lineOf(0) } : {}),
      timing,
      payload,
      firstPayloadLine: lineOf(timingAt + 1),
    });
  }
  return result();
}

/** Reads the header lines after `WEBVTT` (up to the first empty line); returns the next line index. */
function readHeader(lines: string[], track: CaptionTrack, b: TrackBuilder): number {
  let i = 1;
  while (i < lines.length && !isBlank(lines[i])) {
    const line = lines[i]!;
    if (line.includes('-->')) {
      b.error(
        'captions.missing-blank-line',
        `Line ${i + 1} is a cue timing line, but it follows the WEBVTT header without an empty line. Put an empty line after line ${i}.`,
        i + 1,
        1,
      );
      return i; // read it as the first cue
    }
    const meta = /^(language[ \t]*:[ \t]*)(.*?)\s*$/i.exec(line);
    if (meta) track.headerLanguage = { value: meta[2] ?? '', line: i + 1, column: (meta[1]?.length ?? 0) + 1 };
    i++;
  }
  return i;
}

function readStyle(css: string[], line: number, track: CaptionTrack, b: TrackBuilder): void {
  const text = css.join('\n');
  if (text.trim().length === 0) return;
  const style = sanitizeCueStyle(text);
  if (style.dropped.length > 0) {
    b.warn(
      'captions.style-removed',
      style.css === undefined
        ? `The STYLE block at line ${line} was not published: it contains ${style.dropped[0]}. Style cues with plain ::cue rules (colours, fonts, sizes) only.`
        : `Parts of the STYLE block at line ${line} were not published (${style.dropped.slice(0, 3).join(', ')}${style.dropped.length > 3 ? ` and ${style.dropped.length - 3} more` : ''}): only colours, fonts, text decoration and white space may be styled, with plain values (no url(), image-set() or other functions than rgb/hsl).`,
      line,
      1,
    );
  }
  if (style.css !== undefined) track.styles.push(style.css);
}

function readRegion(block: string[], start: number, ids: Set<string>, track: CaptionTrack, b: TrackBuilder): void {
  const kept: string[] = [];
  let id: string | undefined;
  for (let k = 1; k < block.length; k++) {
    const parsed = parseRegionSettings(block[k]!);
    for (const problem of parsed.problems) {
      b.error('captions.bad-region-setting', `REGION setting at line ${start + k + 1}, column ${problem.column}: ${problem.message}.`, start + k + 1, problem.column);
    }
    if (parsed.id !== undefined) id = parsed.id;
    if (parsed.normalized) kept.push(...parsed.normalized.split(' '));
  }
  if (id === undefined) {
    b.error('captions.bad-region-setting', `The REGION block at line ${start + 1} has no id. Add a line such as id:speaker1 so cues can refer to it with region:speaker1.`, start + 1, 1);
    return;
  }
  if (ids.has(id)) {
    b.error('captions.bad-region-setting', `The REGION block at line ${start + 1} reuses the id "${id}"; give every region its own id.`, start + 1, 1);
    return;
  }
  ids.add(id);
  track.regions.push(kept.join('\n'));
}

/** Numbered blocks with `hh:mm:ss,ttt` times: an SRT file. */
function looksLikeSrt(lines: string[]): boolean {
  const at = lines.findIndex((line) => !isBlank(line));
  return at !== -1 && /^\s*\d+\s*$/.test(lines[at]!) && /^\s*\d+:\d{2}:\d{2},\d{3}\s*-->/.test(lines[at + 1] ?? '');
}

function headerProblem(first: string, srt: boolean): string {
  if (srt) {
    return 'This file has no WEBVTT header and looks like an SRT file (numbered cues, times like 00:00:01,000). Give it the .srt extension, or convert it: add WEBVTT and an empty line at the top and write the times with a dot (00:00:01.000).';
  }
  if (/^WEBVTT\S/.test(first)) return `Line 1 must be WEBVTT, optionally followed by a space and a title; ${quote(first)} runs text into it. Put a space after WEBVTT.`;
  if (/^\s+WEBVTT/.test(first)) return 'WEBVTT must be at the very start of line 1. Remove the spaces before it.';
  if (/^\s*webvtt/i.test(first)) return `Line 1 must be WEBVTT in capital letters, not ${quote(first.trim())}.`;
  if (first.trim().length === 0) return 'Line 1 is empty: a WebVTT file must start with the line WEBVTT. Remove the empty lines at the top, or add WEBVTT.';
  return `A WebVTT file must start with the line WEBVTT; line 1 is ${quote(first)}. Add WEBVTT and an empty line at the top of the file.`;
}
