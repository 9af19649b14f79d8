/**
 * Bytes → text for quiz files: strict UTF-8 (every bad byte reported with its line, column and
 * offset), BOM stripped, CRLF and lone CR turned into LF (line numbers stay the same), and no
 * NUL characters (a binary file is not a quiz).
 */
import type { Reason } from '../contract/errors.js';
import { decodeStrictUtf8 } from '../util/strict-utf8.js';
import { reason } from './reasons.js';

export type DecodeResult = { ok: true; text: string } | { ok: false; reasons: Reason[] };

export function decodeQuizText(bytes: Uint8Array): DecodeResult {
  const decoded = decodeStrictUtf8(bytes);
  if (!decoded.ok) {
    return {
      ok: false,
      reasons: decoded.invalid.map((bad) =>
        reason(
          'quiz.invalid-utf8',
          `The file is not valid UTF-8: byte 0x${bad.byte} at line ${bad.line}, column ${bad.column} (byte offset ${bad.offset}). ` +
            'It was probably saved as Windows-1252 or Latin-1; save it again with the UTF-8 encoding.',
          { line: bad.line, column: bad.column },
        ),
      ),
    };
  }
  const text = decoded.text;
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    const line = text.slice(0, nul).split('\n').length;
    return {
      ok: false,
      reasons: [
        reason(
          'quiz.binary-content',
          `The file contains a NUL character at line ${line}: it looks like a binary file, not a quiz. Upload the quiz as a UTF-8 text file.`,
          { line, column: nul - text.lastIndexOf('\n', nul - 1) },
        ),
      ],
    };
  }
  return { ok: true, text };
}
