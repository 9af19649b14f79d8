import { describe, expect, it } from 'vitest';
import { CAPTION_ERROR_CODES, CAPTION_WARNING_CODES } from '../../../shared/captions/reasons.js';
import { accepted, fixtureBytes, rejected, validateFixture, validateText, where } from './helpers.js';

describe('validateCaptions: files that publish', () => {
  it('normalises a full WebVTT file: header, STYLE and REGION kept, NOTE dropped, times padded, overlaps allowed', () => {
    const result = accepted(validateFixture('lecture.en.vtt'));
    expect(result).toMatchObject({ format: 'webvtt', cues: 3, durationMs: 6000, language: 'en', warnings: [] });
    expect(result.webvtt).toBe(
      [
        'WEBVTT - Cell biology, lecture 1',
        '',
        'STYLE',
        '::cue(.highlight) { color: yellow; }',
        '',
        'REGION',
        'id:speaker',
        'width:40%',
        'lines:3',
        'regionanchor:0%,100%',
        'viewportanchor:10%,90%',
        'scroll:up',
        '',
        'intro',
        '00:00:00.000 --> 00:00:02.500 align:start position:10%,line-left',
        '<v Dr. Ada>Welcome to <b>cell biology</b>.</v>',
        '',
        '00:00:02.000 --> 00:00:04.000 region:speaker',
        '<c.highlight>Cells</c> are the unit of life.',
        '',
        '00:00:03.500 --> 00:00:06.000 line:-2 size:80%',
        'Ruby: <ruby>細胞<rt>さいぼう</rt></ruby> &amp; <lang fr>la cellule</lang>',
        '<i>Karaoke</i> <00:00:04.000>timing',
        '',
      ].join('\n'),
    );
  });

  it('converts SRT to WebVTT: numbers become identifiers, commas dots, foreign markup and positions dropped with warnings', () => {
    const result = accepted(validateFixture('lecture.srt'));
    expect(result).toMatchObject({ format: 'srt', cues: 3, durationMs: 7250 });
    expect(result.language).toBeUndefined();
    expect(result.webvtt).toBe(
      [
        'WEBVTT',
        '',
        '1',
        '00:00:00.000 --> 00:00:02.500',
        '<i>Welcome</i> to cell biology.',
        '',
        '2',
        '00:00:02.500 --> 00:00:05.000',
        'Cells are the unit of life.',
        '',
        '3',
        '00:00:05.000 --> 00:00:07.250',
        'Two lines of',
        'caption text &amp; more.',
        '',
      ].join('\n'),
    );
    expect(where(result.warnings)).toEqual(['captions.no-language@-:-', 'captions.markup-removed@7:1', 'captions.ignored-content@10:31']);
    expect(result.warnings[1]!.message).toContain('{\\an8}');
    expect(result.warnings[1]!.message).toContain('<font color="#ffff00">');
  });

  it('accepts a BOM and CRLF line ends and takes the language from the file name', () => {
    const bytes = fixtureBytes('crlf-bom.fr.srt');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const result = accepted(validateFixture('crlf-bom.fr.srt'));
    expect(result).toMatchObject({ format: 'srt', cues: 2, durationMs: 4000, language: 'fr', warnings: [] });
    expect(result.webvtt).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nBonjour à tous\n\n2\n00:00:02.500 --> 00:00:04.000\nDeux lignes\nde texte\n');
    expect(result.webvtt).not.toContain('\r');
  });

  it('strips script, images and links from cue text, keeps the words, escapes stray < and >', () => {
    const result = accepted(validateFixture('hostile-markup.en.vtt'));
    expect(result.webvtt).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello world\nclick <b>bold</b> 1 &lt; 2 &gt; 0\n');
    expect(where(result.warnings)).toEqual(['captions.markup-removed@4:1']);
    expect(result.warnings[0]!.message).toMatch(/<script>…<\/script>.*<img src=x onerror=alert\(1\)>.*<a href="javascript:alert\(1\)">/);
  });

  it('reads the language from a Language header when the file name has none; the file name wins when they differ', () => {
    const header = 'WEBVTT\nLanguage: pt-br\n\n00:00.000 --> 00:01.000\nOlá\n';
    expect(accepted(validateText('aula.vtt', header)).language).toBe('pt-BR');
    const both = accepted(validateText('aula.es.vtt', header));
    expect(both.language).toBe('es');
    expect(where(both.warnings)).toEqual(['captions.language-mismatch@2:11']);
  });

  it('reads a WebVTT file named .srt as WebVTT, with a warning', () => {
    const result = accepted(validateText('talk.en.srt', 'WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n'));
    expect(result.format).toBe('webvtt');
    expect(where(result.warnings)).toEqual(['captions.wrong-extension@1:1']);
  });
});

