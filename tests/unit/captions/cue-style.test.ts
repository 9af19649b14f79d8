/** STYLE blocks through the real validation path: what students would get, and the warning. */
import { describe, expect, it } from 'vitest';
import { accepted, validateText, where } from './helpers.js';

const vtt = (css: string): string => `WEBVTT\n\nSTYLE\n${css}\n\n00:00.000 --> 00:01.000\n<c.hl>Cells</c>\n`;

describe('WebVTT STYLE blocks: only an allow-list of properties and values is published', () => {
  it.each([
    ['a CSS escape that spells url(', '::cue { background-color: u\\72 l(https://tracker.example/p.gif) }'],
    ['an escaped url in a property name', '::cue { backgr\\6f und: red }'],
    ['image-set()', '::cue { background-image: image-set("http://tracker.example/p.png" 1x) }'],
    ['@import', '@import "https://tracker.example/x.css";\n::cue { color: red }'],
    ['a comment that hides url(', '::cue { color: red; background-color: u/**/rl(x) }'],
  ])('never publishes %s, and warns', (_name, css) => {
    const result = accepted(validateText('a.en.vtt', vtt(css)));
    expect(result.webvtt).not.toMatch(/url|image-set|@import|\\|tracker/i);
    expect(where(result.warnings)).toContain('captions.style-removed@3:1');
  });

  it('keeps colours, fonts and text decoration, re-written from the parsed rules', () => {
    const css = '::cue(.hl) { color: #ff0; font-weight: bold; text-shadow: 0 0 2px rgba(0, 0, 0, 0.5) }\n::cue { font-family: "Atkinson Hyperlegible", sans-serif }';
    const result = accepted(validateText('a.en.vtt', vtt(css)));
    expect(result.warnings).toEqual([]);
    expect(result.webvtt).toContain(
      'STYLE\n::cue(.hl) { color: #ff0; font-weight: bold; text-shadow: 0 0 2px rgba(0, 0, 0, 0.5); }\n::cue { font-family: "Atkinson Hyperlegible", sans-serif; }\n',
    );
  });

  it('drops only the declarations outside the allow-list and says which', () => {
    const result = accepted(validateText('a.en.vtt', vtt('::cue { color: lime; background-image: linear-gradient(red, blue); position: fixed }')));
    expect(result.webvtt).toContain('STYLE\n::cue { color: lime; }\n');
    const warning = result.warnings.find((w) => w.code === 'captions.style-removed');
    expect(warning?.message).toMatch(/background-image.*position/);
  });

  it('drops rules for selectors other than ::cue (they would style the page around the player)', () => {
    const result = accepted(validateText('a.en.vtt', vtt('body { display: none }\n::cue { color: red }')));
    expect(result.webvtt).toContain('STYLE\n::cue { color: red; }\n');
    expect(result.webvtt).not.toContain('body');
  });
});
