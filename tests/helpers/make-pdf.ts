/**
 * Hand-built PDFs for tests: exact control over every object, so a test can place JavaScript,
 * Launch actions, attachments or XFA precisely, compress objects into an object stream, append
 * an incremental update, or break the file on purpose. Object syntax is written as strings.
 */

import { deflateSync } from 'node:zlib';
import { concatBytes, latin1 } from './bytes.js';

/** An indirect object: a dictionary/array/etc. as PDF source, or a stream with its dictionary. */
export type PdfObjectSource = string | { dict: string; stream: string | Uint8Array; compress?: boolean };

export interface BuildOptions {
  version?: string;
  /** Entries for the trailer besides /Size and /Root (e.g. `/Info 4 0 R`). */
  trailer?: string;
  /** Put the non-stream objects into one Flate-compressed object stream (PDF 1.5 style). */
  objectStream?: boolean;
  /** Bytes appended after %%EOF. */
  afterEof?: string;
}

function streamObject(source: Exclude<PdfObjectSource, string>): Uint8Array {
  const raw = typeof source.stream === 'string' ? latin1(source.stream) : source.stream;
  const data = source.compress ? new Uint8Array(deflateSync(raw)) : raw;
  const filter = source.compress ? ' /Filter /FlateDecode' : '';
  const dict = source.dict.replace(/>>\s*$/, `/Length ${data.length}${filter} >>`);
  return concatBytes([latin1(`${dict}\nstream\n`), data, latin1('\nendstream')]);
}

class Writer {
  readonly parts: Uint8Array[] = [];
  length = 0;
  write(part: Uint8Array | string): void {
    const bytes = typeof part === 'string' ? latin1(part) : part;
    this.parts.push(bytes);
    this.length += bytes.length;
  }
  bytes(): Uint8Array {
    return concatBytes(this.parts);
  }
}

function xrefTable(offsets: Map<number, number>, size: number): string {
  let table = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) {
    const at = offsets.get(n);
    table += at === undefined ? '0000000000 65535 f \n' : `${String(at).padStart(10, '0')} 00000 n \n`;
  }
  return table;
}

/**
 * A complete PDF from numbered objects (`objects[n]` is object n; object 1 must be the catalog).
 * Offsets, xref and trailer are computed, so the result is well-formed unless you break it.
 */
export function buildPdf(objects: Record<number, PdfObjectSource>, options: BuildOptions = {}): Uint8Array {
  const out = new Writer();
  out.write(`%PDF-${options.version ?? (options.objectStream ? '1.5' : '1.7')}\n%\xe2\xe3\xcf\xd3\n`);
  const numbers = Object.keys(objects).map(Number).sort((a, b) => a - b);
  const size = Math.max(...numbers) + 1;
  const offsets = new Map<number, number>();
  const packed: Array<[number, string]> = [];
  for (const n of numbers) {
    const source = objects[n]!;
    if (options.objectStream && typeof source === 'string') {
      packed.push([n, source]);
      continue;
    }
    offsets.set(n, out.length);
    out.write(`${n} 0 obj\n`);
    out.write(typeof source === 'string' ? source : streamObject(source));
    out.write('\nendobj\n');
  }
  if (!options.objectStream) {
    const startxref = out.length;
    out.write(xrefTable(offsets, size));
    out.write(`trailer\n<< /Size ${size} /Root 1 0 R ${options.trailer ?? ''} >>\nstartxref\n${startxref}\n%%EOF\n`);
    if (options.afterEof) out.write(options.afterEof);
    return out.bytes();
  }
  // Object stream with every non-stream object, then a cross-reference stream.
  const stmNumber = size;
  const xrefNumber = size + 1;
  let header = '';
  let body = '';
  for (const [n, source] of packed) {
    header += `${n} ${body.length} `;
    body += `${source}\n`;
  }
  const objStm = latin1(header + body);
  offsets.set(stmNumber, out.length);
  out.write(`${stmNumber} 0 obj\n`);
  out.write(
    streamObject({
      dict: `<< /Type /ObjStm /N ${packed.length} /First ${header.length} >>`,
      stream: objStm,
      compress: true,
    }),
  );
  out.write('\nendobj\n');
  const xrefOffset = out.length;
  offsets.set(xrefNumber, xrefOffset);
  const entries = new Uint8Array((xrefNumber + 1) * 7);
  const view = new DataView(entries.buffer);
  view.setUint8(0, 0);
  view.setUint16(5, 65535);
  packed.forEach(([n], index) => {
    view.setUint8(n * 7, 2);
    view.setUint32(n * 7 + 1, stmNumber);
    view.setUint16(n * 7 + 5, index);
  });
  for (const [n, at] of offsets) {
    view.setUint8(n * 7, 1);
    view.setUint32(n * 7 + 1, at);
  }
  out.write(`${xrefNumber} 0 obj\n`);
  out.write(
    streamObject({
      dict: `<< /Type /XRef /Size ${xrefNumber + 1} /W [1 4 2] /Root 1 0 R ${options.trailer ?? ''} >>`,
      stream: entries,
    }),
  );
  out.write(`\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`);
  if (options.afterEof) out.write(options.afterEof);
  return out.bytes();
}

