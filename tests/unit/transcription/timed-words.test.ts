/** Word timings → readable WebVTT cues, and both pocketsphinx output formats → word timings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContinuousOutput, parseSingleOutput } from '../../../local/pocketsphinx.js';
import { validateCaptions } from '../../../shared/captions/validate-captions.js';
import { CUE_LIMITS, cuesFromWords, toWebVtt, type TimedWord } from '../../../shared/transcription/timed-words.js';

const words = (text: string, gap = 0.05, length = 0.3): TimedWord[] =>
  text.split(' ').map((w, i) => ({ text: w, start: i * (length + gap), end: i * (length + gap) + length }));

describe('cuesFromWords', () => {
  it('fills at most two lines of at most 42 characters, at most 7 s a cue, in order and without overlap', () => {
    const timed = fc.array(
      fc.record({ text: fc.stringMatching(/^[a-z']{1,60}$/), gap: fc.double({ min: 0, max: 1.5, noNaN: true }), length: fc.double({ min: 0.01, max: 3, noNaN: true }) }),
      { maxLength: 200 },
    );
    fc.assert(
      fc.property(timed, (items) => {
        let t = 0;
        const input = items.map((w) => {
          const start = t + w.gap;
          t = start + w.length;
          return { text: w.text, start, end: t };
        });
        const cues = cuesFromWords(input);
        for (const [i, cue] of cues.entries()) {
          expect(cue.lines.length).toBeGreaterThanOrEqual(1);
          expect(cue.lines.length).toBeLessThanOrEqual(CUE_LIMITS.maxLines);
          for (const line of cue.lines) expect([...line].length).toBeLessThanOrEqual(CUE_LIMITS.maxLineChars);
          expect(cue.end).toBeGreaterThan(cue.start);
          expect(cue.end - cue.start).toBeLessThanOrEqual(CUE_LIMITS.maxSeconds + 1e-9);
          if (i > 0) expect(cue.start).toBeGreaterThanOrEqual(cues[i - 1]!.end);
        }
        // No word is lost (long ones are shortened to fit a line).
        expect(cues.flatMap((c) => c.lines.join(' ').split(' '))).toHaveLength(input.length);
        const vtt = toWebVtt(cues);
        if (cues.length > 0) expect(validateCaptions({ bytes: new TextEncoder().encode(vtt), fileName: 'lecture.en.vtt' })).toMatchObject({ ok: true, cues: cues.length });
      }),
      { numRuns: 100 },
    );
  });

  it('starts a new cue after a pause', () => {
    const input = [...words('the spindle forms'), ...words('then it splits').map((w) => ({ ...w, start: w.start + 5, end: w.end + 5 }))];
    expect(cuesFromWords(input).map((c) => c.lines)).toEqual([['the spindle forms'], ['then it splits']]);
  });
});

describe('pocketsphinx output', () => {
  it('reads pocketsphinx_continuous -time yes (0.8 / 5prealpha): words without fillers or pronunciation variants', () => {
    const out = 'you want to see\n<s> 0.000 0.370 0.999600\nyou 0.380 0.470 0.395895\n<sil> 0.730 1.040 0.999800\nto(3) 1.050 1.190 0.831752\n[NOISE] 1.2 1.3 0.5\nsee 1.260 1.420 0.292280\n</s> 5.540 5.880 1.000000\n';
    expect(parseContinuousOutput(out)).toEqual([
      { text: 'you', start: 0.38, end: 0.47 },
      { text: 'to', start: 1.05, end: 1.19 },
      { text: 'see', start: 1.26, end: 1.42 },
    ]);
  });

  it('reads pocketsphinx 5 `single` JSON lines', () => {
    const out = '{"b":0.000,"d":1.500,"p":1.000,"t":"cells divide","w":[{"b":0.000,"d":0.100,"p":1.000,"t":"<sil>"},{"b":0.100,"d":0.400,"p":0.9,"t":"cells"},{"b":0.500,"d":0.600,"p":0.9,"t":"divide(2)"}]}\n';
    expect(parseSingleOutput(out)).toEqual([
      { text: 'cells', start: 0.1, end: 0.5 },
      { text: 'divide', start: 0.5, end: 1.1 },
    ]);
  });
});
