/**
 * A warm-up for a fresh validatePdf container: one tiny built-in PDF validated during the Lambda's
 * init phase, before the first invocation, so that the first real file finds qpdf's WebAssembly
 * compiled and instantiated once, and pdf.js's and the scanners' code compiled by V8 — instead of
 * paying for all of it inside the educator's upload (BENCHMARKS.md, "PDF validation: the cold gap").
 *
 * The document takes the paths every PDF takes: a cross-reference table, an Info dictionary, a
 * Flate-compressed page content stream with a line of text in a standard font. It is accepted with
 * no warnings; anything else means the engines do not work here, which the warm-up reports (the
 * first invocation would then say the same in its verdict).
 *
 * Nothing is kept between the warm-up and later files except what is kept between any two files:
 * the compiled module and V8's compiled code (tests/unit/pdf/pdf-warm-up.test.ts checks verdicts).
 */

import { deflateSync } from 'node:zlib';
import { validatePdf, type PdfEngineOptions, type PdfVerdict } from './validate-pdf.js';

export interface PdfWarmUp {
  /** The warm-up document's verdict: accepted with no warnings when the engines work. */
  ok: boolean;
  /** What went wrong, when not ok: the verdict's reason codes and messages. */
  problems: string[];
  ms: number;
}

let last: PdfWarmUp | undefined;

/** The warm-up's outcome in this process, if one ran. */
export function pdfWarmUpOutcome(): PdfWarmUp | undefined {
  return last;
}

/** The warm-up document: one page, "lectern" in Helvetica, built here so that nothing is read from disk. */
export function warmUpPdf(): Uint8Array {
  const content = deflateSync(Buffer.from('BT /F1 12 Tf 72 720 Td (lectern) Tj ET\n', 'latin1'));
  const objects: Array<string | Buffer> = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    Buffer.concat([Buffer.from(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), content, Buffer.from('\nendstream', 'latin1')]),
    '<< /Title (warm-up) /Producer (lectern) >>',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const part = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), Buffer.from(body as string | Buffer), Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(part);
    length += part.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>`,
    'startxref',
    String(length),
    '%%EOF',
    '',
  ].join('\n');
  parts.push(Buffer.from(xref, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

function problems(verdict: PdfVerdict): string[] {
  return [
    ...verdict.reasons.map((r) => `${r.code}: ${r.message}`),
    ...verdict.warnings.map((r) => `${r.code}: ${r.message}`),
    ...(verdict.overrun ? [`ran out of time while ${verdict.overrun}`] : []),
    ...(verdict.stepErrors ?? []),
  ];
}

/** Validates the warm-up document with the same engines as every upload. Never throws. */
export async function warmUpPdfValidator(engine: PdfEngineOptions = {}): Promise<PdfWarmUp> {
  const started = performance.now();
  const verdict = await validatePdf(warmUpPdf(), undefined, engine);
  const found = problems(verdict);
  last = { ok: verdict.ok && found.length === 0, problems: found, ms: performance.now() - started };
  return last;
}
