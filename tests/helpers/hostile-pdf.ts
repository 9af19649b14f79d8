/**
 * PDFs built the way an attacker builds them, byte by byte, to hide an action from a linear
 * reading while every reader (qpdf, pdf.js, Acrobat) still resolves it through the
 * cross-reference table: definitions behind a `%` or inside a `( … )` string, duplicate object
 * numbers, a misleading indirect `/Length`, object streams in filters a tokenizer does not decode.
 * Also the LZW encoder the decompression-bomb tests need (Node has none).
 */

import { deflateSync } from 'node:zlib';
import { concatBytes, latin1 } from './bytes.js';
import { buildPdf } from './make-pdf.js';

/** How an object is written into the file body. */
export type Hiding =
  /** Plainly. */
  | 'none'
  /** After `%` on a line of its own: the xref offset points just past the `%`. */
  | 'comment'
  /** Inside a literal string `( … )` between objects: the xref offset points into the string. */
  | 'string'
  /** Defined twice: the xref points at this definition; a clean one with the same number follows. */
  | 'duplicate'
  /** Just after a stream whose `/Length` is an indirect object: the scan takes its object number for the length. */
  | 'length-ref'
  /** Defined twice: the xref points at a clean definition; this one follows it (what a rebuilt table picks). */
  | 'duplicate-later';

export interface HandObject {
  num: number;
  body: string;
  /** A stream's data; its `/Length` is added. */
  stream?: Uint8Array;
  hiding?: Hiding;
}

/** A classic-xref PDF whose objects may be hidden from a linear reading (object 1: catalog). */
export function handPdf(objects: HandObject[], trailerExtra = ''): Uint8Array {
  const parts: Uint8Array[] = [latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let length = parts[0]!.length;
  const write = (part: Uint8Array | string): void => {
    const bytes = typeof part === 'string' ? latin1(part) : part;
    parts.push(bytes);
    length += bytes.length;
  };
  const offsets = new Map<number, number>();
  const extra: HandObject[] = [];
  for (const object of objects) {
    const hiding = object.hiding ?? 'none';
    const text = (o: HandObject): Uint8Array =>
      o.stream
        ? concatBytes([latin1(`${o.num} 0 obj\n${o.body.replace(/>>\s*$/, `/Length ${o.stream.length} >>`)}\nstream\n`), o.stream, latin1('\nendstream\nendobj\n')])
        : latin1(`${o.num} 0 obj\n${o.body}\nendobj\n`);
    if (hiding === 'comment') {
      write('%');
      offsets.set(object.num, length);
      write(Buffer.from(text(object)).toString('latin1').replace(/\n/g, ' ') + '\n');
    } else if (hiding === 'string') {
      write('1 0 obj (');
      offsets.set(object.num, length);
      write(Buffer.from(text(object)).toString('latin1').replace(/[()\\]/g, ' '));
      write(') endobj\n');
    } else if (hiding === 'length-ref') {
      // A stream whose real length (object 999) is 2; the scan reads `/Length 600 0 R` as 600 and
      // finds an `endstream` exactly there, so everything in between — this object — is "stream data".
      offsets.set(998, length);
      write('998 0 obj\n<< /Length 600 0 R >>\nstream\n');
      const dataStart = length;
      write('AA\nendstream\nendobj\n');
      offsets.set(object.num, length);
      write(text(object));
      const pad = dataStart + 600 - length;
      if (pad < 0) throw new Error('the hidden object is too long for the length-ref trick');
      write(`${' '.repeat(pad)}endstream\nendobj\n`);
      extra.push({ num: 600, body: '2' });
    } else if (hiding === 'duplicate-later') {
      offsets.set(object.num, length);
      write(`${object.num} 0 obj\n<< /Type /Action /S /GoTo /D [0 /Fit] >>\nendobj\n`);
      write(text(object));
    } else {
      offsets.set(object.num, length);
      write(text(object));
      if (hiding === 'duplicate') write(`${object.num} 0 obj\n<< /Type /Action /S /GoTo /D [0 /Fit] >>\nendobj\n`);
    }
  }
  for (const object of extra) {
    offsets.set(object.num, length);
    write(`${object.num} 0 obj\n${object.body}\nendobj\n`);
  }
  const size = Math.max(...offsets.keys()) + 1;
  const xref = length;
  let table = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) {
    const at = offsets.get(n);
    table += at === undefined ? '0000000000 65535 f \n' : `${String(at).padStart(10, '0')} 00000 n \n`;
  }
  write(table);
  write(`trailer\n<< /Size ${size} /Root 1 0 R ${trailerExtra} >>\nstartxref\n${xref}\n%%EOF\n`);
  return concatBytes(parts);
}

