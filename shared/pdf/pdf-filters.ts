/**
 * Stream filters (ISO 32000-2 §7.4) decoded within a byte budget: Flate, LZW, ASCIIHex, ASCII85 and
 * RunLength, with PNG and TIFF predictors, chained in any order. Every decoder checks the budget as
 * it produces bytes and stops at it, so a decompression bomb costs at most the budget in memory and
 * the time to produce it — whatever the filter, however the filters are stacked.
 *
 * Image codecs (DCT, JPX, JBIG2, CCITTFax) are never decoded: the validator does not look inside
 * images, and pdf.js is told not to decode them either.
 */

import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { LecternError } from '../contract/errors.js';

export type DecodeResult =
  | { status: 'decoded'; data: Uint8Array }
  /** Producing the data would exceed the budget: a decompression bomb (or a budget too small). */
  | { status: 'over-budget' }
  /** A filter this module does not decode (an image codec, or a non-standard filter). */
  | { status: 'unsupported'; filter: string };

export type DecodeParms = Readonly<Record<string, number | undefined>> | undefined;

/** Standard names and the abbreviations inline images use. */
const ALIASES: Readonly<Record<string, string>> = {
  Fl: 'FlateDecode',
  LZW: 'LZWDecode',
  AHx: 'ASCIIHexDecode',
  A85: 'ASCII85Decode',
  RL: 'RunLengthDecode',
  CCF: 'CCITTFaxDecode',
  DCT: 'DCTDecode',
};

/**
 * The most bytes one input byte can become through each filter: what lets a caller skip streams
 * too small to reach a budget. (Deflate ~1032×; a 9-bit LZW code can stand for a 4096-byte
 * string; ASCII85's `z` is 4 bytes; a RunLength pair 128; hex halves.)
 */
export const MAX_EXPANSION: Readonly<Record<string, number>> = {
  FlateDecode: 1032,
  LZWDecode: 3641,
  ASCIIHexDecode: 1,
  ASCII85Decode: 4,
  RunLengthDecode: 64,
  Crypt: 1,
};

