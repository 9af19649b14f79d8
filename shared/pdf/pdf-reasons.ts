/**
 * Every reason and warning the PDF validator reports: stable codes and the messages educators
 * read. A message says what is wrong, where, and how to fix it.
 */

import type { Reason } from '../contract/errors.js';

export const PDF_CODES = {
  notAPdf: 'pdf.not-a-pdf',
  tooLarge: 'pdf.too-large',
  tooManyPages: 'pdf.too-many-pages',
  noPages: 'pdf.no-pages',
  userPassword: 'pdf.user-password',
  ownerPassword: 'pdf.owner-password',
  unreadable: 'pdf.unreadable',
  damagedRecovered: 'pdf.damaged-recovered',
  decompressionBomb: 'pdf.decompression-bomb',
  javascript: 'pdf.javascript',
  launch: 'pdf.launch-action',
  embeddedFiles: 'pdf.embedded-files',
  richMedia: 'pdf.rich-media',
  xfa: 'pdf.xfa',
  unsafeAction: 'pdf.unsafe-action',
  noTextLayer: 'pdf.no-text-layer',
  nonStandardCompression: 'pdf.nonstandard-compression',
  invalidPolicy: 'pdf.invalid-policy',
  checkFailed: 'pdf.check-failed',
} as const;

export type PdfCode = (typeof PDF_CODES)[keyof typeof PDF_CODES];

const REEXPORT = 'Re-export it (for example with ‘Print to PDF’ or ‘Save As PDF’) and upload it again.';

/** "a, b and 3 more" — keeps long lists of places readable. */
export function listPlaces(places: readonly string[], max = 4): string {
  const unique = [...new Set(places)];
  if (unique.length <= max) {
    return unique.length <= 1 ? (unique[0] ?? '') : `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)}`;
  }
  return `${unique.slice(0, max).join(', ')} and ${unique.length - max} more`;
}

