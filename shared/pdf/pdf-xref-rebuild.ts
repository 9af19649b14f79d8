/**
 * Rebuilding a damaged cross-reference table the way qpdf does (QPDF::reconstruct_xref), so that
 * a file whose xref is broken — on purpose or not — is still judged on the object graph qpdf
 * resolves, not on a linear scan alone.
 *
 * qpdf's WebAssembly build cannot run its own reconstruction (see docs/pdf-validation.md, "When
 * qpdf cannot read a file"), and it gives up on every other error it would recover from natively,
 * such as a stream whose `/Length` is wrong. So the same steps are taken here, on the bytes, and
 * the result is written as a *repaired copy* that qpdf then reads like any intact file:
 *
 * 1. Every line is looked at, as qpdf does: a line whose first token starts `N G obj` defines
 *    object N (stream data is not skipped: qpdf does not skip it either), one whose first token is
 *    `trailer` starts a trailer dictionary. The **last definition** of each object number wins.
 * 2. The trailer is the last `trailer` dictionary that has a `/Root`; failing that, the dictionary
 *    of the cross-reference stream with the largest `/Size` (the later one on a tie); failing that,
 *    the `/Type /Catalog` object with the highest number becomes the `/Root`. `/Info`, `/Encrypt`
 *    and `/ID` are taken from the same dictionary, verbatim.
 * 3. A stream whose `/Length` does not end at `endstream` gets the length qpdf recovers: up to the
 *    first `endstream` or `endobj` after its data, or nothing if another object starts first.
 *    Such an object is copied, with that length written in, after the original bytes.
 * 4. Objects packed in object streams are found by asking qpdf itself to decode those streams
 *    (`prepareRebuild` lists them; qpdf decodes them with every standard filter and decrypts them)
 *    and reading their headers: an object defined both ways keeps its plain definition, as pdf.js
 *    does when it rebuilds a table.
 * 5. A cross-reference stream (classic entries and compressed ones) and `startxref` are appended.
 *
 * Work is bounded in bytes and objects, never in time: the scan reads each byte a fixed number of
 * times, dictionaries are read with a token budget, and past `maxObjects` definitions the file is
 * not rebuilt at all (the caller keeps its fallback).
 */

import { PdfLexer, Tok } from './pdf-lexer.js';
import { readQpdfDecodedStreams, readQpdfGraph, type QpdfDict, type QpdfGraph, type QpdfOptions } from './qpdf-engine.js';

export interface XrefRebuildLimits {
  /** Object definitions (plain and compressed) a rebuild may hold. */
  maxObjects: number;
  /** Object streams whose contents are indexed. */
  maxObjectStreams: number;
  /** Tokens all dictionary reads together may take (a few per object in an ordinary file). */
  maxTokens: number;
  /**
   * When qpdf cannot decode all object streams in one run (one is corrupt, which stops its
   * WebAssembly), up to this many are decoded one run each, so a corrupt one hides nothing beside it.
   */
  maxSeparateObjectStreamRuns: number;
}

export const DEFAULT_XREF_REBUILD_LIMITS: XrefRebuildLimits = {
  maxObjects: 250_000,
  maxObjectStreams: 20_000,
  maxTokens: 20_000_000,
  maxSeparateObjectStreamRuns: 64,
};

/** A value in a dictionary: where its bytes are, and what it is when it is simple. */
interface DictValue {
  start: number;
  end: number;
  int?: number;
  ref?: number;
  name?: string;
}

interface TopDict {
  /** Offset of the closing `>>`, and just past it. */
  close: number;
  end: number;
  entries: Map<string, DictValue>;
}

interface Definition {
  num: number;
  gen: number;
  /** Offset of `N G obj`, and just past `obj`. */
  offset: number;
  body: number;
}

interface StreamFix {
  /** The stream dictionary's bytes, with the span of its `/Length` value (if any). */
  dict: TopDict;
  dataStart: number;
  /** The data's length: the declared one when it is right, else the one qpdf recovers. */
  length: number;
}

/** A definition a later one replaced: copied under a new number, a stream with its length fixed. */
type Superseded = { definition: Definition; fix: StreamFix } | { definition: Definition; end: number };

