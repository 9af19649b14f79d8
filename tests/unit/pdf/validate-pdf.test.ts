import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { validatePdf, type PdfVerdict } from '../../../shared/pdf/validate-pdf.js';
import { heavyPage } from '../../helpers/hostile-pdf.js';
import { appendUpdate, pdfString, simplePdf } from '../../helpers/make-pdf.js';
import { cpuMs } from '../../helpers/timed.js';

const codes = (reasons: PdfVerdict['reasons']): string[] => reasons.map((r) => r.code);

async function pdfLibText(pages: string[], title = 'Cell structure'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setAuthor('Lectern Tests');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) doc.addPage().drawText(text, { x: 72, y: 700, size: 14, font });
  return doc.save();
}

const JS_ACTION = `<< /Type /Action /S /JavaScript /JS ${pdfString("app.alert('hi');")} >>`;

describe('validatePdf: ordinary documents', () => {
  it('accepts a text PDF and reports its metadata', async () => {
    const bytes = await pdfLibText(['The cell membrane surrounds the cytoplasm.', 'Mitochondria make ATP.']);
    const verdict = await validatePdf(bytes);
    expect(verdict.reasons).toEqual([]);
    expect(verdict.warnings).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.metadata).toMatchObject({
      pageCount: 2,
      title: 'Cell structure',
      author: 'Lectern Tests',
      encrypted: false,
      hasTextLayer: true,
      textLayerPages: 2,
      activeContent: [],
    });
    expect(verdict.metadata.pdfVersion).toMatch(/^1\.\d$/);
  });

  it('leaves the caller’s bytes intact', async () => {
    const bytes = simplePdf();
    const copy = bytes.slice();
    await validatePdf(bytes);
    expect(bytes).toEqual(copy);
  });

  it('accepts an image-only (scanned) PDF with a no-text-layer warning', async () => {
    const verdict = await validatePdf(simplePdf({ pages: 3, text: false }));
    expect(verdict.ok).toBe(true);
    expect(codes(verdict.warnings)).toEqual(['pdf.no-text-layer']);
    expect(verdict.warnings[0]!.message).toMatch(/OCR/);
    expect(verdict.metadata).toMatchObject({ pageCount: 3, hasTextLayer: false, textLayerPages: 0 });
  });

  it('samples at most textLayerSamplePages pages', async () => {
    const verdict = await validatePdf(simplePdf({ pages: 12 }), { textLayerSamplePages: 3 });
    expect(verdict.metadata.textLayerPages).toBe(3);
    const off = await validatePdf(simplePdf({ pages: 2 }), { textLayerSamplePages: 0 });
    expect(off.metadata.hasTextLayer).toBeUndefined();
  });

  it('rejects a document over the page limit', async () => {
    const verdict = await validatePdf(simplePdf({ pages: 12 }), { maxPages: 10 });
    expect(verdict.ok).toBe(false);
    expect(codes(verdict.reasons)).toEqual(['pdf.too-many-pages']);
    expect(verdict.reasons[0]!.message).toContain('12 pages; the limit is 10');
    expect(verdict.metadata.pageCount).toBe(12);
    expect((await validatePdf(simplePdf({ pages: 12 }))).ok).toBe(true);
  });

  it('rejects a file over the size limit without parsing it', async () => {
    const verdict = await validatePdf(simplePdf(), { maxBytes: 100 });
    expect(codes(verdict.reasons)).toEqual(['pdf.too-large']);
    expect(verdict.metadata.pageCount).toBeUndefined();
  });

  it('reads objects from compressed object streams', async () => {
    const verdict = await validatePdf(simplePdf({ objectStream: true, info: '/Title (Packed)' }));
    expect(verdict.ok).toBe(true);
    expect(verdict.metadata).toMatchObject({ pageCount: 1, title: 'Packed', hasTextLayer: true });
  });
});

