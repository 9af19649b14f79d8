/**
 * A bounded raw scan for active content, complementing pdf.js where its public API is blind:
 * Launch actions, RichMedia/3D/Screen annotations, Rendition actions, scripts inside XFA forms,
 * and anything in a damaged file pdf.js repaired its own way.
 *
 * It tokenizes every object in the file body and, bounded in bytes, the decoded contents of
 * Flate-compressed object streams (PDF 1.5+ hides most dictionaries there). It records the
 * references between objects, so a finding in an object that nothing reachable from the
 * trailer points at (typically an action an incremental save removed) can be told apart.
 * Encrypted object streams cannot be decoded here; pdf.js, which decrypts, covers those.
 */

import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { canonicalFilter, decodeStream, IMAGE_FILTERS, maxDecodedSize, MAX_EXPANSION } from './pdf-filters.js';
import { PdfLexer, Tok } from './pdf-lexer.js';

export type ActiveContentKind = 'javascript' | 'launch' | 'embedded-files' | 'rich-media' | 'xfa';

export interface RawFinding {
  kind: ActiveContentKind;
  /** What was found, as a phrase: "a Launch action". */
  what: string;
  /** The object it was found in, `12 0`; absent for data outside any object. */
  object?: string;
}

export interface RawScan {
  /** Findings in objects reachable from the trailer; every finding when `reachability` is unknown. */
  findings: RawFinding[];
  /** Findings in objects nothing reachable refers to (e.g. left behind by an incremental save). */
  unreachable: RawFinding[];
  /** `checked`: the trailer's /Root was found and the object graph walked. */
  reachability: 'checked' | 'unknown';
  /** false when the scan stopped at its deadline; findings are then partial. */
  complete: boolean;
  /** An /Encrypt entry was seen in a trailer or cross-reference stream. */
  encrypted: boolean;
  linearized: boolean;
  objects: number;
  objectStreams: { decoded: number; skipped: number };
  /** Stream filters outside ISO 32000 (e.g. the proposed BrotliDecode) that many viewers cannot decode. */
  nonStandardFilters: string[];
  /**
   * Streams other than images that decode to more than `maxDecodedStreamBytes`: decompression
   * bombs (`4 0 (510 KiB)`). A parser reading them (page content for text, fonts, scripts,
   * attachments) would hold all of it in memory.
   */
  bombs: Array<{ object: string; compressedBytes: number }>;
  /** Streams (`12 0`) the bomb probe decoded within the budget: nobody need decode them again. */
  probedStreams: string[];
}

export interface RawScanLimits {
  /** Total bytes all decoded object and XFA streams may take. */
  maxInflatedBytes: number;
  /** Bytes one decoded stream may take; larger ones are skipped. */
  maxStreamBytes: number;
  maxObjectStreams: number;
  /** Objects whose references are tracked; beyond it reachability is unknown. */
  maxObjects: number;
  /** A non-image Flate stream that decodes to more than this is a decompression bomb. */
  maxDecodedStreamBytes: number;
}

export const DEFAULT_RAW_SCAN_LIMITS: RawScanLimits = {
  maxInflatedBytes: 64 * 1024 * 1024,
  maxStreamBytes: 16 * 1024 * 1024,
  maxObjectStreams: 20_000,
  maxObjects: 250_000,
  maxDecodedStreamBytes: 128 * 1024 * 1024,
};


interface StreamSpan {
  source: Uint8Array;
  start: number;
  end: number;
  filters: string[];
}

interface ObjectDef {
  key: string;
  /** Position in the file; a later definition of the same key supersedes an earlier one. */
  order: number;
  refs: string[];
  findings: RawFinding[];
  filters: string[];
  stream?: StreamSpan;
  objStm?: boolean;
  first?: number;
  xrefStream?: boolean;
  /** The dictionary has an /Encrypt entry (meaningful in a trailer or cross-reference stream). */
  encrypt?: boolean;
  /** `/Subtype /Image`: never decoded by the validator (pdf.js is told not to decode images). */
  image?: boolean;
}