/** What a rebuild found in the file; `writeRebuilt` turns it into bytes qpdf reads. */
export interface RebuildPlan {
  readonly bytes: Uint8Array;
  /** Where the copy starts (the `%PDF-` header; 0 when there is none). */
  readonly base: number;
  readonly hasHeader: boolean;
  /** The winning definition of each object number. */
  readonly objects: Map<number, Definition>;
  /** Streams whose `/Length` must be rewritten. */
  readonly fixes: Map<number, StreamFix>;
  /** Earlier definitions of numbers defined again later. */
  readonly superseded: Superseded[];
  /** Object streams (by number) to be indexed. */
  readonly objectStreams: number[];
  /** `/Root`, `/Info`, `/Encrypt`, `/ID` from the chosen trailer, as bytes to copy. */
  readonly trailer: Map<string, DictValue>;
  /** The catalog with the highest number, when no trailer has a `/Root`. */
  readonly catalog?: number;
  /** What was damaged, for the educator: how the table was rebuilt. */
  readonly source: 'trailer' | 'xref-stream' | 'catalog' | 'none';
}

export type RebuildOutcome = { status: 'planned'; plan: RebuildPlan } | { status: 'not-rebuilt'; why: string };

const WHITESPACE = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) WHITESPACE[c] = 1;
const DELIMITER = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIMITER[c.charCodeAt(0)] = 1;
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const ends = (bytes: Uint8Array, at: number): boolean => at >= bytes.length || WHITESPACE[bytes[at]!] === 1 || DELIMITER[bytes[at]!] === 1;

function wordAt(bytes: Uint8Array, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word.charCodeAt(i)) return false;
  return ends(bytes, at + word.length);
}

/** Reads an unsigned integer token of at most 10 digits (qpdf's token limit while rebuilding). */
function integerAt(bytes: Uint8Array, at: number): { value: number; end: number } | undefined {
  let end = at;
  let value = 0;
  while (isDigit(bytes[end]) && end - at <= 10) value = value * 10 + (bytes[end++]! - 0x30);
  if (end === at || end - at > 10 || !ends(bytes, end)) return undefined;
  return { value, end };
}

function skipSpace(bytes: Uint8Array, at: number): number {
  while (at < bytes.length && WHITESPACE[bytes[at]!]) at++;
  return at;
}

class TokenBudget {
  constructor(public left: number) {}
}

/**
 * Reads the dictionary starting at `from` (after whitespace): its top-level keys and the byte
 * span of each value. Undefined when there is no dictionary there or the budget ran out.
 */
