/**
 * Writing the repaired copy of a damaged file from its `RebuildPlan` (`pdf-xref-scan.ts`): the
 * original bytes, the streams whose length had to be recovered, the objects packed in object
 * streams (indexed from the streams qpdf decoded; a plain definition wins), earlier definitions
 * under new numbers, and a cross-reference stream with `startxref` — bytes qpdf reads like an
 * intact file (steps 4–5 of `pdf-xref-rebuild.ts`).
 */

import { readDict, TokenBudget } from './pdf-xref-bytes.js';
import { DEFAULT_XREF_REBUILD_LIMITS, type RebuildPlan, type StreamFix, type XrefRebuildLimits } from './pdf-xref-scan.js';

/** The objects an object stream holds, from its decoded data (`/N` pairs of number and offset before `/First`). */
export function objectStreamIndex(data: Uint8Array, first: number, count: number): Array<{ num: number; offset: number }> {
  const header = Buffer.from(data.buffer, data.byteOffset, Math.min(Math.max(first, 0), data.length)).toString('latin1');
  const numbers = header.trim().split(/\s+/).map(Number);
  const index: Array<{ num: number; offset: number }> = [];
  for (let i = 0; i + 1 < numbers.length && index.length < count; i += 2) {
    const [num, offset] = [numbers[i]!, numbers[i + 1]!];
    if (!Number.isSafeInteger(num) || !Number.isSafeInteger(offset) || num <= 0 || offset < 0) break;
    index.push({ num, offset });
  }
  return index;
}

/** What the object streams hold, as qpdf decoded them: data, `/First` and `/N` of each, by number. */
export type DecodedObjectStreams = ReadonlyMap<number, { data: Uint8Array; first: number; count: number }>;

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

/**
 * Writes the repaired copy: the original bytes from the header on, the streams whose length had to
 * be recovered (copied, with the length written in), and a cross-reference stream listing every
 * object. With `stand-in root`, the catalog is a stand-in with no pages (enough for qpdf to open
 * the copy and decode its object streams); otherwise the chosen trailer's.
 */