const ACTION_TYPES: Record<string, [ActiveContentKind, string]> = {
  JavaScript: ['javascript', 'a JavaScript action'],
  Launch: ['launch', 'a Launch action'],
  Rendition: ['rich-media', 'a Rendition (media playback) action'],
  Movie: ['rich-media', 'a Movie action'],
  Sound: ['rich-media', 'a Sound action'],
  RichMediaExecute: ['rich-media', 'a RichMediaExecute action'],
  GoTo3DView: ['rich-media', 'a 3D view action'],
};

const SUBTYPES: Record<string, [ActiveContentKind, string]> = {
  RichMedia: ['rich-media', 'a RichMedia (Flash or video) annotation'],
  '3D': ['rich-media', 'a 3D annotation'],
  Screen: ['rich-media', 'a Screen (media player) annotation'],
  Movie: ['rich-media', 'a Movie annotation'],
  Sound: ['rich-media', 'a Sound annotation'],
  FileAttachment: ['embedded-files', 'a file attachment annotation'],
};

const FLATE = new Set(['FlateDecode', 'Fl']);
/** ISO 32000-2 §7.4 filters and their inline-image abbreviations. */
const STANDARD_FILTERS = new Set([
  'ASCIIHexDecode', 'ASCII85Decode', 'LZWDecode', 'FlateDecode', 'RunLengthDecode', 'CCITTFaxDecode',
  'JBIG2Decode', 'DCTDecode', 'JPXDecode', 'Crypt', 'AHx', 'A85', 'LZW', 'Fl', 'RL', 'CCF', 'DCT',
]);
const XFA_SCRIPT = /<script[\s>]/i;

function isRefOrDict(tok: Tok): boolean {
  return tok === Tok.Number || tok === Tok.DictOpen;
}

class RawScanner {
  readonly defs = new Map<string, ObjectDef>();
  readonly objectStreams: ObjectDef[] = [];
  readonly rootRefs: string[] = [];
  readonly xfaRefs: string[] = [];
  readonly nonStandardFilters = new Set<string>();
  readonly bombs: Array<{ object: string; compressedBytes: number }> = [];
  readonly probed: string[] = [];
  readonly trailer: ObjectDef = { key: '#trailer', order: -1, refs: [], findings: [], filters: [] };
  readonly loose: ObjectDef = { key: '#loose', order: -1, refs: [], findings: [], filters: [] };
  linearized = false;
  inflated = 0;
  decoded = 0;
  skipped = 0;
  /** Set when the deadline passed or too many objects were seen. */
  stopped = false;
  overflow = false;

  constructor(
    private readonly limits: RawScanLimits,
    private readonly deadline: number,
  ) {}

  /** Records a definition; false when over the object limit (its content then counts as loose). */
  private define(def: ObjectDef): boolean {
    if (this.defs.size >= this.limits.maxObjects && !this.defs.has(def.key)) {
      this.overflow = true;
      return false;
    }
    const existing = this.defs.get(def.key);
    if (!existing || existing.order <= def.order) this.defs.set(def.key, def);
    return true;
  }

  private add(def: ObjectDef, [kind, what]: [ActiveContentKind, string]): void {
    if (def.findings.some((f) => f.kind === kind)) return; // one finding per kind and object
    def.findings.push({ kind, what, ...(def.key.startsWith('#') ? {} : { object: def.key }) });
  }

