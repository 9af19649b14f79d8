/**
 * Cheap structural checks on the raw bytes, before any parsing: is there a `%PDF-` header, an
 * `%%EOF`, a `startxref` that points at a cross-reference section? A file that fails one of
 * these but still parses was repaired by the parser ("damaged but recovered"). Also recognises
 * common non-PDF formats, so a rejection can say what the file really is.
 */

export interface Precheck {
  /** Offset of `%PDF-` within the first 1024 bytes (0 for a well-formed file), or null. */
  headerOffset: number | null;
  /** Version from the header, e.g. `1.7`; undefined when absent or malformed (`%PDF-1.`). */
  headerVersion?: string;
  hasEof: boolean;
  /** Human-readable structural problems, empty for a well-formed file. */
  damage: string[];
  /** A name for a recognised non-PDF format ("a ZIP archive (.docx, .pptx, …)"), if any. */
  otherFormat?: string;
}

const HEADER_WINDOW = 1024;
/** The cross-reference check reads at most this many entries of a classic xref table. */
const XREF_ENTRIES_CHECKED = 64;

/* eslint-disable no-control-regex -- magic numbers are control bytes */
const SIGNATURES: ReadonlyArray<[RegExp, string]> = [
  [/^PK\x03\x04/, 'a ZIP archive (for example a Word .docx or PowerPoint .pptx file)'],
  [/^\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1/, 'an old Microsoft Office file (.doc, .ppt or .xls)'],
  [/^\x89PNG\r\n/, 'a PNG image'],
  [/^\xFF\xD8\xFF/, 'a JPEG image'],
  [/^GIF8[79]a/, 'a GIF image'],
  [/^(II\*\x00|MM\x00\*)/, 'a TIFF image'],
  [/^\{\\rtf/, 'an RTF document'],
  [/^%!PS/, 'a PostScript file'],
  [/^\s*(<!doctype html|<html)/i, 'a web page (HTML)'],
  [/^\x1F\x8B/, 'a gzip archive'],
  [/^Rar!/, 'a RAR archive'],
  [/^7z\xBC\xAF/, 'a 7-Zip archive'],
  [/^(\xEF\xBB\xBF)?\{\s*"/, 'a JSON file'],
];
/* eslint-enable no-control-regex */

function latin1(bytes: Uint8Array, from: number, to: number): string {
  const start = Math.min(Math.max(from, 0), bytes.length);
  const end = Math.min(Math.max(to, start), bytes.length);
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
}

/** Does an object header `N G obj` start at `offset` (after optional whitespace)? */
function objectAt(bytes: Uint8Array, offset: number, number?: number): boolean {
  const m = /^\s*(\d+)\s+(\d+)\s+obj\b/.exec(latin1(bytes, offset, offset + 40));
  return m !== null && (number === undefined || Number(m[1]) === number);
}

/** Checks a classic `xref` section: do its in-use offsets point at the objects they name? */
function checkXrefTable(bytes: Uint8Array, offset: number, shift: number): boolean {
  const head = latin1(bytes, offset, offset + 256 + XREF_ENTRIES_CHECKED * 20);
  const lines = head.replace(/^\s*xref\s*/, '').split(/\r\n|\r|\n/);
  let checked = 0;
  let line = 0;
  while (line < lines.length && checked < XREF_ENTRIES_CHECKED) {
    const subsection = /^\s*(\d+)\s+(\d+)\s*$/.exec(lines[line]!);
    if (!subsection) return line > 0; // the trailer (or the end of what was read)
    const first = Number(subsection[1]);
    const count = Number(subsection[2]);
    line++;
    for (let i = 0; i < count && line < lines.length && checked < XREF_ENTRIES_CHECKED; i++, line++) {
      const m = /^\s*(\d{10}) (\d{5}) ([nf])/.exec(lines[line]!);
      if (!m) return line >= lines.length - 1; // cut off by the read window, or malformed
      if (m[3] !== 'n') continue;
      checked++;
      if (!objectAt(bytes, Number(m[1]) + shift, first + i)) return false;
    }
  }
  return true;
}

export function precheck(bytes: Uint8Array): Precheck {
  const head = latin1(bytes, 0, HEADER_WINDOW);
  const headerAt = head.indexOf('%PDF-');
  const headerOffset = headerAt >= 0 ? headerAt : null;
  const version = headerAt >= 0 ? /^%PDF-(\d\.\d+)/.exec(head.slice(headerAt))?.[1] : undefined;
  const damage: string[] = [];
  if (headerOffset === null) damage.push('it has no %PDF header');
  else if (headerOffset > 0) damage.push(`it has ${headerOffset} bytes of unexpected data before the %PDF header`);
  else if (version === undefined) damage.push('its %PDF header has no valid version number');

  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eof = buffer.lastIndexOf('%%EOF');
  const hasEof = eof >= 0;
  if (!hasEof) damage.push('it has no %%EOF marker, so it may be truncated (an incomplete upload or download)');
  else {
    let junk = 0;
    for (let i = eof + 5; i < bytes.length; i++) if (!isSpace(bytes[i])) junk++;
    if (junk > 0) damage.push(`it has ${junk} bytes of unexpected data after the %%EOF marker`);
  }

  const startxref = buffer.lastIndexOf('startxref');
  if (startxref < 0) {
    if (hasEof || bytes.length > 0) damage.push('it has no startxref pointer to its cross-reference table');
  } else {
    const m = /^startxref\s+(\d{1,15})/.exec(latin1(bytes, startxref, startxref + 40));
    const offset = m ? Number(m[1]) : -1;
    const shift = headerOffset ?? 0;
    const tableAt = [offset, offset + shift].find(
      (at) => at >= 0 && at < bytes.length && (/^\s*xref\b/.test(latin1(bytes, at, at + 16)) || objectAt(bytes, at)),
    );
    if (tableAt === undefined) damage.push('its startxref pointer does not point at the cross-reference table');
    else if (/^\s*xref\b/.test(latin1(bytes, tableAt, tableAt + 16)) && !checkXrefTable(bytes, tableAt, tableAt - offset)) {
      damage.push('its cross-reference table points at the wrong places');
    }
  }

  let otherFormat: string | undefined;
  if (headerOffset === null) {
    const start = latin1(bytes, 0, 64);
    otherFormat = SIGNATURES.find(([pattern]) => pattern.test(start))?.[1];
  }
  return { headerOffset, ...(version === undefined ? {} : { headerVersion: version }), hasEof, damage, ...(otherFormat ? { otherFormat } : {}) };
}