export const IMAGE_FILTERS: ReadonlySet<string> = new Set(['DCTDecode', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode']);

export function canonicalFilter(name: string): string {
  return ALIASES[name] ?? name;
}

class OverBudget extends LecternError {
  readonly code = 'pdf.over-budget';
  constructor() {
    super('over budget');
    this.name = 'OverBudget';
  }
}

/** A growable output buffer that refuses to pass `budget` bytes. */
class Output {
  private buffer: Uint8Array;
  length = 0;
  constructor(
    private readonly budget: number,
    initial: number,
  ) {
    this.buffer = new Uint8Array(Math.max(64, Math.min(initial, budget)));
  }

  private room(extra: number): void {
    const needed = this.length + extra;
    if (needed > this.budget) throw new OverBudget();
    if (needed <= this.buffer.length) return;
    const grown = new Uint8Array(Math.min(this.budget, Math.max(needed, this.buffer.length * 2)));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  push(byte: number): void {
    this.room(1);
    this.buffer[this.length++] = byte;
  }

  repeat(byte: number, count: number): void {
    this.room(count);
    this.buffer.fill(byte, this.length, this.length + count);
    this.length += count;
  }

  copy(source: Uint8Array): void {
    this.room(source.length);
    this.buffer.set(source, this.length);
    this.length += source.length;
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
}

function flate(data: Uint8Array, budget: number): Uint8Array {
  try {
    // maxOutputLength: zlib stops producing past it and throws, instead of growing without end.
    return inflateSync(data, { maxOutputLength: Math.max(1, budget), finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw new OverBudget();
    return new Uint8Array(0); // corrupt data: readers show what they can, and here there is nothing to add
  }
}

function lzw(data: Uint8Array, budget: number, earlyChange: number): Uint8Array {
  const out = new Output(budget, data.length * 4);
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const lengths = new Uint16Array(4096);
  const scratch = new Uint8Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    lengths[i] = 1;
  }
  let next = 258;
  let width = 9;
  let previous = -1;
  let bits = 0;
  let buffer = 0;
  for (let i = 0; i < data.length; ) {
    while (bits < width && i < data.length) {
      buffer = ((buffer << 8) | data[i++]!) >>> 0;
      bits += 8;
    }
    if (bits < width) break;
    const code = (buffer >>> (bits - width)) & ((1 << width) - 1);
    bits -= width;
    if (code === 256) {
      next = 258;
      width = 9;
      previous = -1;
      continue;
    }
    if (code === 257) break;
    // The string for `code`, or for a code not yet in the table (the previous string plus its first byte).
    const known = code < next;
    if (!known && (code !== next || previous < 0)) break; // corrupt
    const source = known ? code : previous;
    const length = lengths[source]!;
    for (let k = length - 1, c = source; k >= 0; k--, c = prefix[c]!) scratch[k] = suffix[c]!;
    const first = scratch[0]!;
    out.copy(scratch.subarray(0, length));
    if (!known) out.push(first);
    if (previous >= 0 && next < 4096) {
      prefix[next] = previous;
      suffix[next] = first;
      lengths[next] = lengths[previous]! + 1;
      next++;
    }
    previous = code;
    if (next + earlyChange >= 1 << width && width < 12) width++;
  }
  return out.bytes();
}

function asciiHex(data: Uint8Array, budget: number): Uint8Array {
  const out = new Output(budget, data.length / 2);
  let high = -1;
  for (const c of data) {
    if (c === 0x3e) break;
    const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (v < 0) continue;
    if (high < 0) high = v;
    else {
      out.push(high * 16 + v);
      high = -1;
    }
  }
  if (high >= 0) out.push(high * 16);
  return out.bytes();
}

function ascii85(data: Uint8Array, budget: number): Uint8Array {
  const out = new Output(budget, data.length);
  const group: number[] = [];
  const flush = (count: number): void => {
    let value = 0;
    for (let k = 0; k < 5; k++) value = value * 85 + (group[k] ?? 84);
    for (let k = 0; k < count - 1; k++) out.push((value >>> (24 - 8 * k)) & 0xff);
  };
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x7e /* ~ */) break;
    if (isSpace(c)) continue;
    if (c === 0x7a /* z */ && group.length === 0) {
      out.repeat(0, 4);
      continue;
    }
    if (c < 0x21 || c > 0x75) continue;
    group.push(c - 0x21);
    if (group.length === 5) {
      flush(5);
      group.length = 0;
    }
  }
  if (group.length > 1) flush(group.length);
  return out.bytes();
}

function runLength(data: Uint8Array, budget: number): Uint8Array {
  const out = new Output(budget, data.length * 2);
  for (let i = 0; i < data.length; ) {
    const n = data[i++]!;
    if (n === 128) break;
    if (n < 128) {
      const end = Math.min(data.length, i + n + 1);
      out.copy(data.subarray(i, end));
      i = end;
    } else if (i < data.length) out.repeat(data[i++]!, 257 - n);
  }
  return out.bytes();
}

/** PNG (10–15) and TIFF (2, 8 bits per component) predictors; the output is never longer than the input. */
function unpredict(data: Uint8Array, parms: DecodeParms): Uint8Array {
  const predictor = parms?.Predictor ?? 1;
  if (predictor <= 1) return data;
  const colors = Math.max(1, parms?.Colors ?? 1);
  const bpc = Math.max(1, parms?.BitsPerComponent ?? 8);
  const columns = Math.max(1, parms?.Columns ?? 1);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowBytes = Math.ceil((colors * bpc * columns) / 8);
  if (predictor === 2) {
    if (bpc !== 8) return data;
    const out = data.slice();
    for (let row = 0; row < out.length; row += rowBytes) {
      for (let i = row + bpp; i < Math.min(row + rowBytes, out.length); i++) out[i] = (out[i]! + out[i - bpp]!) & 0xff;
    }
    return out;
  }
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowBytes + 1)]!;
    const src = r * (rowBytes + 1) + 1;
    const dst = r * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const raw = data[src + i]!;
      const left = i >= bpp ? out[dst + i - bpp]! : 0;
      const up = r > 0 ? out[dst - rowBytes + i]! : 0;
      const upLeft = r > 0 && i >= bpp ? out[dst - rowBytes + i - bpp]! : 0;
      let value = raw;
      if (type === 1) value = raw + left;
      else if (type === 2) value = raw + up;
      else if (type === 3) value = raw + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      }
      out[dst + i] = value & 0xff;
    }
  }
  return out;
}

/**
 * Decodes `data` through `filters` in order, each stage's output at most `budget` bytes.
 * `parms[i]` are the `/DecodeParms` of filter i (`Predictor`, `Colors`, `BitsPerComponent`,
 * `Columns`, `EarlyChange`).
 */
export function decodeStream(data: Uint8Array, filters: readonly string[], parms: readonly DecodeParms[], budget: number): DecodeResult {
  let current = data;
  try {
    for (const [i, raw] of filters.entries()) {
      const filter = canonicalFilter(raw);
      const p = parms[i];
      switch (filter) {
        case 'FlateDecode':
          current = unpredict(flate(current, budget), p);
          break;
        case 'LZWDecode':
          current = unpredict(lzw(current, budget, p?.EarlyChange ?? 1), p);
          break;
        case 'ASCIIHexDecode':
          current = asciiHex(current, budget);
          break;
        case 'ASCII85Decode':
          current = ascii85(current, budget);
          break;
        case 'RunLengthDecode':
          current = runLength(current, budget);
          break;
        case 'Crypt':
          break; // decrypted already (the data comes from qpdf), or the identity filter
        default:
          return { status: 'unsupported', filter };
      }
    }
  } catch (error) {
    if (error instanceof OverBudget) return { status: 'over-budget' };
    throw error;
  }
  return { status: 'decoded', data: current };
}

/** The most bytes `compressed` bytes can decode to through `filters` (Infinity for unknown filters). */
export function maxDecodedSize(compressed: number, filters: readonly string[]): number {
  return filters.reduce((size, filter) => size * (MAX_EXPANSION[canonicalFilter(filter)] ?? Number.POSITIVE_INFINITY), compressed);
}