  /**
   * Tokenizes `bytes[from, to)`. With `fixedKey` (one object of an object stream) everything
   * belongs to that object; otherwise `N G obj … endobj` delimit objects.
   */
  scan(bytes: Uint8Array, from: number, to: number, fixedKey?: { key: string; order: number }): void {
    const lx = new PdfLexer(bytes, from, to);
    let cur: ObjectDef = this.loose;
    if (fixedKey) {
      const def: ObjectDef = { key: fixedKey.key, order: fixedKey.order, refs: [], findings: [], filters: [] };
      if (this.define(def)) cur = def;
    }
    let p1 = -1; // previous token, when a non-negative integer
    let p2 = -1; // the one before
    let key: string | null = null; // last name, which may be a dictionary key
    let capture: 'xfa' | 'root' | null = null;
    let captureArray = false;
    let filterArray = false;
    let length = -1;

    let count = 0;
    for (let tok = lx.next(); tok !== Tok.Eof; tok = lx.next()) {
      if ((++count & 0xffff) === 0 && performance.now() > this.deadline) {
        this.stopped = true;
        return;
      }
      if (key !== null) {
        this.pair(cur, key, tok, lx);
        if (key === 'XFA' && (tok === Tok.Number || tok === Tok.ArrayOpen)) {
          capture = 'xfa';
          captureArray = tok === Tok.ArrayOpen;
        } else if (key === 'Root' && tok === Tok.Number) capture = 'root';
        else if (key === 'Filter' && tok === Tok.ArrayOpen) {
          filterArray = true;
          cur.filters = [];
        } else if (key === 'Length' && tok === Tok.Number && lx.integer) length = lx.num;
        key = null;
      }
      switch (tok) {
        case Tok.Name:
          if (filterArray) cur.filters.push(lx.text);
          key = lx.text;
          p1 = p2 = -1;
          break;
        case Tok.Number:
          p2 = p1;
          p1 = lx.integer ? lx.num : -1;
          break;
        case Tok.Keyword: {
          const word = lx.text;
          if (word === 'R' && p2 >= 0 && p1 >= 0) {
            const target = `${p2} ${p1}`;
            if (cur !== this.loose || !this.overflow) cur.refs.push(target);
            if (capture === 'xfa') this.xfaRefs.push(target);
            else if (capture === 'root') this.rootRefs.push(target);
            if (!captureArray) capture = null;
          } else if (!fixedKey) {
            if (word === 'obj' && p2 >= 0 && p1 >= 0) {
              const def: ObjectDef = { key: `${p2} ${p1}`, order: lx.start, refs: [], findings: [], filters: [] };
              cur = this.define(def) ? def : this.loose;
              length = -1;
            } else if (word === 'endobj' || word === 'startxref' || word === 'xref') cur = this.loose;
            else if (word === 'trailer') cur = this.trailer;
            else if (word === 'stream') this.skipStream(cur, lx, length);
          }
          p1 = p2 = -1;
          break;
        }
        case Tok.ArrayClose:
          filterArray = false;
          if (captureArray) capture = null;
          captureArray = false;
          p1 = p2 = -1;
          break;
        default:
          p1 = p2 = -1;
      }
    }
  }

  /** Reacts to a dictionary key followed by the first token of its value. */
  private pair(cur: ObjectDef, key: string, tok: Tok, lx: PdfLexer): void {
    const name = tok === Tok.Name ? lx.text : undefined;
    switch (key) {
      case 'S':
        if (name && ACTION_TYPES[name]) this.add(cur, ACTION_TYPES[name]);
        break;
      case 'Subtype':
        if (name && SUBTYPES[name]) this.add(cur, SUBTYPES[name]);
        if (name === 'Image') cur.image = true;
        break;
      case 'Type':
        if (name === 'ObjStm') {
          cur.objStm = true;
          this.objectStreams.push(cur);
        } else if (name === 'XRef') cur.xrefStream = true;
        else if (name === 'EmbeddedFile') this.add(cur, ['embedded-files', 'an embedded file stream']);
        break;
      case 'JS':
        if (tok === Tok.String || tok === Tok.HexString || tok === Tok.Number) {
          this.add(cur, ['javascript', 'JavaScript code (a /JS entry)']);
        }
        break;
      case 'JavaScript':
        if (isRefOrDict(tok)) this.add(cur, ['javascript', 'document-level JavaScript (the JavaScript name tree)']);
        break;
      case 'EmbeddedFiles':
        if (isRefOrDict(tok)) this.add(cur, ['embedded-files', 'the EmbeddedFiles name tree']);
        break;
      case 'EF':
        if (isRefOrDict(tok)) this.add(cur, ['embedded-files', 'an embedded file (/EF)']);
        break;
      case 'XFA':
        if (tok === Tok.Number || tok === Tok.ArrayOpen) this.add(cur, ['xfa', 'an XFA form']);
        break;
      case 'Encrypt':
        if (isRefOrDict(tok)) cur.encrypt = true;
        break;
      case 'Linearized':
        if (tok === Tok.Number) this.linearized = true;
        break;
      case 'Filter':
        if (name) cur.filters = [name];
        break;
      case 'First':
        if (tok === Tok.Number && lx.integer) cur.first = lx.num;
        break;
    }
  }

