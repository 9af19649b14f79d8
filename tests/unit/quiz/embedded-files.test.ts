/**
 * Images inside Moodle XML (`<file encoding="base64">`, linked as `@@PLUGINFILE@@/name`): extracted,
 * recognised by content, size-limited, SVG sanitised, published as files/<hash>.<ext> beside quiz.json.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { QuestionOf } from '../../../shared/quiz/model.js';
import { MAX_EMBEDDED_FILE_BYTES } from '../../../shared/quiz/embedded-files.js';
import { solidPng } from '../../helpers/make-image.js';
import { accepted, parseText } from './helpers.js';

const png = solidPng(4, 3, [200, 30, 30]);
const pngName = `files/${createHash('sha256').update(png).digest('hex').slice(0, 12)}.png`;
const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');
const file = (name: string, bytes: Uint8Array | string): string => `<file name="${name}" path="/" encoding="base64">${b64(bytes)}</file>`;

function multichoice(parts: { stem: string; stemFiles?: string; answer?: string; answerFiles?: string; feedback?: string; feedbackFiles?: string; general?: string; generalFiles?: string }): string {
  return [
    '<quiz>',
    '  <question type="multichoice">',
    `    <questiontext format="html"><text><![CDATA[${parts.stem}]]></text>${parts.stemFiles ?? ''}</questiontext>`,
    `    <generalfeedback format="html"><text><![CDATA[${parts.general ?? ''}]]></text>${parts.generalFiles ?? ''}</generalfeedback>`,
    `    <answer fraction="100" format="html"><text><![CDATA[${parts.answer ?? 'Yes'}]]></text>${parts.answerFiles ?? ''}`,
    `      <feedback format="html"><text><![CDATA[${parts.feedback ?? ''}]]></text>${parts.feedbackFiles ?? ''}</feedback></answer>`,
    '    <answer fraction="0"><text>No</text></answer>',
    '  </question>',
    '</quiz>',
  ].join('\n');
}

describe('Moodle XML embedded images', () => {
  it('publishes a base64 PNG of the question text and links the text to it', () => {
    const result = accepted(parseText('q.xml', multichoice({ stem: 'Which flag? <img src="@@PLUGINFILE@@/flag.png" alt="flag">', stemFiles: file('flag.png', png) }), { knownAssets: [] }));
    expect(result.quiz.questions[0]?.stem).toBe(`Which flag? <img src="${pngName}" alt="flag" />`);
    expect(result.warnings).toEqual([]);
    const parsed = parseText('q.xml', multichoice({ stem: 'x <img src="@@PLUGINFILE@@/flag.png">', stemFiles: file('flag.png', png) }));
    expect(parsed.ok && parsed.files.map((f) => [f.name, f.contentType, Buffer.from(f.bytes).equals(Buffer.from(png))])).toEqual([[pngName, 'image/png', true]]);
  });

  it('every reference form: URL-encoded names, answers, answer feedback and general feedback', () => {
    const xml = multichoice({
      stem: 'Pick <img src="@@PLUGINFILE@@/my%20flag.png">',
      stemFiles: file('my flag.png', png),
      answer: '<img src="@@PLUGINFILE@@/a.png" alt="a">',
      answerFiles: file('a.png', png),
      feedback: 'See <img src="@@PLUGINFILE@@/f.png">',
      feedbackFiles: file('f.png', png),
      general: '<a href="@@PLUGINFILE@@/g.png">map</a>',
      generalFiles: file('g.png', png),
    });
    const { quiz, warnings } = accepted(parseText('q.xml', xml, { knownAssets: [] }));
    const q = quiz.questions[0] as QuestionOf<'multiple-choice'>;
    expect(warnings).toEqual([]);
    for (const html of [q.stem, q.choices[0]?.text, q.choices[0]?.feedback, q.feedback.general]) expect(html).toContain(pngName);
  });

  it('a file whose content is not an image is not published, with a warning on its line', () => {
    const result = parseText('q.xml', multichoice({ stem: '<img src="@@PLUGINFILE@@/fake.png">', stemFiles: file('fake.png', 'just text') }), { knownAssets: [] });
    const { warnings } = accepted(result);
    expect(result.ok && result.files).toEqual([]);
    expect(warnings.map((w) => [w.code, w.line])).toContainEqual(['quiz.ignored-content', 3]);
    expect(warnings.find((w) => w.code === 'quiz.ignored-content')?.message).toContain('not a PNG, JPEG, GIF, WebP or SVG image');
  });

  it('an image over the size limit is not published', () => {
    const big = new Uint8Array(MAX_EMBEDDED_FILE_BYTES + 1);
    big.set(png.subarray(0, 8));
    const { warnings } = accepted(parseText('q.xml', multichoice({ stem: 'x', stemFiles: file('big.png', big) })));
    expect(warnings[0]?.message).toContain(`at most ${MAX_EMBEDDED_FILE_BYTES} bytes`);
  });

  it('recognises JPEG, GIF and WebP by their bytes whatever the name says', () => {
    const heads: [string, Uint8Array, string][] = [
      ['image/jpeg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]), '.jpg'],
      ['image/gif', new TextEncoder().encode('GIF89a\u0001\u0000\u0001\u0000'), '.gif'],
      ['image/webp', new Uint8Array([...new TextEncoder().encode('RIFF'), 4, 0, 0, 0, ...new TextEncoder().encode('WEBPVP8 ')]), '.webp'],
    ];
    for (const [type, bytes, ext] of heads) {
      const result = parseText('q.xml', multichoice({ stem: 'x', stemFiles: file('picture.bin', bytes) }));
      expect(result.ok && result.files.map((f) => [f.contentType, f.name.endsWith(ext)])).toEqual([[type, true]]);
    }
  });

  it('sanitises SVG: scripts, event handlers, foreignObject and external links are removed', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script>' +
      '<foreignObject><div>x</div></foreignObject><circle cx="5" cy="5" r="4" fill="red"/>' +
      '<use href="https://evil.example/x.svg#a"/><use href="#local"/></svg>';
    const result = parseText('q.xml', multichoice({ stem: '<img src="@@PLUGINFILE@@/d.svg">', stemFiles: file('d.svg', svg) }));
    const published = result.ok ? new TextDecoder().decode(result.files[0]?.bytes) : '';
    expect(result.ok && result.files[0]?.contentType).toBe('image/svg+xml');
    expect(published).toContain('<circle cx="5" cy="5" r="4" fill="red"');
    expect(published).toContain('href="#local"');
    for (const bad of ['script', 'alert', 'onload', 'foreignObject', 'evil.example']) expect(published).not.toContain(bad);
  });
});
