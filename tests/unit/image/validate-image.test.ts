/** Images uploaded to a lesson: recognised by their bytes, limited, SVG refused when it scripts and sanitised otherwise. */
import { describe, expect, it } from 'vitest';
import { validateImage } from '../../../shared/image/validate-image.js';
import { solidPng } from '../../helpers/make-image.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, ...text('JFIF'), 0]);
const GIF = new Uint8Array([...text('GIF89a'), 3, 0, 2, 0, 0, 0, 0]);
const WEBP = new Uint8Array([...text('RIFF'), 20, 0, 0, 0, ...text('WEBPVP8 ')]);

describe('validateImage', () => {
  it.each([
    ['cell.png', solidPng(8, 4, [0, 128, 0]), 'png', 'image/png'],
    ['photo.jpg', JPEG, 'jpeg', 'image/jpeg'],
    ['spin.gif', GIF, 'gif', 'image/gif'],
    ['leaf.webp', WEBP, 'webp', 'image/webp'],
  ])('accepts %s as what its bytes are', (fileName, bytes, type, contentType) => {
    const verdict = validateImage({ bytes, fileName });
    expect(verdict).toMatchObject({ ok: true, type, contentType, warnings: [] });
    if (verdict.ok) expect(verdict.bytes).toEqual(bytes);
  });

  it('reads PNG and GIF dimensions', () => {
    expect(validateImage({ bytes: solidPng(24, 16, [1, 2, 3]), fileName: 'a.png' })).toMatchObject({ width: 24, height: 16 });
    expect(validateImage({ bytes: GIF, fileName: 'a.gif' })).toMatchObject({ width: 3, height: 2 });
  });

  it('publishes a JPEG named .png as a JPEG, and says to rename it', () => {
    const verdict = validateImage({ bytes: JPEG, fileName: 'photo.png' });
    expect(verdict).toMatchObject({ ok: true, type: 'jpeg', extension: 'jpg', contentType: 'image/jpeg' });
    expect(verdict.ok && verdict.warnings.map((w) => w.code)).toEqual(['image.wrong-extension']);
  });

  it.each([
    ['empty.png', new Uint8Array(), 'image.empty'],
    ['notes.png', text('These are my notes, not a picture.'), 'image.not-an-image'],
    ['slides.png', text('%PDF-1.7\n1 0 obj\n'), 'image.not-an-image'],
    ['html.svg', text('<html><body><svg></svg></body></html>'), 'image.not-an-image'],
  ])('rejects %s (%s)', (fileName, bytes, code) => {
    expect(validateImage({ bytes, fileName })).toMatchObject({ ok: false, reasons: [{ code }] });
  });

  it('rejects an image over the limit, saying the limit', () => {
    const verdict = validateImage({ bytes: solidPng(64, 64, [9, 9, 9]), fileName: 'big.png', maxBytes: 100 });
    expect(verdict).toMatchObject({ ok: false, reasons: [{ code: 'image.too-large' }] });
    expect(!verdict.ok && verdict.reasons[0]?.message).toContain('100 bytes');
  });

  it.each([
    ['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', '<script>'],
    ['<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5" onload="alert(1)"/></svg>', 'onload'],
    ['<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><body xmlns="http://www.w3.org/1999/xhtml">hi</body></foreignObject></svg>', 'foreignObject'],
    ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', 'javascript:'],
    ['<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><svg:script xmlns:svg="http://www.w3.org/2000/svg">x</svg:script></svg>', '<script>'],
  ])('rejects an SVG that scripts: %s', (svg, what) => {
    const verdict = validateImage({ bytes: text(svg), fileName: 'd.svg' });
    expect(verdict).toMatchObject({ ok: false, reasons: [{ code: 'image.svg-scripted' }] });
    expect(!verdict.ok && verdict.reasons[0]?.message).toContain(what);
  });

  it('publishes a plain SVG sanitised: shapes and text kept, styles and outside links removed', () => {
    const svg =
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>rect{fill:url(https://tracker.example/x)}</style>' +
      '<rect width="10" height="10" fill="green"/><text x="1" y="5">Cell</text><use href="https://evil.example/s.svg#a"/></svg>';
    const verdict = validateImage({ bytes: text(svg), fileName: 'cell.svg' });
    expect(verdict).toMatchObject({ ok: true, type: 'svg', contentType: 'image/svg+xml' });
    const out = verdict.ok ? new TextDecoder().decode(verdict.bytes) : '';
    expect(out).toContain('<rect width="10" height="10" fill="green"');
    expect(out).toContain('>Cell</text>');
    expect(out).not.toMatch(/style|tracker|evil/);
  });
});