  /** Moves the lexer past a stream's data, remembering where the data is. */
  private skipStream(cur: ObjectDef, lx: PdfLexer, length: number): void {
    const bytes = lx.bytes;
    let start = lx.pos;
    if (bytes[start] === 0x0d) start++;
    if (bytes[start] === 0x0a) start++;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let end = -1;
    let resume = -1;
    if (length >= 0 && start + length <= bytes.length) {
      const after = buffer.toString('latin1', start + length, Math.min(bytes.length, start + length + 12));
      const m = /^\s*endstream/.exec(after);
      if (m) {
        end = start + length;
        resume = end + m[0].length;
      }
    }
    if (end < 0) {
      const at = buffer.indexOf('endstream', start, 'latin1');
      end = at < 0 ? bytes.length : at;
      resume = at < 0 ? bytes.length : at + 'endstream'.length;
      if (end > start && bytes[end - 1] === 0x0a) end--;
      if (end > start && bytes[end - 1] === 0x0d) end--;
    }
    if (cur !== this.loose && cur !== this.trailer) cur.stream = { source: bytes, start, end, filters: cur.filters };
    for (const filter of cur.filters) if (!STANDARD_FILTERS.has(filter)) this.nonStandardFilters.add(filter);
    lx.pos = resume;
  }

  /** Decoded stream data, or undefined when the filter is unsupported, the data bad or the budget spent. */
  decode(span: StreamSpan): Uint8Array | undefined {
    const raw = span.source.subarray(span.start, span.end);
    if (span.filters.length === 0) return raw;
    if (span.filters.length !== 1 || !FLATE.has(span.filters[0]!)) return undefined;
    const room = Math.min(this.limits.maxStreamBytes, this.limits.maxInflatedBytes - this.inflated);
    if (room <= 0) return undefined;
    try {
      const out = inflateSync(raw, { maxOutputLength: room, finishFlush: zlibConstants.Z_SYNC_FLUSH });
      this.inflated += out.length;
      return out;
    } catch {
      return undefined;
    }
  }

  /** Scans the objects packed in each object stream (PDF 1.5+ compressed objects). */
  scanObjectStreams(): void {
    for (const container of this.objectStreams) {
      if (this.stopped) return;
      const data =
        this.decoded < this.limits.maxObjectStreams && container.stream ? this.decode(container.stream) : undefined;
      if (!data || container.first === undefined || container.first > data.length) {
        this.skipped++;
        continue;
      }
      this.decoded++;
      const header = Buffer.from(data.buffer, data.byteOffset, container.first).toString('latin1');
      const numbers = header.trim().split(/\s+/).map(Number);
      const entries: Array<[number, number]> = [];
      for (let i = 0; i + 1 < numbers.length; i += 2) {
        const [num, offset] = [numbers[i]!, numbers[i + 1]!];
        if (Number.isSafeInteger(num) && Number.isSafeInteger(offset) && offset >= 0) entries.push([num, offset]);
      }
      entries.forEach(([num, offset], i) => {
        const from = container.first! + offset;
        const to = i + 1 < entries.length ? container.first! + entries[i + 1]![1] : data.length;
        if (from >= to || to > data.length) return;
        const order = container.order + (i + 1) / (entries.length + 1);
        this.scan(data, from, to, { key: `${num} 0`, order });
      });
    }
  }

