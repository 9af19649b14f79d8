import { describe, expect, it } from 'vitest';
import { sanitizeCueText } from '../../../shared/captions/cue-text.js';

const clean = (raw: string, format: 'webvtt' | 'srt' = 'webvtt') => sanitizeCueText({ raw, format, firstLine: 10, startMs: 1000, endMs: 5000, cueLine: 9 });

describe('sanitizeCueText', () => {
  it.each([
    ['plain text', 'plain text'],
    ['<b>bold</b> <i>it</i> <u>under</u>', '<b>bold</b> <i>it</i> <u>under</u>'],
    ['<c.yellow.big>c</c>', '<c.yellow.big>c</c>'],
    ['<v.loud Dr. Ada>Hi</v>', '<v.loud Dr. Ada>Hi</v>'],
    ['<lang EN-us>color</lang>', '<lang en-US>color</lang>'],
    ['<ruby>漢<rt>kan</rt></ruby>', '<ruby>漢<rt>kan</rt></ruby>'],
    ['<ruby>漢<rt>kan</ruby>', '<ruby>漢<rt>kan</rt></ruby>'],
    ['<I>upper</I>', '<i>upper</i>'],
    ['<b>unclosed', '<b>unclosed</b>'],
    ['<b><i>misnested</b></i>', '<b><i>misnested</i></b>'],
    ['a &amp; b &lt; c &eacute; &#233; &#x1F600;', 'a &amp; b &lt; c &eacute; &#233; &#x1F600;'],
    ['R&D & more &#0; &#xD800;', 'R&amp;D &amp; more &amp;#0; &amp;#xD800;'],
    ['1 < 2 > 0', '1 &lt; 2 &gt; 0'],
    ['a <b', 'a &lt;b'],
    ['line one<br>line two<br/><br />', 'line one\nline two'],
    ['  indented  \n\n   \nnext', '  indented\nnext'],
    ['Karaoke <00:00:02.000>word', 'Karaoke <00:00:02.000>word'],
    ['<v Bob-->x', '<v Bob>x</v>'],
    ['<c.a-->x</c>', '<c>x</c>'],
  ])('%j → %j', (raw, expected) => {
    expect(clean(raw).text).toBe(expected);
  });

  it('removes what is not WebVTT and says what, where', () => {
    const result = clean('ok\nsee <a href="https://x">this</a> <script>steal()</script><span class="x">now</span>');
    expect(result.text).toBe('ok\nsee this now');
    expect(result.warning).toMatchObject({ code: 'captions.markup-removed', line: 11, column: 5 });
    expect(result.warning!.message).toContain('cue at line 9');
    expect(result.warning!.message).toContain('<a href="https://x">');
    expect(result.warning!.message).toContain('<script>…</script>');
  });

  it.each([
    ['<script>alert(1)</script>visible', 'visible'],
    ['<SCRIPT>alert(1)</SCRIPT >visible', 'visible'],
    ['before<script>never closed', 'before'],
    ['<style>body{}</style>text', 'text'],
    ['<iframe src="x"></iframe>text', 'text'],
    ['<img src=x onerror=alert(1)>text', 'text'],
    ['<b onclick="x()">b</b>', '<b>b</b>'],
    ['<rt>outside ruby</rt>', 'outside ruby'],
    ['<lang>no language</lang>', 'no language'],
    ['<00:00:09.000>after the end', 'after the end'],
    ['<00:00:00.500>before the start', 'before the start'],
    ['<2:00>not a time', 'not a time'],
    ['bell\u0007 and \u001b escape', 'bell and  escape'],
    ['<c.ok.no&pe>x</c>', '<c.ok>x</c>'],
  ])('drops %j', (raw, expected) => {
    const result = clean(raw);
    expect(result.text).toBe(expected);
    expect(result.warning?.code).toBe('captions.markup-removed');
  });

  it('drops SRT override tags such as {\\an8} only in SRT', () => {
    expect(clean('{\\an8}top', 'srt').text).toBe('top');
    expect(clean('{\\an8}top', 'webvtt').text).toBe('{\\an8}top');
    expect(clean('{curly}', 'srt').text).toBe('{curly}');
  });

  it('never lets a tag, a blank line or "-->" through from hostile text', () => {
    const hostile = '<<script>script>alert(1)<</script>/script> <b <i> --<b>> <v -->--> a\n\n<b>\n</b>';
    const { text } = clean(hostile);
    expect(text).not.toMatch(/<(?!\/?(?:b|i|u|c|v|lang|ruby|rt)[\s.>]|\d)/);
    expect(text).not.toContain('-->');
    expect(text.split('\n').every((line) => line.trim().length > 0)).toBe(true);
  });
});