/**
 * How an attacker damages the cross-reference data so that readers must rebuild it by scanning
 * the file (and a validator that cannot rebuild it skips the object graph).
 */
export type XrefDamage =
  | 'none'
  /** The `startxref` pointer is gone. */
  | 'no-startxref'
  /** Every in-use entry of a classic table points 3 bytes past its object; for a cross-reference stream, `startxref` does. */
  | 'wrong-offsets'
  /** A classic table's `xref` keyword is misspelt; a cross-reference stream's entries are overwritten. */
  | 'broken-xref';

export function damageXref(pdf: Uint8Array, damage: XrefDamage): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const classic = /(^|[\r\n])xref\s/.test(text);
  switch (damage) {
    case 'none':
      return pdf;
    case 'no-startxref':
      return latin1(text.replace(/startxref\s+\d+\s*(?=%%EOF\s*$)/, ''));
    case 'wrong-offsets':
      if (classic) return latin1(text.replace(/(\d{10}) (\d{5}) n/g, (_, at: string, gen: string) => `${String(Number(at) + 3).padStart(10, '0')} ${gen} n`));
      return latin1(text.replace(/startxref\s+(\d+)(?=\s*%%EOF\s*$)/, (_, at: string) => `startxref\n${Number(at) + 3}`));
    case 'broken-xref': {
      if (classic) {
        const at = text.lastIndexOf('xref\n0 ');
        return latin1(`${text.slice(0, at)}xerf${text.slice(at + 4)}`);
      }
      const at = text.lastIndexOf('/Type /XRef');
      const start = text.indexOf('stream\n', at) + 'stream\n'.length;
      const end = text.indexOf('\nendstream', start);
      return latin1(text.slice(0, start) + '\xee'.repeat(end - start) + text.slice(end));
    }
  }
}

/** How an object stream's data is encoded. */
export type ObjStmEncoding = 'flate' | 'hex' | 'flate-png' | 'hex-flate';

function pngRows(data: Uint8Array, columns: number): Uint8Array {
  const rows = Math.ceil(data.length / columns);
  const out = new Uint8Array(rows * (columns + 1));
  for (let r = 0; r < rows; r++) {
    out[r * (columns + 1)] = 2; // "Up": each byte minus the one above it
    for (let i = 0; i < columns; i++) {
      const value = data[r * columns + i] ?? 0;
      const above = r > 0 ? (data[(r - 1) * columns + i] ?? 0) : 0;
      out[r * (columns + 1) + 1 + i] = (value - above) & 0xff;
    }
  }
  return out;
}

function encodeObjStm(data: Uint8Array, encoding: ObjStmEncoding): { data: Uint8Array; dict: string } {
  switch (encoding) {
    case 'flate':
      return { data: deflateSync(data), dict: '/Filter /FlateDecode' };
    case 'hex':
      return { data: latin1(`${Buffer.from(data).toString('hex')}>`), dict: '/Filter /ASCIIHexDecode' };
    case 'flate-png':
      return { data: deflateSync(pngRows(data, 8)), dict: '/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 8 >>' };
    case 'hex-flate':
      return { data: latin1(`${deflateSync(data).toString('hex')}>`), dict: '/Filter [/ASCIIHexDecode /FlateDecode]' };
  }
}

/**
 * A PDF 1.5 file whose non-stream objects (`packed`) sit in one object stream encoded as asked,
 * with a cross-reference stream; `plain` objects are written normally. `corrupt` objects sit in a
 * second object stream whose Flate data is broken (no reader can decode it).
 */