export function writeRebuilt(
  plan: RebuildPlan,
  objectStreams: DecodedObjectStreams = new Map(),
  root: 'trailer' | 'stand-in' = 'trailer',
  limits: XrefRebuildLimits = DEFAULT_XREF_REBUILD_LIMITS,
): { bytes: Uint8Array; superseded: Map<string, string> } | undefined {
  const { bytes, base } = plan;
  const replaced = new Map<string, string>();
  const parts: Uint8Array[] = [];
  let length = 0;
  const write = (part: Uint8Array | string): void => {
    const chunk = typeof part === 'string' ? latin1(part) : part;
    parts.push(chunk);
    length += chunk.length;
  };
  if (!plan.hasHeader) write('%PDF-1.7\n');
  const shift = length - base;
  write(bytes.subarray(base));
  write('\n');

  // Type 1 (offset, generation) and type 2 (object stream, index) entries.
  const entries = new Map<number, [number, number, number]>();
  for (const [num, definition] of plan.objects) entries.set(num, [1, definition.offset + shift, definition.gen]);
  /** A stream object written again, as `num gen obj`, with its data's length written in. */
  const writeStream = (num: number, gen: number, body: number, fix: StreamFix): void => {
    const { dict, dataStart } = fix;
    const lengthValue = dict.entries.get('Length');
    write(`${num} ${gen} obj\n`);
    if (lengthValue) {
      write(bytes.subarray(body, lengthValue.start));
      write(` ${fix.length} `);
      write(bytes.subarray(lengthValue.end, dict.end));
    } else {
      const open = bytes.indexOf(0x3c, body); // the dictionary's `<<`
      write(bytes.subarray(body, open + 2));
      write(` /Length ${fix.length} `);
      write(bytes.subarray(open + 2, dict.end));
    }
    write('\nstream\n');
    write(bytes.subarray(dataStart, dataStart + fix.length));
    write('\nendstream\nendobj\n');
  };
  for (const [num, fix] of plan.fixes) {
    const definition = plan.objects.get(num)!;
    entries.set(num, [1, length, definition.gen]);
    writeStream(num, definition.gen, definition.body, fix);
  }
  let compressed = 0;
  let catalog = plan.catalog;
  for (const [stream, { data, first, count }] of objectStreams) {
    if (!entries.has(stream)) continue;
    const index = objectStreamIndex(data, first, count);
    for (let i = 0; i < index.length; i++) {
      const { num, offset } = index[i]!;
      if (++compressed + entries.size > limits.maxObjects) return undefined;
      if (entries.has(num) && entries.get(num)![0] === 1) continue; // a plain definition wins
      entries.set(num, [2, stream, i]);
      if (catalog === undefined || num > catalog) {
        const text = data.subarray(first + offset, i + 1 < index.length ? first + index[i + 1]!.offset : data.length);
        const budget = new TokenBudget(limits.maxTokens);
        if (readDict(text, 0, budget)?.entries.get('Type')?.name === 'Catalog') catalog = num;
      }
    }
  }

  let max = 0;
  for (const num of entries.keys()) if (num > max) max = num;
  if (root === 'trailer') {
    for (const old of plan.superseded) {
      const num = ++max;
      entries.set(num, [1, length, 0]);
      replaced.set(`${num} 0 R`, `${old.definition.num} ${old.definition.gen}`);
      if ('fix' in old) writeStream(num, 0, old.definition.body, old.fix);
      else {
        write(`${num} 0 obj\n`);
        write(bytes.subarray(old.definition.body, old.end));
        write('\nendobj\n');
      }
    }
  }

  const copied = (key: string): string => {
    const value = plan.trailer.get(key);
    return value ? ` /${key} ${Buffer.from(bytes.subarray(value.start, value.end)).toString('latin1')}` : '';
  };
  let trailer: string;
  if (root === 'stand-in') {
    const standIn = ++max;
    const pages = ++max;
    entries.set(standIn, [1, length, 0]);
    write(`${standIn} 0 obj\n<< /Type /Catalog /Pages ${pages} 0 R >>\nendobj\n`);
    entries.set(pages, [1, length, 0]);
    write(`${pages} 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n`);
    trailer = ` /Root ${standIn} 0 R${copied('Encrypt')}${copied('ID')}`;
  } else {
    const rootRef = plan.trailer.get('Root')?.ref;
    const rootKnown = rootRef !== undefined && entries.has(rootRef);
    if (rootKnown || (plan.trailer.has('Root') && catalog === undefined)) trailer = copied('Root');
    else if (catalog !== undefined) trailer = ` /Root ${catalog} 0 R`;
    else return undefined; // nothing a reader could start from
    trailer += copied('Info') + copied('Encrypt') + copied('ID');
  }

  const xref = ++max;
  entries.set(xref, [1, length, 0]);
  const numbers = [...entries.keys()].sort((a, b) => a - b);
  const index: number[] = [];
  for (const num of numbers) {
    if (index.length > 0 && index[index.length - 2]! + index[index.length - 1]! === num) index[index.length - 1]!++;
    else index.push(num, 1);
  }
  const table = new Uint8Array(numbers.length * 9);
  const view = new DataView(table.buffer);
  numbers.forEach((num, i) => {
    const [type, field2, field3] = entries.get(num)!;
    view.setUint8(i * 9, type);
    view.setUint32(i * 9 + 1, field2);
    view.setUint32(i * 9 + 5, field3);
  });
  const xrefAt = length;
  write(`${xref} 0 obj\n<< /Type /XRef /Size ${max + 1} /Index [${index.join(' ')}] /W [1 4 4]${trailer} /Length ${table.length} >>\nstream\n`);
  write(table);
  write(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`);

  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return { bytes: out, superseded: replaced };
}
