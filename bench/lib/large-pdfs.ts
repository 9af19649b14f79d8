/**
 * Large PDFs for the benchmarks, generated once into a cache folder (they are too big for the
 * repository): many pages of text, and pages carrying big image streams, so that file size and
 * page count can be varied independently. Deterministic bytes (a seeded generator).
 */
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildPdf, type PdfObjectSource } from '../../tests/helpers/make-pdf.js';

export interface LargePdfSpec {
  name: string;
  pages: number;
  /** Bytes of (uncompressed, noise) image data on each page; 0 for text only. */
  imageBytesPerPage: number;
}

export const LARGE_PDFS: LargePdfSpec[] = [
  { name: 'pages-2000-text.pdf', pages: 2000, imageBytesPerPage: 0 },
  { name: 'size-10mb-20-pages.pdf', pages: 20, imageBytesPerPage: 512 * 1024 },
  { name: 'size-50mb-100-pages.pdf', pages: 100, imageBytesPerPage: 512 * 1024 },
  { name: 'size-50mb-2000-pages.pdf', pages: 2000, imageBytesPerPage: 25 * 1024 },
  { name: 'size-100mb-200-pages.pdf', pages: 200, imageBytesPerPage: 512 * 1024 },
  { name: 'size-190mb-380-pages.pdf', pages: 380, imageBytesPerPage: 512 * 1024 },
];

/** xorshift32: the same noise every run. */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function makeLargePdf(spec: LargePdfSpec): Uint8Array {
  const objects: Record<number, PdfObjectSource> = {};
  const pageRefs = Array.from({ length: spec.pages }, (_, i) => `${100 + 3 * i} 0 R`);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageRefs.join(' ')}] /Count ${spec.pages} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] = `<< /Producer (lectern bench) /Title (${spec.name}) >>`;
  const side = Math.max(1, Math.floor(Math.sqrt(spec.imageBytesPerPage)));
  for (let i = 0; i < spec.pages; i++) {
    const image = spec.imageBytesPerPage > 0;
    const content = `BT /F1 12 Tf 72 720 Td (Page ${i + 1} of ${spec.pages}: the cell is the basic unit of life.) Tj ET${image ? ' q 400 0 0 400 100 200 cm /Im1 Do Q' : ''}`;
    objects[100 + 3 * i] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${101 + 3 * i} 0 R ` +
      `/Resources << /Font << /F1 3 0 R >>${image ? ` /XObject << /Im1 ${102 + 3 * i} 0 R >>` : ''} >> >>`;
    objects[101 + 3 * i] = { dict: '<< >>', stream: content, compress: true };
    if (image) {
      objects[102 + 3 * i] = {
        dict: `<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 8 >>`,
        stream: noise(side * side, i + 1),
      };
    }
  }
  return buildPdf(objects, { trailer: '/Info 4 0 R' });
}

export function largePdfDir(): string {
  return process.env.LECTERN_BENCH_CACHE ?? path.join(tmpdir(), 'lectern-bench-pdfs');
}

/** The cached file for `spec`, generated when missing. */
export function largePdf(spec: LargePdfSpec): string {
  const dir = largePdfDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, spec.name);
  if (existsSync(file) && statSync(file).size > 0) return file;
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, makeLargePdf(spec));
  renameSync(temp, file);
  return file;
}