export function objStmPdf(packed: Record<number, string>, plain: Record<number, string>, encoding: ObjStmEncoding, corrupt: Record<number, string> = {}): Uint8Array {
  const parts: Uint8Array[] = [latin1('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n')];
  let length = parts[0]!.length;
  const write = (part: Uint8Array | string): void => {
    const bytes = typeof part === 'string' ? latin1(part) : part;
    parts.push(bytes);
    length += bytes.length;
  };
  const numbers = [...Object.keys(packed), ...Object.keys(plain), ...Object.keys(corrupt)].map(Number);
  const stm = Math.max(...numbers) + 1;
  const brokenStm = stm + 1;
  const xrefNum = stm + 2;
  const offsets = new Map<number, number>();
  for (const [num, body] of Object.entries(plain)) {
    offsets.set(Number(num), length);
    write(`${num} 0 obj\n${body}\nendobj\n`);
  }
  let header = '';
  let body = '';
  for (const [num, source] of Object.entries(packed)) {
    header += `${num} ${body.length} `;
    body += `${source}\n`;
  }
  const encoded = encodeObjStm(latin1(header + body), encoding);
  offsets.set(stm, length);
  write(`${stm} 0 obj\n<< /Type /ObjStm /N ${Object.keys(packed).length} /First ${header.length} ${encoded.dict} /Length ${encoded.data.length} >>\nstream\n`);
  write(encoded.data);
  write('\nendstream\nendobj\n');
  if (Object.keys(corrupt).length > 0) {
    const garbage = latin1('x\x9c\xff\xff not deflate data at all');
    offsets.set(brokenStm, length);
    write(`${brokenStm} 0 obj\n<< /Type /ObjStm /N ${Object.keys(corrupt).length} /First 8 /Filter /FlateDecode /Length ${garbage.length} >>\nstream\n`);
    write(garbage);
    write('\nendstream\nendobj\n');
  }
  const entries = new Uint8Array((xrefNum + 1) * 7);
  const view = new DataView(entries.buffer);
  view.setUint16(5, 65535);
  Object.keys(packed).forEach((num, index) => {
    view.setUint8(Number(num) * 7, 2);
    view.setUint32(Number(num) * 7 + 1, stm);
    view.setUint16(Number(num) * 7 + 5, index);
  });
  Object.keys(corrupt).forEach((num, index) => {
    view.setUint8(Number(num) * 7, 2);
    view.setUint32(Number(num) * 7 + 1, brokenStm);
    view.setUint16(Number(num) * 7 + 5, index);
  });
  const xrefAt = length;
  offsets.set(xrefNum, xrefAt);
  for (const [num, at] of offsets) {
    view.setUint8(num * 7, 1);
    view.setUint32(num * 7 + 1, at);
  }
  write(`${xrefNum} 0 obj\n<< /Type /XRef /Size ${xrefNum + 1} /W [1 4 2] /Root 1 0 R /Length ${entries.length} >>\nstream\n`);
  write(entries);
  write(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`);
  return concatBytes(parts);
}

/**
 * LZW (PDF's, EarlyChange 1) of `blocks` tables' worth of zeros: each table of 3 838 codes
 * (~5.7 KB) decodes to ~7.4 MB, the largest expansion LZW allows.
 */
export function lzwZeros(blocks: number): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  const emit = (code: number, width: number): void => {
    acc = (acc << width) | code;
    bits += width;
    while (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    acc &= (1 << bits) - 1;
  };
  for (let block = 0; block < blocks; block++) {
    let width = 9;
    let next = 258;
    emit(0, width);
    for (let code = 258; code < 4095; code++) {
      emit(code, width);
      next++;
      if (next + 1 >= 1 << width && width < 12) width++;
    }
    emit(256, width);
  }
  emit(257, 9);
  if (bits > 0) out.push((acc << (8 - bits)) & 0xff);
  return Uint8Array.from(out);
}

/** One page of 300 000 text operators: slow to read on any machine. */
export function heavyPage(): Uint8Array {
  const ops: string[] = [];
  for (let i = 0; i < 300_000; i++) ops.push(`BT /F1 8 Tf ${i % 500} ${i % 700} Td (w${i}) Tj ET`);
  return buildPdf({
    1: '<< /Type /Catalog /Pages 2 0 R >>',
    2: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    4: { dict: '<< >>', stream: ops.join('\n'), compress: true },
    5: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  });
}

