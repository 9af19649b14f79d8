/** Property tests: whatever the bytes, a verdict — never an exception — and accepted output is sound. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPTION_ERROR_CODES, CAPTION_WARNING_CODES } from '../../../shared/captions/reasons.js';
import { validateCaptions, type CaptionsVerdict } from '../../../shared/captions/validate-captions.js';
import { bytes, fixtureText } from './helpers.js';

const KNOWN = new Set<string>([...CAPTION_ERROR_CODES, ...CAPTION_WARNING_CODES]);
const fileName = fc.constantFrom('a.vtt', 'a.srt', 'a.en.vtt', 'a.pt-BR.srt', 'a.xx.vtt', 'A.VTT', 'noext');

/** What every verdict must look like. */
function checkVerdict(verdict: CaptionsVerdict): void {
  if (verdict.ok) {
    expect(verdict.webvtt.startsWith('WEBVTT')).toBe(true);
    expect(verdict.cues).toBeGreaterThan(0);
    expect(verdict.durationMs).toBeGreaterThan(0);
    // Only WebVTT cue tags and timestamps survive sanitising.
    expect(verdict.webvtt).not.toMatch(/<(?!\/?(?:b|i|u|c|v|lang|ruby|rt)[\s.>])(?!\d)/);
    // Accepted output is a fixed point: validating it again gives it back unchanged.
    const again = validateCaptions({ bytes: bytes(verdict.webvtt), fileName: 'again.en.vtt' });
    expect(again.ok && again.webvtt).toBe(verdict.webvtt);
  } else {
    expect(verdict.reasons.length).toBeGreaterThan(0);
  }
  for (const reason of verdict.ok ? verdict.warnings : verdict.reasons) {
    expect(KNOWN.has(reason.code), reason.code).toBe(true);
    expect(reason.message.length).toBeGreaterThan(0);
    if (reason.line !== undefined) expect(reason.line).toBeGreaterThanOrEqual(1);
    if (reason.column !== undefined) expect(reason.column).toBeGreaterThanOrEqual(1);
  }
}

/** Pieces that make the parser take its interesting branches. */
const token = fc.constantFrom(
  'WEBVTT', 'WEBVTT ', '\n', '\r\n', '\n\n', '-->', ' --> ', '00:00.000', '00:00:01.000', '00:00:01,000', '99:99.999', '1', '2',
  'NOTE', 'STYLE', 'REGION', 'id:r', 'region:r', 'align:start', 'line:0', 'size:50%', 'Language: en', '<b>', '</b>', '<v Bob>',
  '<script>', '</script>', '<', '>', '&', '&amp;', '{\\an8}', '\u0000', '\ufeff', 'é', '😀', ' ', '\t', 'text',
);

describe('validateCaptions properties', () => {
  it('any bytes → a verdict, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fileName, (data, name) => {
        checkVerdict(validateCaptions({ bytes: data, fileName: name }));
      }),
      { numRuns: 1000 },
    );
  });

  it('any text → a verdict, never an exception', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), fileName, (text, name) => {
        checkVerdict(validateCaptions({ bytes: bytes(text), fileName: name }));
      }),
      { numRuns: 1000 },
    );
  });

  it('any sequence of caption-like tokens → a verdict, and accepted output re-validates to itself', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 80 }), fileName, (tokens, name) => {
        checkVerdict(validateCaptions({ bytes: bytes(tokens.join('')), fileName: name }));
      }),
      { numRuns: 2000 },
    );
  });

  it('valid files with random damage → a verdict', () => {
    const sources = ['lecture.en.vtt', 'lecture.srt', 'hostile-markup.en.vtt', 'errors.vtt', 'errors.srt'].map((name) => ({ name, text: fixtureText(name) }));
    fc.assert(
      fc.property(
        fc.constantFrom(...sources),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 10 }), fc.oneof(token, fc.string({ maxLength: 5 }))), { minLength: 1, maxLength: 6 }),
        (source, edits) => {
          let text = source.text;
          for (const [at, cut, insert] of edits) {
            const position = at % (text.length + 1);
            text = text.slice(0, position) + insert + text.slice(position + cut);
          }
          checkVerdict(validateCaptions({ bytes: bytes(text), fileName: source.name }));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
