/**
 * Hostile and degenerate caption files: each gets a specific verdict quickly — never an
 * exception, never a hang. Times are generous bounds (a hang or quadratic blow-up takes minutes), not benchmarks.
 */
import { describe, expect, it } from 'vitest';
import { validateCaptions } from '../../../shared/captions/validate-captions.js';
import { timed } from '../../helpers/timed.js';
import { bytes, rejected, validateText, where } from './helpers.js';

const MiB = 1024 * 1024;

describe('hostile caption files', () => {
  it('zero bytes → captions.empty', () => {
    expect(where(rejected(validateCaptions({ bytes: new Uint8Array(), fileName: 'a.vtt' })))).toEqual(['captions.empty@-:-']);
  });

  it('a lone BOM, or only CRLFs → captions.empty', () => {
    expect(where(rejected(validateCaptions({ bytes: new Uint8Array([0xef, 0xbb, 0xbf]), fileName: 'a.vtt' })))).toEqual(['captions.empty@-:-']);
    expect(where(rejected(validateText('a.srt', '\r\n\r\n\r\n')))).toEqual(['captions.empty@-:-']);
  });

  it('binary garbage → captions.invalid-utf8 with the position of the first bad byte', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(where(rejected(validateCaptions({ bytes: png, fileName: 'a.vtt' })))[0]).toBe('captions.invalid-utf8@1:1');
  });

  it('overlong and surrogate UTF-8 encodings are invalid, not decoded', () => {
    const overlong = bytes('WEBVTT\n\n00:00.000 --> 00:01.000\n');
    const withSlash = new Uint8Array([...overlong, 0xc0, 0xaf, 0x0a]);
    expect(where(rejected(validateCaptions({ bytes: withSlash, fileName: 'a.vtt' })))).toEqual(['captions.invalid-utf8@4:1']);
    const surrogate = new Uint8Array([...overlong, 0x41, 0xed, 0xa0, 0x80, 0x0a]);
    expect(where(rejected(validateCaptions({ bytes: surrogate, fileName: 'a.vtt' })))).toEqual(['captions.invalid-utf8@4:2']);
  });

  it('invalid bytes on many lines → the first 50 located, the rest counted', () => {
    const line = [...bytes('caf'), 0xe9, 0x0a];
    const data = new Uint8Array(Array.from({ length: 120 }, () => line).flat());
    const reasons = rejected(validateCaptions({ bytes: data, fileName: 'a.vtt' }));
    expect(reasons).toHaveLength(51);
    expect(where(reasons.slice(0, 2))).toEqual(['captions.invalid-utf8@1:4', 'captions.invalid-utf8@2:4']);
    expect(reasons[50]!.message).toMatch(/^70 more problems were not listed/);
  });

  it('many over-long lines → the first 50 located, the rest counted', () => {
    const reasons = rejected(validateText('a.vtt', `${'x'.repeat(5000)}\n`.repeat(60)));
    expect(reasons).toHaveLength(51);
    expect(reasons[50]!.message).toMatch(/^10 more problems were not listed/);
  });

  it('NUL bytes → captions.binary-content', () => {
    expect(where(rejected(validateCaptions({ bytes: new Uint8Array(1000), fileName: 'a.srt' })))).toEqual(['captions.binary-content@1:1']);
  });

  it('a megabyte-long cue line → captions.line-too-long, at once', () => {
    const text = `WEBVTT\n\n00:00.000 --> 00:01.000\n${'a'.repeat(MiB)}\n`;
    expect(where(rejected(timed(() => validateText('a.vtt', text), 6_000)))).toEqual(['captions.line-too-long@4:4097']);
  });

  it('a 4 MiB file without a single line break → captions.line-too-long', () => {
    expect(where(rejected(timed(() => validateText('a.srt', 'x'.repeat(4 * MiB)), 6_000)))).toEqual(['captions.line-too-long@1:4097']);
  });

  it('more than the size limit → captions.too-large without decoding', () => {
    const big = new Uint8Array(6 * MiB).fill(0x41);
    expect(where(rejected(timed(() => validateCaptions({ bytes: big, fileName: 'a.vtt' }), 6_000)))).toEqual(['captions.too-large@-:-']);
  });

  it('100,000 cues → captions.too-many-cues, quickly', () => {
    const cue = (i: number) => `${i + 1}\n${stamp(i * 100)} --> ${stamp(i * 100 + 90)}\nx`;
    const text = Array.from({ length: 100_000 }, (_, i) => cue(i)).join('\n\n');
    const reasons = rejected(timed(() => validateText('many.srt', text), 15_000));
    expect(where(reasons)).toEqual(['captions.too-many-cues@80002:1']);
    expect(reasons[0]!.message).toContain('more than 20000 cues');
  });

  it('100,000 cues within a raised limit are converted in linear time', () => {
    const text = `WEBVTT\n\n${Array.from({ length: 100_000 }, (_, i) => `${stamp(i * 100, '.')} --> ${stamp(i * 100 + 90, '.')}\nCue ${i}`).join('\n\n')}\n`;
    const verdict = timed(() => validateText('many.en.vtt', text, { maxCues: 100_000, maxBytes: 10 * MiB }), 24_000);
    expect(verdict).toMatchObject({ ok: true, cues: 100_000 });
  });

  it('100,000 broken cues → the first errors and a count, not 100,000 reasons', () => {
    const text = `WEBVTT\n\n${Array.from({ length: 100_000 }, () => '99:99.999 --> 00:01.000\nx').join('\n\n')}\n`;
    const reasons = rejected(timed(() => validateText('a.vtt', text), 9_000));
    expect(reasons.length).toBe(51);
    expect(reasons[50]!.code).toBe('captions.too-many-errors');
  });

  it('cue timing lines with no empty lines between them → capped missing-blank-line errors, not quadratic work', () => {
    const text = `WEBVTT\n\n${'00:00.000 --> 00:01.000\n'.repeat(200_000)}`;
    const reasons = rejected(timed(() => validateText('a.vtt', text), 9_000));
    expect(reasons.map((r) => r.code)).toContain('captions.missing-blank-line');
    expect(reasons.at(-1)!.code).toBe('captions.too-many-errors');
  });

  it.each([
    ['<', '<'],
    ['<a', '<a'],
    ['<b>', '<b>'],
    ['{\\', '{\\'],
    ['&', '&'],
    ['<script>', '<script>'],
    ['<script></script>', '<script></script>'],
  ])('tag soup of %j repeated to 1 MB → a verdict in linear time', (_name, unit) => {
    // Quadratic work here would take minutes; linear takes well under a second.
    const line = unit.repeat(Math.floor(4000 / unit.length));
    const payload = Array.from({ length: 250 }, () => line).join('\n');
    const verdict = timed(() => validateText('soup.en.srt', `1\n00:00:00,000 --> 00:00:01,000\n${payload}x\n`), 30_000);
    if (verdict.ok) expect(verdict.webvtt).not.toMatch(/<(?!\/?(?:b|i|u|c|v|lang|ruby|rt)[\s.>])/);
    else expect(verdict.reasons[0]!.code).toBe('captions.empty-cue');
  });

  it('an alias-like flood of "-->" lines → a verdict', () => {
    expect(rejected(timed(() => validateText('a.vtt', `WEBVTT\n\n${'-->\n'.repeat(100_000)}`), 9_000)).length).toBeGreaterThan(0);
  });

  it('absurd hours do not overflow', () => {
    expect(where(rejected(validateText('a.vtt', 'WEBVTT\n\n999999999:00:00.000 --> 999999999:00:01.000\nx\n')))).toEqual(['captions.too-long@3:25']);
  });
});

/** `hh:mm:ss,ttt` (SRT) or, with `.`, `hh:mm:ss.ttt` (WebVTT). */
function stamp(ms: number, separator: ',' | '.' = ','): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}
