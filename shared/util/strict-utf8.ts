/**
 * Bytes → text for educator-written text files (captions, course.yaml): strict UTF-8 with the
 * position of every bad byte, a leading BOM dropped, and CRLF / lone CR turned into LF (so the
 * line numbers we report are the ones an editor shows).
 */

export interface InvalidByte {
  /** 0-based byte offset of the first byte that does not start a well-formed sequence. */
  offset: number;
  /** 1-based line and column (in characters of the valid text before it). */
  line: number;
  column: number;
  /** The byte, as two upper-case hex digits. */
  byte: string;
}

export type StrictUtf8Result =
  | { ok: true; text: string }
  /** `invalid`: the first bad byte of the first lines that have one; `lines`: how many lines have one. */
  | { ok: false; invalid: InvalidByte[]; lines: number };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8');

/**
 * Decodes `bytes` as strict UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above
 * U+10FFFF). On failure, lists the first bad byte of each line (at most `maxInvalid` of them)
 * and counts the lines that have one.
 */
export function decodeStrictUtf8(bytes: Uint8Array, maxInvalid = 50): StrictUtf8Result {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, ...invalidBytes(bytes, Math.max(1, maxInvalid)) };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text: text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text };
}

function invalidBytes(bytes: Uint8Array, max: number): { invalid: InvalidByte[]; lines: number } {
  const found: InvalidByte[] = [];
  let lines = 0;
  let line = 1;
  let lineStart = 0;
  let reportedLine = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      lineStart = i + 1;
      i++;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    if (reportedLine !== line) {
      reportedLine = line;
      lines++;
      if (found.length < max) {
        const column = lenient.decode(bytes.subarray(lineStart, i)).length + 1;
        found.push({ offset: i, line, column, byte: b.toString(16).toUpperCase().padStart(2, '0') });
      }
    }
    i++;
  }
  return { invalid: found, lines };
}

/** Length of the well-formed UTF-8 sequence starting at `i`, or 0 when there is none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] ?? 0;
  if (b < 0x80) return 1;
  let need: number;
  let min = 0x80;
  let max = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) min = 0xa0;
    if (b === 0xed) max = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) min = 0x90;
    if (b === 0xf4) max = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (c === undefined) return 0;
    if (k === 1 ? c < min || c > max : c < 0x80 || c > 0xbf) return 0;
  }
  return need + 1;
}