describe('validatePdf: active content', () => {
  it('rejects JavaScript run by the OpenAction, and says where', async () => {
    const verdict = await validatePdf(simplePdf({ catalog: '/OpenAction 10 0 R', extra: [JS_ACTION] }));
    expect(verdict.ok).toBe(false);
    expect(codes(verdict.reasons)).toEqual(['pdf.javascript']);
    expect(verdict.reasons[0]!.message).toMatch(/OpenAction/);
    expect(verdict.reasons[0]!.message).toMatch(/Print to PDF/);
    expect(verdict.metadata.activeContent).toEqual(['javascript']);
  });

  it('flags instead of rejecting JavaScript when the policy says so', async () => {
    const verdict = await validatePdf(simplePdf({ catalog: '/OpenAction 10 0 R', extra: [JS_ACTION] }), {
      javascript: 'flag',
    });
    expect(verdict.ok).toBe(true);
    expect(codes(verdict.warnings)).toEqual(['pdf.javascript']);
  });

  it('rejects document-level JavaScript in the Names tree', async () => {
    const verdict = await validatePdf(
      simplePdf({
        catalog: '/Names << /JavaScript 10 0 R >>',
        extra: [`<< /Names [${pdfString('init')} 11 0 R] >>`, JS_ACTION],
      }),
    );
    expect(codes(verdict.reasons)).toEqual(['pdf.javascript']);
    expect(verdict.reasons[0]!.message).toMatch(/init/);
  });

  it('rejects JavaScript on a link annotation, even with an obfuscated name (#-escapes)', async () => {
    const verdict = await validatePdf(
      simplePdf({
        firstPage: '/Annots [10 0 R]',
        extra: [
          `<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /Java#53cript /JS ${pdfString('x()')} >> >>`,
        ],
      }),
    );
    expect(codes(verdict.reasons)).toEqual(['pdf.javascript']);
  });

  it('rejects a Launch action', async () => {
    const verdict = await validatePdf(
      simplePdf({
        firstPage: '/Annots [10 0 R]',
        extra: [`<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /Launch /F ${pdfString('calc.exe')} >> >>`],
      }),
    );
    expect(codes(verdict.reasons)).toEqual(['pdf.launch-action']);
    expect(verdict.reasons[0]!.message).toMatch(/start a program/);
    expect(verdict.metadata.activeContent).toEqual(['launch']);
  });

  const embedded = (objectStream: boolean): Uint8Array =>
    simplePdf({
      objectStream,
      catalog: '/Names << /EmbeddedFiles 10 0 R >>',
      extra: [
        `<< /Names [${pdfString('grades.xlsx')} 11 0 R] >>`,
        `<< /Type /Filespec /F ${pdfString('grades.xlsx')} /UF ${pdfString('grades.xlsx')} /EF << /F 12 0 R >> >>`,
        { dict: '<< /Type /EmbeddedFile >>', stream: 'PK not really a spreadsheet' },
      ],
    });

  it('rejects embedded files and names them', async () => {
    const verdict = await validatePdf(embedded(false));
    expect(codes(verdict.reasons)).toEqual(['pdf.embedded-files']);
    expect(verdict.reasons[0]!.message).toContain('grades.xlsx');
  });

  it('finds embedded files declared inside a compressed object stream', async () => {
    const verdict = await validatePdf(embedded(true));
    expect(codes(verdict.reasons)).toEqual(['pdf.embedded-files']);
  });

  it('rejects a file attachment annotation', async () => {
    const verdict = await validatePdf(
      simplePdf({
        firstPage: '/Annots [10 0 R]',
        extra: [
          `<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 20 20] /FS 11 0 R >>`,
          `<< /Type /Filespec /F ${pdfString('setup.exe')} /EF << /F 12 0 R >> >>`,
          { dict: '<< /Type /EmbeddedFile >>', stream: 'MZ' },
        ],
      }),
    );
    expect(codes(verdict.reasons)).toEqual(['pdf.embedded-files']);
    expect(verdict.reasons[0]!.message).toMatch(/setup\.exe.*page 1/);
  });

  it('rejects RichMedia annotations', async () => {
    const verdict = await validatePdf(
      simplePdf({
        firstPage: '/Annots [10 0 R]',
        extra: ['<< /Type /Annot /Subtype /RichMedia /Rect [0 0 200 200] /RichMediaContent << >> >>'],
      }),
    );
    expect(codes(verdict.reasons)).toEqual(['pdf.rich-media']);
  });

  const xfa = (template: string): Uint8Array =>
    simplePdf({
      catalog: '/AcroForm << /Fields [] /XFA 10 0 R >>',
      extra: [{ dict: '<< >>', stream: `<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">${template}</xdp:xdp>`, compress: true }],
    });

  it('flags an XFA form by default and rejects it when the policy says so', async () => {
    const flagged = await validatePdf(xfa('<template><subform name="form1"/></template>'));
    expect(flagged.ok).toBe(true);
    expect(codes(flagged.warnings)).toEqual(['pdf.xfa']);
    const rejected = await validatePdf(xfa('<template/>'), { xfa: 'reject' });
    expect(codes(rejected.reasons)).toEqual(['pdf.xfa']);
  });

  it('rejects an XFA form that carries scripts as JavaScript', async () => {
    const verdict = await validatePdf(xfa('<template><event><script>app.alert(1)</script></event></template>'));
    expect(codes(verdict.reasons)).toEqual(['pdf.javascript']);
    expect(verdict.reasons[0]!.message).toMatch(/XFA/);
    expect(codes(verdict.warnings)).toEqual(['pdf.xfa']);
  });

  it('ignores JavaScript an incremental save removed (nothing refers to it any more)', async () => {
    const withJs = simplePdf({ catalog: '/OpenAction 10 0 R', extra: [JS_ACTION] });
    expect((await validatePdf(withJs)).ok).toBe(false);
    const cleaned = appendUpdate(withJs, { 1: '<< /Type /Catalog /Pages 2 0 R >>' }, 102);
    const verdict = await validatePdf(cleaned);
    expect(verdict.reasons).toEqual([]);
    expect(verdict.ok).toBe(true);
  });
});