function readDict(bytes: Uint8Array, from: number, budget: TokenBudget): TopDict | undefined {
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
function streamDataStart(bytes: Uint8Array, at: number): number {
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
function endTokens(bytes: Uint8Array): number[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: number[] = [];
  for (let at = buffer.indexOf('end', 0, 'latin1'); at >= 0; at = buffer.indexOf('end', at + 3, 'latin1')) {
    if (wordAt(bytes, at, 'endstream') || wordAt(bytes, at, 'endobj')) found.push(at);
  }
  return found;
}

/** The first element of sorted `list` greater than or equal to `value`, or undefined. */
function firstAtOrAfter(list: readonly number[], value: number): number | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return list[lo];
}

/**
 * Scans `bytes` as qpdf's reconstruction does and plans the repaired copy. Pure; bounded by
 * `limits`.
 */
export function planRebuild(bytes: Uint8Array, limits: XrefRebuildLimits = DEFAULT_XREF_REBUILD_LIMITS): RebuildOutcome {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerAt = buffer.subarray(0, 1024).indexOf('%PDF-', 0, 'latin1');
  const base = headerAt >= 0 ? headerAt : 0;
  // qpdf ignores object numbers no file of this size could hold (each needs a few bytes).
  const maxNumber = Math.max(16, Math.floor(bytes.length / 3));
  const definitions: Definition[] = [];
  const trailers: number[] = [];

  // 1. The first token of every line.
  let p = base;
  while (p < bytes.length) {
    p = skipSpace(bytes, p);
    if (p >= bytes.length) break;
    const c = bytes[p]!;
    if (c === 0x25 /* % */) {
      while (p < bytes.length && bytes[p] !== 0x0a && bytes[p] !== 0x0d) p++;
      continue;
    }
    let tokenEnd = p + 1;
    if (isDigit(c)) {
      const num = integerAt(bytes, p);
      if (num) {
        tokenEnd = num.end;
        const gen = integerAt(bytes, skipSpace(bytes, num.end));
        if (gen) {
          const objAt = skipSpace(bytes, gen.end);
          if (wordAt(bytes, objAt, 'obj') && num.value > 0 && num.value <= maxNumber && gen.value < 65535) {
            if (definitions.length >= limits.maxObjects) return { status: 'not-rebuilt', why: `it defines more than ${limits.maxObjects} objects` };
            definitions.push({ num: num.value, gen: gen.value, offset: p, body: objAt + 3 });
          }
        }
      }
    } else if (wordAt(bytes, p, 'trailer')) {
      tokenEnd = p + 7;
      trailers.push(tokenEnd);
    }
    // On to the next line.
    p = tokenEnd;
    while (p < bytes.length && bytes[p] !== 0x0a && bytes[p] !== 0x0d) p++;
  }
  if (definitions.length === 0) return { status: 'not-rebuilt', why: 'no objects were found in it' };

  // The last definition of each number wins.
  const objects = new Map<number, Definition>();
  for (const definition of definitions) objects.set(definition.num, definition);
  const offsets = [...objects.values()].map((d) => d.offset).sort((a, b) => a - b);

  // 2–3. Each object's dictionary: streams, their lengths, types.
  const budget = new TokenBudget(limits.maxTokens);
  let endOffsets: number[] | undefined;
  const integerValue = (value: DictValue | undefined): number | undefined => {
    if (value?.int !== undefined) return value.int;
    if (value?.ref === undefined) return undefined;
    const target = objects.get(value.ref);
    if (!target) return undefined;
    const n = integerAt(bytes, skipSpace(bytes, target.body));
    return n && wordAt(bytes, skipSpace(bytes, n.end), 'endobj') ? n.value : undefined;
  };
  /** The object's dictionary and, for a stream whose `/Length` is wrong, the length qpdf recovers. */
  const inspect = (definition: Definition): { dict?: TopDict; stream?: StreamFix; fix?: StreamFix } => {
    const dict = readDict(bytes, definition.body, budget);
    if (!dict) return {};
    const after = skipSpace(bytes, dict.end);
    if (!wordAt(bytes, after, 'stream')) return { dict };
    const dataStart = streamDataStart(bytes, after + 'stream'.length);
    const declared = integerValue(dict.entries.get('Length'));
    if (declared !== undefined && declared >= 0 && dataStart + declared <= bytes.length && wordAt(bytes, skipSpace(bytes, dataStart + declared), 'endstream')) {
      return { dict, stream: { dict, dataStart, length: declared } };
    }
    // qpdf's recovery: up to the first endstream/endobj, unless another object starts before it.
    endOffsets ??= endTokens(bytes);
    const end = firstAtOrAfter(endOffsets, dataStart);
    const next = firstAtOrAfter(offsets, dataStart);
    const length = end !== undefined && (next === undefined || next >= end) ? end - dataStart : 0;
    const fix = { dict, dataStart, length };
    return { dict, stream: fix, fix };
  };
  const fixes = new Map<number, StreamFix>();
  const dicts = new Map<number, TopDict>();
  const objectStreams: number[] = [];
  const xrefStreams: Array<{ num: number; size: number; offset: number }> = [];
  const catalogs: number[] = [];
  for (const [num, definition] of objects) {
    const { dict, stream, fix } = inspect(definition);
    if (budget.left < 0) return { status: 'not-rebuilt', why: 'its dictionaries are too large to read within the budget' };
    if (!dict) continue;
    dicts.set(num, dict);
    const type = dict.entries.get('Type')?.name;
    if (type === 'Catalog') catalogs.push(num);
    if (stream && type === 'ObjStm' && objectStreams.length < limits.maxObjectStreams) objectStreams.push(num);
    if (stream && type === 'XRef') xrefStreams.push({ num, size: integerValue(dict.entries.get('Size')) ?? 0, offset: definition.offset });
    if (fix) fixes.set(num, fix);
  }
  // Definitions a later one replaced: another reader may pick them, so they are judged too.
  const starts = definitions.map((d) => d.offset);
  const superseded: Superseded[] = [];
  definitions.forEach((definition, i) => {
    if (objects.get(definition.num) === definition) return;
    const { dict, stream } = inspect(definition);
    const end = i + 1 < starts.length ? starts[i + 1]! : bytes.length;
    if (stream) superseded.push({ definition, fix: stream });
    else superseded.push({ definition, end: Math.max(end, dict?.end ?? 0) });
  });
  if (budget.left < 0) return { status: 'not-rebuilt', why: 'its dictionaries are too large to read within the budget' };

  // The trailer: the last `trailer` with a /Root, else the largest cross-reference stream's dictionary.
  let trailer: Map<string, DictValue> | undefined;
  let source: RebuildPlan['source'] = 'none';
  for (const at of trailers.slice(-100).reverse()) {
    const dict = readDict(bytes, at, budget);
    if (dict?.entries.has('Root')) {
      trailer = dict.entries;
      source = 'trailer';
      break;
    }
  }
  if (!trailer && xrefStreams.length > 0) {
    const best = xrefStreams.reduce((a, b) => (b.size > a.size || (b.size === a.size && b.offset > a.offset) ? b : a));
    trailer = dicts.get(best.num)!.entries;
    source = 'xref-stream';
  }
  const kept = new Map<string, DictValue>();
  for (const key of ['Root', 'Info', 'Encrypt', 'ID']) {
    const value = trailer?.get(key);
    if (value) kept.set(key, value);
  }
  const catalog = catalogs.reduce<number | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined);
  if (!kept.has('Root') && catalog !== undefined && source === 'none') source = 'catalog';
  return {
    status: 'planned',
    plan: { bytes, base, hasHeader: headerAt >= 0, objects, fixes, superseded, objectStreams, trailer: kept, ...(catalog !== undefined ? { catalog } : {}), source },
  };
}

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