  /** Looks inside XFA streams for <script> elements (Acrobat runs them; pdf.js does not say). */
  scanXfa(): void {
    for (const key of new Set(this.xfaRefs)) {
      const def = this.defs.get(key);
      const data = def?.stream ? this.decode(def.stream) : undefined;
      if (def && data && XFA_SCRIPT.test(Buffer.from(data.buffer, data.byteOffset, data.length).toString('latin1'))) {
        this.add(def, ['javascript', 'a script in the XFA form']);
      }
    }
  }

  /**
   * Finds decompression bombs: non-image streams whose filters (Flate, LZW, ASCIIHex, ASCII85,
   * RunLength, in any order) expand them beyond `maxDecodedStreamBytes`. Only streams large enough
   * to get there are decoded, one at a time, each stopped at the limit as bytes are produced.
   * Encrypted data does not decode and is left to the object graph's probe (qpdf decrypts it).
   */
  probeBombs(): void {
    const limit = this.limits.maxDecodedStreamBytes;
    for (const def of this.defs.values()) {
      if (this.stopped) return;
      const span = def.stream;
      if (!span || def.image || span.filters.length === 0) continue;
      const filters = span.filters.map(canonicalFilter);
      if (filters.some((f) => IMAGE_FILTERS.has(f) || MAX_EXPANSION[f] === undefined)) continue;
      const compressed = span.end - span.start;
      if (maxDecodedSize(compressed, filters) <= limit) continue;
      if (performance.now() > this.deadline) {
        this.stopped = true;
        return;
      }
      const decoded = decodeStream(span.source.subarray(span.start, span.end), filters, [], limit);
      if (decoded.status === 'over-budget') this.bombs.push({ object: def.key, compressedBytes: compressed });
      else this.probed.push(def.key);
    }
  }

  result(): RawScan {
    const defs = [this.loose, this.trailer, ...this.defs.values()];
    const all = defs.flatMap((def) => def.findings);
    const checked =
      !this.stopped && !this.overflow && this.rootRefs.length > 0 && this.rootRefs.every((ref) => this.defs.has(ref));
    let findings = all;
    let unreachable: RawFinding[] = [];
    if (checked) {
      const seen = new Set<ObjectDef>();
      const queue = [this.loose, this.trailer, ...[...this.defs.values()].filter((def) => def.xrefStream)];
      while (queue.length > 0) {
        const def = queue.pop()!;
        if (seen.has(def)) continue;
        seen.add(def);
        for (const ref of def.refs) {
          const target = this.defs.get(ref);
          if (target && !seen.has(target)) queue.push(target);
        }
      }
      findings = defs.filter((def) => seen.has(def)).flatMap((def) => def.findings);
      unreachable = defs.filter((def) => !seen.has(def)).flatMap((def) => def.findings);
    }
    return {
      findings,
      unreachable,
      reachability: checked ? 'checked' : 'unknown',
      complete: !this.stopped,
      encrypted: defs.some((def) => def.encrypt && (def.key.startsWith('#') || def.xrefStream)),
      linearized: this.linearized,
      objects: this.defs.size,
      objectStreams: { decoded: this.decoded, skipped: this.skipped },
      nonStandardFilters: [...this.nonStandardFilters].slice(0, 10),
      bombs: this.bombs.slice(0, 10),
      probedStreams: this.probed,
    };
  }
}

/**
 * Scans `bytes` for active content. Linear in the file size; decoding and object tracking bounded
 * by `limits`; stops (with `complete: false`) when `performance.now()` passes `deadline`.
 */
export function rawScan(
  bytes: Uint8Array,
  limits: RawScanLimits = DEFAULT_RAW_SCAN_LIMITS,
  deadline = Number.POSITIVE_INFINITY,
): RawScan {
  const scanner = new RawScanner(limits, deadline);
  scanner.scan(bytes, 0, bytes.length);
  scanner.scanObjectStreams();
  scanner.scanXfa();
  scanner.probeBombs();
  return scanner.result();
}
