/**
 * A small, forgiving tokenizer for PDF object syntax (ISO 32000-2 §7.2–7.3), used by the raw
 * scan. It never throws and always advances, so any bytes terminate in linear time. It does not
 * build objects; the scanner reads the token stream.
 */

export const Tok = {
  Eof: 0,
  Name: 1,
  Number: 2,
  Keyword: 3,
  String: 4,
  HexString: 5,
  DictOpen: 6,
  DictClose: 7,
  ArrayOpen: 8,
  ArrayClose: 9,
} as const;
export type Tok = (typeof Tok)[keyof typeof Tok];

const WHITESPACE = new Uint8Array(256);
const DELIMITER = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) WHITESPACE[c] = 1;
for (const c of '()<>[]{}/%') DELIMITER[c.charCodeAt(0)] = 1;

/** Longest name or keyword kept in `text` (longer ones are consumed but cut). */
const MAX_TEXT = 64;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

export class PdfLexer {
  /** Kind of the token last returned by `next()`. */
  tok: Tok = Tok.Eof;
  /** Name (decoded, without the slash) or keyword text. */
  text = '';
  /** Value of a Number token; `integer` tells whether it had no fraction or sign. */
  num = 0;
  integer = false;
  /** Byte offset of the current token's start in `bytes`. */
  start = 0;
  pos: number;
  /**
   * Bytes scanned for strings that never closed. Each such attempt restarts one byte later, so
   * a file of unbalanced parentheses would cost O(n²); past this budget `(` is skipped instead.
   */
  private unterminatedBudget: number;

  constructor(
    readonly bytes: Uint8Array,
    from = 0,
    private readonly end = bytes.length,
  ) {
    this.pos = from;
    this.unterminatedBudget = 4 * (end - from) + 65_536;
  }

  next(): Tok {
    const b = this.bytes;
    const end = this.end;
    let p = this.pos;
    for (;;) {
      while (p < end && WHITESPACE[b[p]!]) p++;
      if (p >= end) {
        this.start = this.pos = p;
        return (this.tok = Tok.Eof);
      }
      const c = b[p]!;
      this.start = p;
      switch (c) {
        case 0x25 /* % comment */:
          while (p < end && b[p] !== 0x0a && b[p] !== 0x0d) p++;
          continue;
        case 0x29: /* stray ) */
        case 0x7b: /* { */
        case 0x7d /* } */:
          p++;
          continue;
        case 0x2f /* / */:
          return this.readName(p + 1);
        case 0x28 /* ( */:
          return this.readString(p);
        case 0x3c /* < */:
          if (b[p + 1] === 0x3c) {
            this.pos = p + 2;
            return (this.tok = Tok.DictOpen);
          }
          return this.readHex(p + 1);
        case 0x3e /* > */:
          this.pos = b[p + 1] === 0x3e ? p + 2 : p + 1;
          return (this.tok = Tok.DictClose);
        case 0x5b /* [ */:
          this.pos = p + 1;
          return (this.tok = Tok.ArrayOpen);
        case 0x5d /* ] */:
          this.pos = p + 1;
          return (this.tok = Tok.ArrayClose);
        default:
          return this.readRegular(p);
      }
    }
  }

  private readName(p: number): Tok {
    const b = this.bytes;
    let text = '';
    while (p < this.end && !WHITESPACE[b[p]!] && !DELIMITER[b[p]!]) {
      let c = b[p]!;
      if (c === 0x23 /* # */ && p + 2 < this.end) {
        const hi = hexValue(b[p + 1]!);
        const lo = hexValue(b[p + 2]!);
        if (hi >= 0 && lo >= 0) {
          c = hi * 16 + lo;
          p += 2;
        }
      }
      if (text.length < MAX_TEXT) text += String.fromCharCode(c);
      p++;
    }
    this.pos = p;
    this.text = text;
    return (this.tok = Tok.Name);
  }

  private readString(open: number): Tok {
    const b = this.bytes;
    let depth = 0;
    let p = open;
    const end = Math.min(this.end, open + this.unterminatedBudget);
    while (p < end) {
      const c = b[p]!;
      if (c === 0x5c /* \ */) p += 2;
      else {
        if (c === 0x28) depth++;
        else if (c === 0x29 && --depth === 0) {
          this.pos = p + 1;
          return (this.tok = Tok.String);
        }
        p++;
      }
    }
    // Unterminated: do not let one stray parenthesis swallow the rest of a damaged file.
    this.unterminatedBudget = Math.max(0, this.unterminatedBudget - (p - open));
    this.pos = open + 1;
    return (this.tok = Tok.String);
  }

  private readHex(p: number): Tok {
    const b = this.bytes;
    while (p < this.end && b[p] !== 0x3e) {
      const c = b[p]!;
      if (!WHITESPACE[c] && hexValue(c) < 0) break; // not a hex string after all
      p++;
    }
    this.pos = p < this.end && b[p] === 0x3e ? p + 1 : p;
    return (this.tok = Tok.HexString);
  }

  private readRegular(p: number): Tok {
    const b = this.bytes;
    const from = p;
    while (p < this.end && !WHITESPACE[b[p]!] && !DELIMITER[b[p]!]) p++;
    this.pos = p;
    const first = b[from]!;
    if ((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e) {
      let value = 0;
      let digits = 0;
      let simple = true;
      for (let i = from; i < p; i++) {
        const c = b[i]!;
        if (c >= 0x30 && c <= 0x39) {
          value = value * 10 + (c - 0x30);
          digits++;
        } else simple = false;
      }
      if (digits > 0 && (simple || /^[+-]?(\d+\.?\d*|\.\d+)$/.test(this.slice(from, p)))) {
        this.integer = simple && digits <= 15;
        this.num = simple ? value : Number(this.slice(from, p));
        return (this.tok = Tok.Number);
      }
    }
    this.text = this.slice(from, Math.min(p, from + MAX_TEXT));
    return (this.tok = Tok.Keyword);
  }

  private slice(from: number, to: number): string {
    let s = '';
    for (let i = from; i < to; i++) s += String.fromCharCode(this.bytes[i]!);
    return s;
  }
}