describe('validatePdf: broken and foreign files', () => {
  it('rejects zero bytes', async () => {
    const verdict = await validatePdf(new Uint8Array());
    expect(codes(verdict.reasons)).toEqual(['pdf.not-a-pdf']);
    expect(verdict.reasons[0]!.message).toMatch(/empty/);
  });

  it('rejects a PNG named .pdf and says what it is', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(200).fill(7)]);
    const verdict = await validatePdf(png);
    expect(codes(verdict.reasons)).toEqual(['pdf.not-a-pdf']);
    expect(verdict.reasons[0]!.message).toMatch(/PNG image/);
  });

  it('rejects plain text named .pdf', async () => {
    const verdict = await validatePdf(new TextEncoder().encode('Lecture notes, week 1\nCells.\n'.repeat(20)));
    expect(codes(verdict.reasons)).toEqual(['pdf.not-a-pdf']);
  });

  it('rejects garbage behind a PDF header as unreadable', async () => {
    const bytes = new TextEncoder().encode(`%PDF-1.7\n${'garbage '.repeat(100)}`);
    const verdict = await validatePdf(bytes);
    expect(verdict.ok).toBe(false);
    expect(codes(verdict.reasons)).toEqual(['pdf.unreadable']);
  });

  it('gives a truncated file a verdict that says it is damaged or unreadable', async () => {
    const whole = simplePdf({ pages: 4 });
    for (const keep of [0.3, 0.6, 0.9]) {
      const verdict = await validatePdf(whole.slice(0, Math.floor(whole.length * keep)));
      const said = [...codes(verdict.reasons), ...codes(verdict.warnings)];
      expect(said.some((code) => code === 'pdf.unreadable' || code === 'pdf.damaged-recovered')).toBe(true);
    }
  });

  it('accepts junk after %%EOF with a damaged-recovered warning, or rejects it by policy', async () => {
    const bytes = simplePdf({ afterEof: 'garbage appended by a broken mail gateway\n'.repeat(20) });
    const verdict = await validatePdf(bytes);
    expect(verdict.ok).toBe(true);
    expect(codes(verdict.warnings)).toEqual(['pdf.damaged-recovered']);
    expect(verdict.warnings[0]!.message).toMatch(/after the %%EOF/);
    const strict = await validatePdf(bytes, { damaged: 'reject' });
    expect(codes(strict.reasons)).toEqual(['pdf.damaged-recovered']);
  });

  it('warns when startxref points to the wrong place', async () => {
    const bytes = Buffer.from(simplePdf()).toString('latin1').replace(/startxref\n\d+/, 'startxref\n12');
    const verdict = await validatePdf(Uint8Array.from(Buffer.from(bytes, 'latin1')));
    expect(verdict.ok).toBe(true);
    expect(codes(verdict.warnings)).toEqual(['pdf.damaged-recovered']);
  });

  it('gives no verdict on the file when a page takes too long: it reports the overrun for a retry', async () => {
    const bytes = heavyPage();
    // The budget is honoured: little work is done past it (CPU time, which a busy machine does not stretch).
    const started = cpuMs();
    const verdict = await validatePdf(bytes, { timeoutMs: 300 });
    expect(cpuMs() - started).toBeLessThan(2_000);
    expect(verdict.reasons).toEqual([]);
    expect(verdict.ok).toBe(false);
    expect(verdict.overrun).toBeDefined();
  });

  it('turns a bad policy into a verdict instead of throwing', async () => {
    const verdict = await validatePdf(simplePdf(), { maxPages: -1, javascript: 'allow' as never });
    expect(verdict.ok).toBe(false);
    expect(codes(verdict.reasons)).toEqual(['pdf.invalid-policy']);
    expect(verdict.reasons[0]!.message).toMatch(/maxPages.*javascript/);
  });
});