describe('validateCaptions: every problem, where it is', () => {
  it('reports all the errors of a broken WebVTT file with line and column', () => {
    const reasons = rejected(validateFixture('errors.vtt'));
    expect(where(reasons)).toEqual([
      'captions.bad-region-setting@4:27',
      'captions.bad-cue-setting@6:31',
      'captions.bad-cue-setting@6:44',
      'captions.bad-timestamp@9:1',
      'captions.end-before-start@12:18',
      'captions.out-of-order@15:1',
      'captions.empty-cue@18:1',
      'captions.missing-timing@21:1',
      'captions.missing-blank-line@26:1',
      'captions.misplaced-block@29:1',
      'captions.bad-cue-setting@32:31',
    ]);
    const byCode: Record<string, string> = Object.fromEntries(reasons.map((r) => [`${r.code}@${r.line}`, r.message]));
    expect(byCode['captions.bad-timestamp@9']).toContain('uses "," before the milliseconds; WebVTT uses "."');
    expect(byCode['captions.out-of-order@15']).toContain('before the cue above it (line 12');
    expect(reasons[1]!.message).toContain('write align:center');
    expect(reasons[2]!.message).toContain('region "nowhere" is not defined');
  });

  it('reports all the errors of a broken SRT file with line and column', () => {
    const reasons = rejected(validateFixture('errors.srt'));
    expect(where(reasons)).toEqual([
      'captions.bad-sequence-number@5:1',
      'captions.bad-timestamp@10:1',
      'captions.missing-blank-line@16:1',
      'captions.empty-cue@21:1',
      'captions.bad-timestamp@25:18',
    ]);
    expect(reasons[1]!.message).toContain('SRT uses ","');
    expect(reasons[4]!.message).toContain('write 00:00:14,000');
  });

  it('points at each invalid UTF-8 byte', () => {
    const reasons = rejected(validateFixture('latin1.vtt'));
    expect(where(reasons)).toEqual(['captions.invalid-utf8@4:4', 'captions.invalid-utf8@7:3']);
    expect(reasons[0]!.message).toContain('byte 0xE9');
  });

  it('recognises SRT content in a .vtt file and says to rename it', () => {
    const reasons = rejected(validateFixture('srt-content.vtt'));
    expect(where(reasons)).toEqual(['captions.missing-header@1:1']);
    expect(reasons[0]!.message).toContain('.srt');
  });

  // One case per remaining code: [code, file name, expected line:column ('-' = none), content].
  const CASES: Array<[string, string, string, string]> = [
    ['captions.empty', 'a.vtt', '-:-', ''],
    ['captions.empty', 'a.vtt', '-:-', '\n  \n\t\n'],
    ['captions.binary-content', 'a.vtt', '4:3', 'WEBVTT\n\n00:00.000 --> 00:01.000\nab\u0000c\n'],
    ['captions.missing-header', 'a.vtt', '1:1', 'WEBVTT-captions\n\n00:00.000 --> 00:01.000\nHi\n'],
    ['captions.missing-header', 'a.vtt', '1:1', 'webvtt\n\n00:00.000 --> 00:01.000\nHi\n'],
    ['captions.missing-header', 'a.vtt', '1:1', '\nWEBVTT\n\n00:00.000 --> 00:01.000\nHi\n'],
    ['captions.missing-blank-line', 'a.vtt', '2:1', 'WEBVTT\n00:00.000 --> 00:01.000\nHi\n'],
    ['captions.missing-blank-line', 'a.vtt', '5:1', 'WEBVTT\n\nNOTE a comment\nand more\n00:00.000 --> 00:01.000\nHi\n'],
    ['captions.bad-timestamp', 'a.vtt', '3:15', 'WEBVTT\n\n00:00.000 --> 00:61.000\nHi\n'],
    ['captions.bad-timestamp', 'a.vtt', '3:1', 'WEBVTT\n\n0:00.000 --> 00:01.000\nHi\n'],
    ['captions.bad-timestamp', 'a.vtt', '3:1', 'WEBVTT\n\n00:00.5 --> 00:01.000\nHi\n'],
    ['captions.bad-timestamp', 'a.vtt', '3:3', 'WEBVTT\n\n  --> 00:01.000\nHi\n'],
    ['captions.end-before-start', 'a.vtt', '3:15', 'WEBVTT\n\n00:01.000 --> 00:01.000\nHi\n'],
    ['captions.too-long', 'a.vtt', '3:15', 'WEBVTT\n\n00:00.000 --> 25:00:00.000\nHi\n'],
    ['captions.bad-cue-setting', 'a.vtt', '3:25', 'WEBVTT\n\n00:00.000 --> 00:01.000 align: start\nHi\n'],
    ['captions.bad-cue-setting', 'a.vtt', '3:32', 'WEBVTT\n\n00:00.000 --> 00:01.000 line:0 line:1\nHi\n'],
    ['captions.bad-region-setting', 'a.vtt', '3:1', 'WEBVTT\n\nREGION\nwidth:40%\n\n00:00.000 --> 00:01.000\nHi\n'],
    ['captions.misplaced-block', 'a.vtt', '6:1', 'WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n\nREGION\nid:r\n'],
    ['captions.empty-cue', 'a.vtt', '3:1', 'WEBVTT\n\n00:00.000 --> 00:01.000\n<script>x()</script>\n'],
    ['captions.bad-sequence-number', 'a.srt', '1:1', '00:00:00,000 --> 00:00:01,000\nHi\n'],
    ['captions.missing-timing', 'a.srt', '1:1', '1\nHi there\n'],
    ['captions.missing-timing', 'a.srt', '1:1', '1\n'],
    ['captions.invalid-language', 'a.xx.vtt', '-:-', 'WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n'],
    ['captions.invalid-language', 'a.vtt', '2:11', 'WEBVTT\nLanguage: klingonese\n\n00:00.000 --> 00:01.000\nHi\n'],
    ['captions.no-cues', 'a.vtt', '-:-', 'WEBVTT\n\nNOTE nothing here yet\n'],
  ];

  it.each(CASES)('%s in %s at %s', (code, fileName, at, text) => {
    const reasons = rejected(validateText(fileName, text));
    expect(where(reasons)).toContain(`${code}@${at}`);
    const reason = reasons.find((r) => r.code === code)!;
    expect(reason.message.length).toBeGreaterThan(30);
    if (reason.line !== undefined) expect(reason.message).toContain(`${reason.line}`);
  });

  it('rejects files over the size limit before reading them', () => {
    expect(where(rejected(validateText('a.vtt', `WEBVTT\n\n${'x'.repeat(100)}`, { maxBytes: 50 })))).toEqual(['captions.too-large@-:-']);
  });

  it('rejects lines longer than the limit', () => {
    expect(where(rejected(validateText('a.vtt', `WEBVTT\n\n00:00.000 --> 00:01.000\n${'x'.repeat(100)}\n`, { maxLineLength: 80 })))).toEqual(['captions.line-too-long@4:81']);
  });

  it('stops at the cue limit', () => {
    const cues = Array.from({ length: 5 }, (_, i) => `00:0${i}.000 --> 00:0${i}.500\nCue ${i}`).join('\n\n');
    expect(where(rejected(validateText('a.vtt', `WEBVTT\n\n${cues}\n`, { maxCues: 3 })))).toEqual(['captions.too-many-cues@12:1']);
  });

  it('caps the errors and says how many more there were', () => {
    const cues = Array.from({ length: 30 }, (_, i) => `00:00,${String(i).padStart(3, '0')} --> 00:01.000\nCue ${i}`).join('\n\n');
    const reasons = rejected(validateText('a.vtt', `WEBVTT\n\n${cues}\n`, { maxErrors: 10 }));
    expect(reasons).toHaveLength(11);
    expect(reasons.slice(0, 10).every((r) => r.code === 'captions.bad-timestamp')).toBe(true);
    expect(reasons[10]).toMatchObject({ code: 'captions.too-many-errors' });
    expect(reasons[10]!.message).toMatch(/^Checking stopped after 10 problems/);
  });

  it.each([
    ['captions.duplicate-id', 'a.en.vtt', '7:1', 'WEBVTT\n\nx\n00:00.000 --> 00:01.000\nA\n\nx\n00:01.000 --> 00:02.000\nB\n'],
    ['captions.sequence-mismatch', 'a.en.srt', '5:1', '1\n00:00:00,000 --> 00:00:01,000\nA\n\n3\n00:00:01,000 --> 00:00:02,000\nB\n'],
    ['captions.style-removed', 'a.en.vtt', '3:1', 'WEBVTT\n\nSTYLE\n::cue { background: url(https://tracker.example/p.gif) }\n\n00:00.000 --> 00:01.000\nA\n'],
    ['captions.markup-removed', 'a.en.vtt', '4:3', 'WEBVTT\n\n00:00.000 --> 00:01.000\nA <span>b</span>\n'],
    ['captions.no-language', 'a.vtt', '-:-', 'WEBVTT\n\n00:00.000 --> 00:01.000\nA\n'],
  ])('warns %s in %s at %s', (code, fileName, at, text) => {
    expect(where(accepted(validateText(fileName, text)).warnings)).toContain(`${code}@${at}`);
  });

  it('caps the warnings too', () => {
    const cues = Array.from({ length: 30 }, (_, i) => `00:${String(i).padStart(2, '0')}.000 --> 00:${String(i).padStart(2, '0')}.500\n<font>${i}</font>`).join('\n\n');
    const result = accepted(validateText('a.en.vtt', `WEBVTT\n\n${cues}\n`, { maxErrors: 5 }));
    expect(result.warnings).toHaveLength(6);
    expect(result.warnings[5]).toMatchObject({ code: 'captions.too-many-warnings' });
    expect(result.warnings[5]!.message).toMatch(/^25 more warnings were not listed/);
  });

  it('documents every code in docs/captions.md', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/captions.md', import.meta.url), 'utf8');
    for (const code of [...CAPTION_ERROR_CODES, ...CAPTION_WARNING_CODES]) expect(doc, code).toContain(`\`${code}\``);
  });
});
