/**
 * The scan of a damaged file, as qpdf's QPDF::reconstruct_xref does it (steps 1–3 of
 * `pdf-xref-rebuild.ts`): every object definition (the last of each number wins) and every
 * `trailer`, the trailer chosen (or the catalog with the highest number), the lengths qpdf
 * recovers for streams whose `/Length` is wrong, and the object streams to index. Pure; bounded in
 * bytes, objects and tokens by `XrefRebuildLimits`. Its result, a `RebuildPlan`, is what
 * `pdf-xref-write.ts` turns into a repaired copy.
 */

import { endTokens, firstAtOrAfter, integerAt, isDigit, readDict, skipSpace, streamDataStart, TokenBudget, wordAt, type DictValue, type TopDict } from './pdf-xref-bytes.js';

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

interface Definition {
  num: number;
  gen: number;
  /** Offset of `N G obj`, and just past `obj`. */
  offset: number;
  body: number;
}

export interface StreamFix {
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
