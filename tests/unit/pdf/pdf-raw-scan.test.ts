import { describe, expect, it } from 'vitest';
import { PdfLexer, Tok } from '../../../shared/pdf/pdf-lexer.js';
import { precheck } from '../../../shared/pdf/pdf-precheck.js';
import { rawScan } from '../../../shared/pdf/pdf-raw-scan.js';
import { appendUpdate, pdfString, simplePdf } from '../../helpers/make-pdf.js';

const latin1 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));

function tokens(text: string): Array<[Tok, string | number]> {
  const lx = new PdfLexer(latin1(text));
  const out: Array<[Tok, string | number]> = [];
  for (let tok = lx.next(); tok !== Tok.Eof; tok = lx.next()) {
    out.push([tok, tok === Tok.Number ? lx.num : tok === Tok.Name || tok === Tok.Keyword ? lx.text : '']);
  }
  return out;
}

describe('PdfLexer', () => {
  it('decodes #-escaped names and skips strings and comments', () => {
    expect(tokens('<< /S /Java#53cript /JS (a /Launch (nested) \\) ) % /Launch\n>> 12 0 R')).toEqual([
      [Tok.DictOpen, ''],
      [Tok.Name, 'S'],
      [Tok.Name, 'JavaScript'],
      [Tok.Name, 'JS'],
      [Tok.String, ''],
      [Tok.DictClose, ''],
      [Tok.Number, 12],
      [Tok.Number, 0],
      [Tok.Keyword, 'R'],
    ]);
  });

  it('terminates on any input, including unbalanced strings and stray delimiters', () => {
    expect(tokens('((((( ))) } { ) /A')).toContainEqual([Tok.Name, 'A']);
    expect(tokens(')'.repeat(100_000))).toEqual([]);
  });
});

describe('rawScan', () => {
  it('finds a Launch action that pdf.js does not report', () => {
    const scan = rawScan(
      simplePdf({
        firstPage: '/Annots [10 0 R]',
        extra: [`<< /Type /Annot /Subtype /Link /Rect [0 0 1 1] /A << /S /Launch /F ${pdfString('cmd.exe')} >> >>`],
      }),
    );
    expect(scan.reachability).toBe('checked');
    expect(scan.findings).toEqual([{ kind: 'launch', what: 'a Launch action', object: '10 0' }]);
  });

  it('decodes object streams to find what they hide', () => {
    const scan = rawScan(
      simplePdf({
        objectStream: true,
        firstPage: '/Annots [10 0 R]',
        extra: ['<< /Type /Annot /Subtype /RichMedia /Rect [0 0 1 1] >>'],
      }),
    );
    expect(scan.objectStreams).toEqual({ decoded: 1, skipped: 0 });
    expect(scan.findings.map((f) => f.kind)).toEqual(['rich-media']);
  });

  it('tells findings nothing refers to any more apart', () => {
    const withJs = simplePdf({
      catalog: '/OpenAction 10 0 R',
      extra: [`<< /S /JavaScript /JS ${pdfString('x')} >>`],
    });
    expect(rawScan(withJs).findings.map((f) => f.kind)).toEqual(['javascript']);
    const scan = rawScan(appendUpdate(withJs, { 1: '<< /Type /Catalog /Pages 2 0 R >>' }, 102));
    expect(scan.findings).toEqual([]);
    expect(scan.unreachable.map((f) => f.kind)).toEqual(['javascript']);
  });

  it('does not mistake a usage-rights /EF permission array for an embedded file', () => {
    const scan = rawScan(simplePdf({ catalog: '/Perms << /UR3 << /TransformParams << /EF [/Create /Delete] >> >> >>' }));
    expect(scan.findings).toEqual([]);
  });

  it('reports filters outside the standard', () => {
    const scan = rawScan(simplePdf({ extra: [{ dict: '<< /Filter /BrotliDecode >>', stream: 'x' }] }));
    expect(scan.nonStandardFilters).toEqual(['BrotliDecode']);
  });
});

describe('precheck', () => {
  it('passes a well-formed file', () => {
    expect(precheck(simplePdf())).toMatchObject({ headerOffset: 0, headerVersion: '1.7', hasEof: true, damage: [] });
  });

  it('describes each kind of damage', () => {
    const good = Buffer.from(simplePdf()).toString('latin1');
    expect(precheck(latin1(`junk\n${good}`)).damage[0]).toMatch(/5 bytes of unexpected data before/);
    expect(precheck(latin1(good.replace(/%%EOF\n$/, ''))).damage).toEqual([expect.stringMatching(/no %%EOF/)]);
    expect(precheck(latin1(good.replace(/\d{10} 00000 n/, '0000000001 00000 n'))).damage).toEqual([
      expect.stringMatching(/cross-reference table points at the wrong places/),
    ]);
  });

  it('recognises other formats', () => {
    expect(precheck(latin1('PK\x03\x04rest of a docx')).otherFormat).toMatch(/ZIP/);
    expect(precheck(latin1('\x89PNG\r\n\x1a\n')).otherFormat).toMatch(/PNG/);
    expect(precheck(latin1('hello')).otherFormat).toBeUndefined();
  });
});