/**
 * Appends an incremental update (as Acrobat's "Save" does): new versions of some objects, an
 * xref section for them and a trailer pointing back at the previous one.
 */
export function appendUpdate(base: Uint8Array, objects: Record<number, PdfObjectSource>, size: number): Uint8Array {
  const text = Buffer.from(base).toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const out = new Writer();
  out.write(base);
  const offsets: Array<[number, number]> = [];
  for (const [key, source] of Object.entries(objects)) {
    offsets.push([Number(key), out.length]);
    out.write(`${key} 0 obj\n`);
    out.write(typeof source === 'string' ? source : streamObject(source));
    out.write('\nendobj\n');
  }
  const startxref = out.length;
  let table = 'xref\n';
  for (const [n, at] of offsets) table += `${n} 1\n${String(at).padStart(10, '0')} 00000 n \n`;
  out.write(table);
  out.write(`trailer\n<< /Size ${size} /Root 1 0 R /Prev ${prev} >>\nstartxref\n${startxref}\n%%EOF\n`);
  return out.bytes();
}

export interface SimplePdfOptions {
  pages?: number;
  /** false: pages show only an image (no text layer). Default true. */
  text?: boolean;
  /** Extra catalog entries, e.g. `/OpenAction 10 0 R`. */
  catalog?: string;
  /** Extra entries for the first page, e.g. `/Annots [11 0 R]`. */
  firstPage?: string;
  /** Further objects, numbered from 10. */
  extra?: PdfObjectSource[];
  /** Info dictionary entries, e.g. `/Title (Cells)`. */
  info?: string;
  objectStream?: boolean;
  afterEof?: string;
}

/**
 * A small valid document: object 1 catalog, 2 page tree, 3 font, 4 Info, 5 image, 10… `extra`,
 * pages and their content from 100.
 */
export function simplePdf(options: SimplePdfOptions = {}): Uint8Array {
  const pages = options.pages ?? 1;
  const withText = options.text ?? true;
  const objects: Record<number, PdfObjectSource> = {};
  const pageRefs = Array.from({ length: pages }, (_, i) => `${100 + 2 * i} 0 R`);
  objects[1] = `<< /Type /Catalog /Pages 2 0 R ${options.catalog ?? ''} >>`;
  objects[2] = `<< /Type /Pages /Kids [${pageRefs.join(' ')}] /Count ${pages} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] = `<< /Producer (lectern tests) ${options.info ?? ''} >>`;
  objects[5] = {
    dict: '<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 >>',
    stream: new Uint8Array([0, 255, 255, 0]),
  };
  (options.extra ?? []).forEach((source, i) => {
    objects[10 + i] = source;
  });
  for (let i = 0; i < pages; i++) {
    const content = withText
      ? `BT /F1 14 Tf 72 720 Td (Page ${i + 1}: cells are the basic unit of life.) Tj ET`
      : 'q 400 0 0 500 100 150 cm /Im1 Do Q';
    objects[100 + 2 * i] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${101 + 2 * i} 0 R ` +
      `/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 5 0 R >> >> ${i === 0 ? (options.firstPage ?? '') : ''} >>`;
    objects[101 + 2 * i] = { dict: '<< >>', stream: content, compress: true };
  }
  return buildPdf(objects, {
    trailer: '/Info 4 0 R',
    ...(options.objectStream ? { objectStream: true } : {}),
    ...(options.afterEof ? { afterEof: options.afterEof } : {}),
  });
}

/** A PDF literal string: `(text)` with the needed escapes. */
export function pdfString(text: string): string {
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}