function where(places: readonly string[]): string {
  return places.length > 0 ? ` (${listPlaces(places)})` : '';
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function reason(code: PdfCode, message: string): Reason {
  return { code, message };
}

export const pdfReasons = {
  empty: (): Reason =>
    reason(PDF_CODES.notAPdf, 'The file is empty (0 bytes). The upload may have failed; upload the PDF again.'),

  notAPdf: (otherFormat: string | undefined): Reason =>
    reason(
      PDF_CODES.notAPdf,
      otherFormat
        ? `The file is not a PDF: it looks like ${otherFormat}. Save or export it as PDF and upload the PDF.`
        : 'The file is not a PDF: it has no %PDF header and no PDF structure could be found in it. ' +
            'Save or export the document as PDF and upload the PDF.',
    ),

  tooLarge: (size: number, max: number): Reason =>
    reason(
      PDF_CODES.tooLarge,
      `The PDF is ${formatBytes(size)}; the limit is ${formatBytes(max)}. Reduce its size (for example ` +
        '‘Reduce File Size’ or lower image resolution) or split it into parts, and upload again.',
    ),

  tooManyPages: (pages: number, max: number): Reason =>
    reason(
      PDF_CODES.tooManyPages,
      `The PDF has ${pages.toLocaleString('en')} pages; the limit is ${max.toLocaleString('en')}. ` +
        'Split it into smaller parts (for example one per chapter) and upload them separately.',
    ),

  noPages: (): Reason =>
    reason(PDF_CODES.noPages, `The PDF has no pages, so there is nothing for students to read. ${REEXPORT}`),

  userPassword: (): Reason =>
    reason(
      PDF_CODES.userPassword,
      'The PDF needs a password to open, so students could not read it. Remove the password ' +
        '(in Acrobat: File › Properties › Security › No Security) or save an unprotected copy, and upload that.',
    ),

  ownerPassword: (restrictions: readonly string[]): Reason =>
    reason(
      PDF_CODES.ownerPassword,
      'The PDF is encrypted with an owner password: it opens without a password' +
        (restrictions.length > 0 ? `, but it restricts ${listPlaces(restrictions, 6)}` : '') +
        '. If students need to print or copy from it, remove the security settings ' +
        '(in Acrobat: File › Properties › Security › No Security) and upload again.',
    ),

  pagesUnreadable: (pages: readonly string[]): Reason =>
    reason(
      PDF_CODES.unreadable,
      `Some pages of the PDF could not be read (${listPlaces(pages)}), so students would miss them. The page ` +
        `structure is damaged. ${REEXPORT}`,
    ),

  unreadable: (detail: string, damage: readonly string[]): Reason =>
    reason(
      PDF_CODES.unreadable,
      `The PDF could not be read (${detail})` +
        (damage.length > 0 ? `; ${listPlaces(damage, 3)}` : '') +
        `. It is probably damaged or incomplete. Check that it opens in a PDF viewer, then ${REEXPORT.charAt(0).toLowerCase()}${REEXPORT.slice(1)}`,
    ),

  damaged: (damage: readonly string[]): Reason =>
    reason(
      PDF_CODES.damagedRecovered,
      `The PDF is damaged — ${listPlaces(damage, 3)} — but it could be repaired while reading it. ` +
        `Some viewers may show it differently or refuse it. ${REEXPORT}`,
    ),

  decompressionBomb: (bombs: ReadonlyArray<{ object: string; compressedBytes: number }>, limitBytes: number): Reason =>
    reason(
      PDF_CODES.decompressionBomb,
      `The PDF contains compressed data that expands to more than ${formatBytes(limitBytes)} ` +
        `(${listPlaces(bombs.map((b) => `${/^\d/.test(b.object) ? `object ${b.object}` : b.object}: ${formatBytes(b.compressedBytes)} compressed`), 3)}), ` +
        'which no course document needs and which would exhaust the memory of whatever opens it (a "decompression bomb"). ' +
        REEXPORT,
    ),

  javascript: (places: readonly string[], flagged: boolean): Reason =>
    reason(
      PDF_CODES.javascript,
      `The PDF runs JavaScript${where(places)}. ` +
        (flagged
          ? 'It was accepted because scripts are allowed here, but many viewers ignore them.'
          : 'Scripts can act without the reader asking and are not allowed. Re-export it without scripts ' +
            '(for example ‘Print to PDF’) and upload again.'),
    ),

  launch: (places: readonly string[], flagged: boolean): Reason =>
    reason(
      PDF_CODES.launch,
      `The PDF contains a Launch action${where(places)}, which can start a program or open a file on the ` +
        "reader's computer. " +
        (flagged
          ? 'It was accepted because Launch actions are allowed here.'
          : 'Remove the link or button that does this (or re-export with ‘Print to PDF’) and upload again.'),
    ),

  embeddedFiles: (places: readonly string[], flagged: boolean): Reason =>
    reason(
      PDF_CODES.embeddedFiles,
      `The PDF carries embedded files${where(places)}. ` +
        (flagged
          ? 'It was accepted because attachments are allowed here; they are not checked.'
          : 'Attached files are not checked and can hide programs. Upload them as separate lesson files, remove ' +
            'them from the PDF (in Acrobat: the Attachments panel) or re-export with ‘Print to PDF’, and upload again.'),
    ),

  richMedia: (places: readonly string[], flagged: boolean): Reason =>
    reason(
      PDF_CODES.richMedia,
      `The PDF embeds media or 3D content${where(places)}. ` +
        (flagged
          ? 'It was accepted, but most viewers cannot play it.'
          : 'Most viewers cannot play it and it is a common attack route. Upload videos as separate video files, ' +
            're-export the PDF without the media (for example ‘Print to PDF’), and upload again.'),
    ),

  unsafeAction: (places: readonly string[]): Reason =>
    reason(
      PDF_CODES.unsafeAction,
      `The PDF contains actions that reach outside the document${where(places)}. Only links within the ` +
        'document and http, https or mailto links are allowed: other actions can open files or network shares on ' +
        "the reader's computer, send data away or change the document. Remove them (or re-export with ‘Print to PDF’) " +
        'and upload again.',
    ),

  xfa: (flagged: boolean): Reason =>
    reason(
      PDF_CODES.xfa,
      'The PDF is an XFA form (Adobe LiveCycle Designer). Browser and phone PDF viewers show only its ' +
        'fallback pages, or a "Please wait…" message. ' +
        (flagged
          ? 'Open it in a browser to check that students see the form.'
          : 'XFA forms are not accepted here. Flatten it (in Acrobat: ‘Print to PDF’) and upload again.'),
    ),

  noTextLayer: (pagesChecked: readonly number[], pageCount: number): Reason =>
    reason(
      PDF_CODES.noTextLayer,
      `No text was found on ${pagesChecked.length === pageCount ? (pageCount === 1 ? 'its only page' : `any of its ${pageCount} pages`) : `the ${pagesChecked.length} pages checked (${listPlaces(pagesChecked.map(String), 6)})`}: ` +
        'the PDF looks scanned or made of images. Students cannot search or copy it, and screen readers cannot ' +
        'read it aloud. Run text recognition (OCR, for example Acrobat ‘Scan & OCR’ or ocrmypdf) and upload again.',
    ),

  nonStandardCompression: (filters: readonly string[]): Reason =>
    reason(
      PDF_CODES.nonStandardCompression,
      `Parts of the PDF use compression that is not in the PDF standard (${listPlaces(filters)}); many viewers ` +
        `cannot decode it and show blank pages or errors. ${REEXPORT}`,
    ),

  invalidPolicy: (problems: readonly string[]): Reason =>
    reason(
      PDF_CODES.invalidPolicy,
      `The PDF check is misconfigured (${problems.join('; ')}), so the file was not checked. This is not a ` +
        'problem with the file: ask the platform operators to fix the LECTERN_PDF_* settings.',
    ),

  checkFailed: (detail: string): Reason =>
    reason(
      PDF_CODES.checkFailed,
      `The PDF could not be checked because the checker failed (${detail}). This is a fault in lectern, not ` +
        'necessarily in the file: report it to the platform operators, and try uploading it again later.',
    ),
};