export type RebuiltGraph =
  | {
      status: 'rebuilt';
      graph: QpdfGraph;
      bytes: Uint8Array;
      source: RebuildPlan['source'];
      /** Objects of the copy (`23 0 R`) that are earlier definitions of an object (`5 0`). */
      superseded: Map<string, string>;
    }
  | { status: 'not-rebuilt'; why: string };

/**
 * Rebuilds the cross-reference table of `bytes` and reads the repaired copy with qpdf: one run for
 * the object streams' headers when there are object streams (or one per object stream, at most
 * `maxSeparateObjectStreamRuns`, when one of them cannot be decoded), then one for the graph.
 * Never throws.
 */
export async function readRebuiltGraph(bytes: Uint8Array, options: QpdfOptions, limits: XrefRebuildLimits = DEFAULT_XREF_REBUILD_LIMITS): Promise<RebuiltGraph> {
  const planned = planRebuild(bytes, limits);
  if (planned.status !== 'planned') return planned;
  const { plan } = planned;
  const decoded = new Map<number, { data: Uint8Array; first: number; count: number }>();
  if (plan.objectStreams.length > 0) {
    const standIn = writeRebuilt(plan, new Map(), 'stand-in', limits);
    if (!standIn) return { status: 'not-rebuilt', why: 'too many objects' };
    const refs = plan.objectStreams.map((num) => `${num} ${plan.objects.get(num)!.gen} R`);
    let read = await readQpdfDecodedStreams(standIn.bytes, refs, options);
    if (read.status === 'failed' && refs.length > 1) {
      // One undecodable object stream stops qpdf's WebAssembly: decode them one by one.
      if (refs.length > limits.maxSeparateObjectStreamRuns) return { status: 'not-rebuilt', why: 'one of its many object streams cannot be decoded' };
      const streams = new Map<string, { data: Uint8Array; dict: QpdfDict }>();
      for (const ref of refs) {
        const one = await readQpdfDecodedStreams(standIn.bytes, [ref], options);
        if (one.status === 'out-of-memory') read = one;
        if (one.status === 'read') for (const [key, value] of one.streams) streams.set(key, value);
      }
      if (read.status !== 'out-of-memory') read = { status: 'read', streams };
    }
    if (read.status === 'out-of-memory') return { status: 'rebuilt', graph: { status: 'out-of-memory' }, bytes: standIn.bytes, source: plan.source, superseded: new Map() };
    if (read.status === 'read') {
      for (const [ref, { data, dict }] of read.streams) {
        const first = dict['/First'];
        const count = dict['/N'];
        if (typeof first === 'number' && typeof count === 'number') decoded.set(Number(ref.split(' ')[0]), { data, first, count });
      }
    }
  }
  const copy = writeRebuilt(plan, decoded, 'trailer', limits);
  if (!copy) return { status: 'not-rebuilt', why: 'no document catalog was found in it' };
  return { status: 'rebuilt', graph: await readQpdfGraph(copy.bytes, options), bytes: copy.bytes, source: plan.source, superseded: copy.superseded };
}
