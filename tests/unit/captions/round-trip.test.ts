import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPTION_LIMITS } from '../../../shared/captions/model.js';
import { parseWebVtt } from '../../../shared/captions/parse-webvtt.js';
import { formatTimestamp } from '../../../shared/captions/timestamp.js';
import { accepted, validateFixture, validateText } from './helpers.js';

const options = { maxCues: DEFAULT_CAPTION_LIMITS.maxCues, maxDurationMs: DEFAULT_CAPTION_LIMITS.maxDurationMs, maxErrors: 50 };
const cuesOf = (webvtt: string) => {
  const parsed = parseWebVtt(webvtt, options);
  expect(parsed.errors).toEqual([]);
  return parsed.track.cues.map(({ id, startMs, endMs, settings, text }) => ({ id, startMs, endMs, settings, text }));
};

/** SRT times: hh:mm:ss,ttt. */
const srtTime = (ms: number) => formatTimestamp(ms).replace('.', ',');

describe('SRT → WebVTT round trip', () => {
  it('keeps every cue of the SRT fixture: numbers, times and text', () => {
    const vtt = accepted(validateFixture('lecture.srt')).webvtt;
    expect(cuesOf(vtt)).toEqual([
      { id: '1', startMs: 0, endMs: 2500, settings: '', text: '<i>Welcome</i> to cell biology.' },
      { id: '2', startMs: 2500, endMs: 5000, settings: '', text: 'Cells are the unit of life.' },
      { id: '3', startMs: 5000, endMs: 7250, settings: '', text: 'Two lines of\ncaption text &amp; more.' },
    ]);
  });

  it('is a fixed point: validating the published WebVTT again gives the same file', () => {
    for (const name of ['lecture.en.vtt', 'lecture.srt', 'crlf-bom.fr.srt', 'hostile-markup.en.vtt']) {
      const once = accepted(validateFixture(name)).webvtt;
      const twice = accepted(validateText('again.en.vtt', once)).webvtt;
      expect(twice, name).toBe(once);
    }
  });

  const line = fc.stringMatching(/^[A-Za-z0-9 ,.!?'éü]{1,40}$/).filter((s) => s.trim().length > 0);
  const cue = fc.record({
    gap: fc.integer({ min: 0, max: 5000 }),
    length: fc.integer({ min: 1, max: 10_000 }),
    lines: fc.array(line, { minLength: 1, maxLength: 3 }),
    italic: fc.boolean(),
  });

  it('keeps times and text of any well-formed SRT', () => {
    fc.assert(
      fc.property(fc.array(cue, { minLength: 1, maxLength: 40 }), (spec) => {
        let at = 0;
        const expected: Array<{ startMs: number; endMs: number; text: string }> = [];
        const blocks = spec.map((c, i) => {
          const startMs = at + c.gap;
          const endMs = startMs + c.length;
          at = startMs;
          const lines = c.lines.map((l) => l.trim());
          const text = c.italic ? `<i>${lines.join('\n')}</i>` : lines.join('\n');
          expected.push({ startMs, endMs, text });
          return `${i + 1}\n${srtTime(startMs)} --> ${srtTime(endMs)}\n${text}`;
        });
        const result = accepted(validateText('generated.en.srt', `${blocks.join('\n\n')}\n`));
        const cues = cuesOf(result.webvtt);
        expect(cues.map(({ startMs, endMs, text }) => ({ startMs, endMs, text }))).toEqual(expected);
        expect(cues.map((c) => c.id)).toEqual(spec.map((_, i) => String(i + 1)));
        expect(result.durationMs).toBe(Math.max(...expected.map((c) => c.endMs)));
      }),
      { numRuns: 200 },
    );
  });
});
