/**
 * Reading the bytes of a PDF the way qpdf does while it rebuilds a cross-reference table: token
 * boundaries, unsigned integers of at most 10 digits, a dictionary's top-level keys and the byte
 * span of each value (within a token budget), where a stream's data starts, and where qpdf looks
 * for the end of a stream whose `/Length` is wrong. Used by the scan (`pdf-xref-scan.ts`) and the
 * writer of the repaired copy (`pdf-xref-write.ts`).
 */

import { PdfLexer, Tok } from './pdf-lexer.js';

/** A value in a dictionary: where its bytes are, and what it is when it is simple. */
export interface DictValue {
  start: number;
  end: number;
  int?: number;
  ref?: number;
  name?: string;
}

export interface TopDict {
  /** Offset of the closing `>>`, and just past it. */
  close: number;
  end: number;
  entries: Map<string, DictValue>;
}

const WHITESPACE = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) WHITESPACE[c] = 1;
const DELIMITER = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIMITER[c.charCodeAt(0)] = 1;
export const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const ends = (bytes: Uint8Array, at: number): boolean => at >= bytes.length || WHITESPACE[bytes[at]!] === 1 || DELIMITER[bytes[at]!] === 1;

export function wordAt(bytes: Uint8Array, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word.charCodeAt(i)) return false;
  return ends(bytes, at + word.length);
}

/** Reads an unsigned integer token of at most 10 digits (qpdf's token limit while rebuilding). */
export function integerAt(bytes: Uint8Array, at: number): { value: number; end: number } | undefined {
  let end = at;
  let value = 0;
  while (isDigit(bytes[end]) && end - at <= 10) value = value * 10 + (bytes[end++]! - 0x30);
  if (end === at || end - at > 10 || !ends(bytes, end)) return undefined;
  return { value, end };
}

export function skipSpace(bytes: Uint8Array, at: number): number {
  while (at < bytes.length && WHITESPACE[bytes[at]!]) at++;
  return at;
}

export class TokenBudget {
  constructor(public left: number) {}
}

/**
 * Reads the dictionary starting at `from` (after whitespace): its top-level keys and the byte
 * span of each value. Undefined when there is no dictionary there or the budget ran out.
 */
export function readDict(bytes: Uint8Array, from: number, budget: TokenBudget): TopDict | undefined {
  const lx = new PdfLexer(bytes, from, bytes.length);
  if (lx.next() !== Tok.DictOpen) return undefined;
  const entries = new Map<string, DictValue>();
  for (;;) {
    if (--budget.left < 0) return undefined;
    const tok = lx.next();
    if (tok === Tok.Eof) return undefined;
    if (tok === Tok.DictClose) return { close: lx.start, end: lx.pos, entries };
    if (tok !== Tok.Name) continue; // not a key: qpdf would warn and go on
    const key = lx.text;
    const valueTok = lx.next();
    const start = lx.start;
    if (valueTok === Tok.Eof) return undefined;
    if (valueTok === Tok.DictClose) return { close: lx.start, end: lx.pos, entries };
    const value: DictValue = { start, end: lx.pos };
    if (valueTok === Tok.Number && lx.integer) {
      value.int = lx.num;
      const after = lx.pos;
      const gen = lx.next();
      if (gen === Tok.Number && lx.integer && lx.next() === Tok.Keyword && lx.text === 'R') {
        value.ref = value.int;
        delete value.int;
        value.end = lx.pos;
      } else lx.pos = after;
    } else if (valueTok === Tok.Name) value.name = lx.text;
    else if (valueTok === Tok.DictOpen || valueTok === Tok.ArrayOpen) {
      let depth = 1;
      while (depth > 0) {
        if (--budget.left < 0) return undefined;
        const inner = lx.next();
        if (inner === Tok.Eof) return undefined;
        if (inner === Tok.DictOpen || inner === Tok.ArrayOpen) depth++;
        else if (inner === Tok.DictClose || inner === Tok.ArrayClose) depth--;
      }
      value.end = lx.pos;
    }
    entries.set(key, value);
  }
}

/** Where a stream's data starts after the `stream` keyword at `at` (qpdf's line-end rules). */
export function streamDataStart(bytes: Uint8Array, at: number): number {
  let p = at;
  while (p < bytes.length) {
    const c = bytes[p]!;
    if (c === 0x0a) return p + 1;
    if (c === 0x0d) return bytes[p + 1] === 0x0a ? p + 2 : p + 1;
    if (!WHITESPACE[c]) return p;
    p++;
  }
  return p;
}

/** Offsets of every `endstream` and `endobj` token, in order: where qpdf recovers stream lengths. */
export function endTokens(bytes: Uint8Array): number[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: number[] = [];
  for (let at = buffer.indexOf('end', 0, 'latin1'); at >= 0; at = buffer.indexOf('end', at + 3, 'latin1')) {
    if (wordAt(bytes, at, 'endstream') || wordAt(bytes, at, 'endobj')) found.push(at);
  }
  return found;
}

/** The first element of sorted `list` greater than or equal to `value`, or undefined. */
export function firstAtOrAfter(list: readonly number[], value: number): number | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return list[lo];
}
