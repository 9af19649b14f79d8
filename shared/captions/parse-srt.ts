/**
 * SubRip (SRT) → the caption model. SRT has no formal spec; we read the form every player
 * agrees on: blocks separated by empty lines, each a sequence number, a timing line
 * `hh:mm:ss,ttt --> hh:mm:ss,ttt`, and one or more lines of text (with the HTML-ish tags
 * `<i> <b> <u>` that SRT editors write; `<font>` and `{\an8}` are dropped with a warning).
 *
 * A missing or non-numeric sequence number is an error (it is how SRT marks a new cue); numbers
 * that skip or repeat are only a warning, since players ignore them. They become the WebVTT cue
 * identifiers. Positions after the end time (`X1:… Y2:…`) are ignored with a warning.
 */
import type { CaptionTrack } from './model.js';
import { quote } from '../contract/reasons.js';
import { nextBlock, TrackBuilder, type Block, type ParseOptions, type ParseResult } from './track-builder.js';

const NUMBER = /^\d{1,9}$/;

export function parseSrt(text: string, options: ParseOptions): ParseResult<CaptionTrack> {
  const lines = text.split('\n');
  const b = new TrackBuilder('srt', options);
  const noRegions: ReadonlySet<string> = new Set();
  let expected = 1;
  let i = 0;
  let next: Block | undefined;
  while (!b.stopped && (next = nextBlock(lines, i))) {
    const { lines: block, start, lineOf } = next;
    i = next.end;
    const head = (block[0] ?? '').trim();

    let timingAt: number;
    let id: string | undefined;
    if (NUMBER.test(head)) {
      const number = Number(head);
      if (number !== expected) {
        b.warn(
          'captions.sequence-mismatch',
          `Cue number ${number} at line ${lineOf(0)} should be ${expected}: SRT cues are numbered 1, 2, 3, … in order. It is kept as the cue's identifier; renumber the cues to silence this warning.`,
          lineOf(0),
          1,
        );
      }
      id = String(number);
      expected = number + 1;
      timingAt = 1;
    } else if (head.includes('-->')) {
      b.error(
        'captions.bad-sequence-number',
        `The cue at line ${lineOf(0)} has no sequence number. In SRT every cue starts with its number (1, 2, 3, …) on the line above its times; add ${expected} above line ${lineOf(0)}.`,
        lineOf(0),
        1,
      );
      expected++;
      timingAt = 0;
    } else if ((block[1] ?? '').includes('-->')) {
      b.error(
        'captions.bad-sequence-number',
        `${quote(head)} at line ${lineOf(0)} is not a cue number. In SRT every cue starts with its number (1, 2, 3, …) alone on a line; write ${expected}.`,
        lineOf(0),
        1,
      );
      expected++;
      timingAt = 1;
    } else {
      b.error(
        'captions.missing-timing',
        `The block at line ${lineOf(0)} (${quote(head)}) is not a cue: an SRT cue is a number, then a timing line such as 00:00:01,000 --> 00:00:04,000, then its text. Add the missing lines, or remove the block.`,
        lineOf(0),
        1,
      );
      continue;
    }

    const timingLine = block[timingAt];
    if (timingLine === undefined || !timingLine.includes('-->')) {
      b.error(
        'captions.missing-timing',
        `Cue ${id ?? '?'} at line ${lineOf(0)} has no timing line. Write the times on the line after the number: 00:00:01,000 --> 00:00:04,000.`,
        lineOf(0),
        1,
      );
      continue;
    }

    const payload = block.slice(timingAt + 1);
    const nested = payload.findIndex((line) => line.includes('-->'));
    if (nested !== -1) {
      // The next cue's number and times, with no empty line before them.
      const cut = nested > 0 && NUMBER.test(payload[nested - 1]!.trim()) ? nested - 1 : nested;
      const at = lineOf(timingAt + 1 + cut);
      b.error(
        'captions.missing-blank-line',
        `A new cue starts at line ${at}, inside the text of the cue at line ${lineOf(timingAt)}. Put an empty line before it: every SRT cue ends with an empty line.`,
        at,
        1,
      );
      payload.length = cut;
      i = start + timingAt + 1 + cut;
    }

    const timing = b.timing(timingLine, lineOf(timingAt), noRegions);
    if (!timing) continue;
    b.addCue({ ...(id !== undefined ? { id, idLine: lineOf(0) } : {}), timing, payload, firstPayloadLine: lineOf(timingAt + 1) });
  }
  return { track: { format: 'srt', styles: [], regions: [], cues: b.cues }, errors: b.errors, warnings: b.warnings, omittedWarnings: b.omittedWarnings };
}