// Encrypted fixtures come from qpdf (CI installs it). Without qpdf there are no cases here,
// except on CI, where its absence is a failure.
const qpdfAvailable = spawnSync('qpdf', ['--version']).status === 0;

describe('validatePdf: encryption (fixtures made with qpdf)', () => {
  let dir = '';
  const encrypt = (user: string, owner: string, restrictions: string[] = []): Uint8Array => {
    const input = join(dir, 'plain.pdf');
    const output = join(dir, `enc-${user || 'none'}-${owner}.pdf`);
    writeFileSync(input, simplePdf({ info: '/Title (Secret cells)' }));
    const run = spawnSync('qpdf', ['--encrypt', user, owner, '256', ...restrictions, '--', input, output]);
    if (run.status !== 0 && run.status !== 3) throw new Error(`qpdf failed: ${run.stderr}`);
    return new Uint8Array(readFileSync(output));
  };

  beforeAll(() => {
    if (qpdfAvailable) dir = mkdtempSync(join(tmpdir(), 'lectern-pdf-'));
    return () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    };
  });

  if (process.env.CI === 'true' && !qpdfAvailable) {
    it('has qpdf on CI', () => {
      expect.fail('qpdf is not installed; CI must install it (apt-get install qpdf)');
    });
  }

  if (qpdfAvailable) {
    it('rejects a file that needs a user password', async () => {
      const verdict = await validatePdf(encrypt('student', 'teacher'));
      expect(codes(verdict.reasons)).toEqual(['pdf.user-password']);
      expect(verdict.reasons[0]!.message).toMatch(/password/);
      expect(verdict.metadata).toMatchObject({ encrypted: true, ownerPasswordOnly: false });
    });

    it('accepts an owner-password-only file with a warning naming the restrictions', async () => {
      const verdict = await validatePdf(encrypt('', 'teacher', ['--print=none']));
      expect(verdict.ok).toBe(true);
      expect(codes(verdict.warnings)).toEqual(['pdf.owner-password']);
      expect(verdict.warnings[0]!.message).toMatch(/printing/);
      expect(verdict.metadata).toMatchObject({ encrypted: true, ownerPasswordOnly: true, title: 'Secret cells' });
    });

    it('rejects an owner-password-only file when the policy says so', async () => {
      const verdict = await validatePdf(encrypt('', 'teacher'), { ownerPasswordOnly: 'reject' });
      expect(codes(verdict.reasons)).toEqual(['pdf.owner-password']);
    });
  }
});
