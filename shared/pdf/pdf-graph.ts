/**
 * Active content on the object graph a reader resolves (qpdf's, see `qpdf-engine.ts`): every
 * action dictionary classified by an allow-list, wherever it is — catalog, pages, annotations,
 * form fields, bookmarks, `/Next` chains, name trees, or an object nothing refers to — and named
 * as a reader would describe where it is ("a link on page 2", "the bookmark “Week 1”").
 *
 * Indirect values are resolved at every step (`/S 7 0 R` is the action type object 7 holds).
 * The table in docs/pdf-validation.md ("Actions") is this file's policy in prose.
 */

import { canonicalFilter } from './pdf-filters.js';
import type { QpdfDict, QpdfObject, QpdfValue } from './qpdf-engine.js';

export type GraphKind = 'javascript' | 'launch' | 'embedded-files' | 'rich-media' | 'xfa' | 'unsafe-action';

export interface GraphFinding {
  kind: GraphKind;
  /** What it is, as a phrase: "a Launch action", "a link to another file (“\\\\host\\share”)". */
  what: string;
  /** Where a reader meets it: "when the document is opened (OpenAction)", "a link on page 2". */
  where: string;
  /** Whether anything from the trailer leads to it (an intact file's unreachable objects are never run). */
  reachable: boolean;
}

export interface GraphStream {
  ref: string;
  /** Canonical filter names in order, and their `/DecodeParms`. */
  filters: string[];
  parms: Array<Record<string, number | undefined> | undefined>;
  /** `/Length`: the stored (encoded) size. */
  length: number;
  image: boolean;
}

export interface GraphScan {
  findings: GraphFinding[];
  /** The XFA form's streams, in packet order (a single stream or the streams of the array). */
  xfa: string[];
  streams: GraphStream[];
}

/** Action types every reader handles inside the document and that start nothing outside it. */
const HARMLESS_ACTIONS: ReadonlySet<string> = new Set(['GoTo', 'Named', 'Thread', 'Hide', 'SetOCGState', 'Trans', 'GoToDp']);
const RICH_MEDIA_ACTIONS: Readonly<Record<string, string>> = {
  Rendition: 'a Rendition (media playback) action',
  Movie: 'a Movie action',
  Sound: 'a Sound action',
  RichMediaExecute: 'a RichMediaExecute action',
  GoTo3DView: 'a 3D view action',
};
/** Every action type of ISO 32000-2 §12.6.4: a dictionary with one of these as `/S` is an action wherever it is. */
const ACTION_TYPES: ReadonlySet<string> = new Set([
  ...HARMLESS_ACTIONS,
  ...Object.keys(RICH_MEDIA_ACTIONS),
  'JavaScript', 'Launch', 'URI', 'GoToR', 'GoToE', 'SubmitForm', 'ResetForm', 'ImportData', 'ECMAScript',
]);
const SAFE_URI = /^(https?:|mailto:)/i;

const ANNOTATION_MEDIA: Readonly<Record<string, string>> = {
  RichMedia: 'a RichMedia (Flash or video) annotation',
  '3D': 'a 3D annotation',
  Screen: 'a Screen (media player) annotation',
  Movie: 'a Movie annotation',
  Sound: 'a Sound annotation',
};

const DOCUMENT_EVENTS: Readonly<Record<string, string>> = {
  WC: 'when the document is closed',
  WS: 'before the document is saved',
  DS: 'after the document is saved',
  WP: 'before the document is printed',
  DP: 'after the document is printed',
};
const PAGE_EVENTS: Readonly<Record<string, string>> = { O: 'opened', C: 'closed' };
const ANNOTATION_EVENTS: Readonly<Record<string, string>> = {
  E: 'when the pointer enters it',
  X: 'when the pointer leaves it',
  D: 'when it is clicked',
  U: 'when it is clicked',
  Fo: 'when it gets the focus',
  Bl: 'when it loses the focus',
  PO: 'when its page is opened',
  PC: 'when its page is closed',
  PV: 'when its page becomes visible',
  PI: 'when its page stops being visible',
  K: 'when a key is pressed in it',
  F: 'when its value is formatted',
  V: 'when its value is checked',
  C: 'when it is recalculated',
};
/** Triggers that run without the reader doing anything but opening the document. */
const ON_OPEN_EVENTS: ReadonlySet<string> = new Set(['PO', 'PV']);

/** Bounds for walking hostile structures (deep nesting, long chains). */
const MAX_DEPTH = 64;
const MAX_PAGES = 100_000;

interface Context {
  where: string;
  /** The action would run as the document or a page opens. */
  onOpen: boolean;
}

const REF = /^\d+ \d+ R$/;

function isDict(value: QpdfValue | undefined): value is QpdfDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a qpdf JSON string (`u:` Unicode, `b:` hex bytes), or of a name without its slash. */
export function textOf(value: QpdfValue | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('u:')) return value.slice(2);
  if (value.startsWith('b:')) {
    const bytes = Buffer.from(value.slice(2), 'hex');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
    return bytes.toString('latin1');
  }
  if (value.startsWith('/')) return value.slice(1);
  return undefined;
}

function quoted(value: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const text = (value ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() || 'unnamed';
  return `“${text.length > 60 ? `${text.slice(0, 57)}…` : text}”`;
}

class GraphWalker {
  readonly findings: GraphFinding[] = [];
  private readonly visited = new Set<string>();
  private readonly seen = new Set<string>();
  /** Back-references (`/Parent`, `/P`, `/Dest`), followed after the paths that name places better. */
  private readonly deferred: Array<[QpdfValue, Context]> = [];
  private reachable = true;

  constructor(
    private readonly objects: ReadonlyMap<string, QpdfObject>,
    private readonly trailer: QpdfDict,
    private readonly superseded: ReadonlyMap<string, string>,
  ) {}

  resolve(value: QpdfValue | undefined, depth = 0): QpdfValue | undefined {
    let current = value;
    for (let hops = depth; typeof current === 'string' && REF.test(current) && hops < MAX_DEPTH; hops++) {
      current = this.objects.get(current)?.value;
    }
    return typeof current === 'string' && REF.test(current) ? undefined : current;
  }

  private dict(value: QpdfValue | undefined): QpdfDict | undefined {
    const resolved = this.resolve(value);
    return isDict(resolved) ? resolved : undefined;
  }

  private name(value: QpdfValue | undefined): string | undefined {
    const resolved = this.resolve(value);
    return typeof resolved === 'string' && resolved.startsWith('/') ? resolved.slice(1) : undefined;
  }

  private text(value: QpdfValue | undefined): string | undefined {
    return textOf(this.resolve(value));
  }

  private add(kind: GraphKind, what: string, ctx: Context): void {
    const key = `${kind}\u0000${what}\u0000${ctx.where}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push({ kind, what, where: ctx.where, reachable: this.reachable });
  }

  /** A file specification's name: a string, or `/UF`/`/F`/`/DOS`/`/Unix` of a dictionary. */
  private fileName(value: QpdfValue | undefined): string | undefined {
    const resolved = this.resolve(value);
    if (typeof resolved === 'string') return this.text(resolved);
    if (!isDict(resolved)) return undefined;
    for (const key of ['/UF', '/F', '/DOS', '/Unix', '/Mac']) {
      const name = this.text(resolved[key]);
      if (name !== undefined) return name;
    }
    return undefined;
  }

  /** Classifies one action dictionary by the allow-list. */
  private action(action: QpdfDict, ctx: Context): void {
    const type = this.name(action['/S']);
    if (type === undefined) return;
    if (HARMLESS_ACTIONS.has(type)) return;
    if (type === 'JavaScript' || type === 'ECMAScript') return this.add('javascript', 'a JavaScript action', ctx);
    if (type === 'Launch') return this.add('launch', 'a Launch action', ctx);
    if (RICH_MEDIA_ACTIONS[type]) return this.add('rich-media', RICH_MEDIA_ACTIONS[type], ctx);
    if (type === 'URI') {
      // eslint-disable-next-line no-control-regex
      const uri = (this.text(action['/URI']) ?? '').replace(/[\u0000-\u0020]+/g, '');
      if (SAFE_URI.test(uri)) return;
      if (/^javascript:/i.test(uri)) return this.add('javascript', 'a javascript: link', ctx);
      return this.add('unsafe-action', `a link to ${quoted(uri)} (only http, https and mailto links are allowed)`, ctx);
    }
    if (type === 'GoToR' || type === 'GoToE') {
      const target = this.fileName(action['/F']);
      if (type === 'GoToE' && action['/F'] === undefined) return; // a file embedded in this one (reported as an attachment)
      const unc = target !== undefined && /^(\\\\|\/\/)/.test(target) ? ', a network path that leaks the reader’s credentials' : '';
      return this.add('unsafe-action', `a link that opens another file (${type} to ${quoted(target)}${unc})`, ctx);
    }
    if (type === 'SubmitForm') {
      return this.add('unsafe-action', `a form submission (SubmitForm to ${quoted(this.fileName(action['/F']))})`, ctx);
    }
    if (type === 'ImportData') return this.add('unsafe-action', `a data import (ImportData from ${quoted(this.fileName(action['/F']))})`, ctx);
    if (type === 'ResetForm') {
      if (ctx.onOpen) this.add('unsafe-action', 'a form reset that runs when the document or a page opens (ResetForm)', ctx);
      return;
    }
    this.add('unsafe-action', `an action of a type readers do not agree on (/${type})`, ctx);
  }

  /**
   * Visits a value: classifies every dictionary in it and follows references to objects not yet
   * visited, which then take this context as where they are.
   */
  visit(value: QpdfValue | undefined, ctx: Context, depth = 0): void {
    if (value === undefined || value === null || depth > MAX_DEPTH) return;
    if (typeof value === 'string') {
      if (!REF.test(value) || this.visited.has(value)) return;
      const object = this.objects.get(value);
      if (!object) return;
      this.visited.add(value);
      this.visit(object.value, ctx, depth + 1);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, ctx, depth + 1);
      return;
    }
    if (!isDict(value)) return;
    const type = this.name(value['/S']);
    const isAction = this.name(value['/Type']) === 'Action' || (type !== undefined && ACTION_TYPES.has(type));
    if (isAction) this.action(value, ctx);
    if (value['/JS'] !== undefined && !(isAction && type === 'JavaScript')) this.add('javascript', 'JavaScript code (a /JS entry)', ctx);
    const subtype = this.name(value['/Subtype']);
    if (subtype && ANNOTATION_MEDIA[subtype]) this.add('rich-media', ANNOTATION_MEDIA[subtype], ctx);
    if (subtype === 'FileAttachment') this.add('embedded-files', 'a file attachment annotation', ctx);
    if (this.dict(value['/EF'])) this.add('embedded-files', `an embedded file ${quoted(this.fileName(value))}`, ctx);
    if (this.name(value['/Type']) === 'EmbeddedFile') this.add('embedded-files', 'an embedded file stream', ctx);
    if (value['/EmbeddedFiles'] !== undefined) this.add('embedded-files', 'the EmbeddedFiles name tree', ctx);
    for (const [key, item] of Object.entries(value)) {
      if (key === '/Parent' || key === '/P' || key === '/Dest') this.deferred.push([item, ctx]);
      else this.visit(item, ctx, depth + 1);
    }
  }

  /** Visits a trigger dictionary (`/AA`) with each event's own description. */
  private triggers(aa: QpdfValue | undefined, describe: (event: string) => Context): void {
    const events = this.dict(aa);
    if (!events) return;
    for (const [key, action] of Object.entries(events)) this.visit(action, describe(key.slice(1)));
  }

  private catalog(): QpdfDict | undefined {
    return this.dict(this.trailer['/Root']);
  }

  walkDocument(catalog: QpdfDict): void {
    const form = this.dict(catalog['/AcroForm']);
    if (form?.['/XFA'] !== undefined) this.add('xfa', 'an XFA form', { where: 'in the form (/XFA)', onOpen: false });
    this.visit(catalog['/OpenAction'], { where: 'when the document is opened (OpenAction)', onOpen: true });
    this.triggers(catalog['/AA'], (event) => ({ where: DOCUMENT_EVENTS[event] ?? `on the document event /${event}`, onOpen: false }));
    const names = this.dict(catalog['/Names']);
    this.nameTree(names?.['/JavaScript'], (name) => ({ where: `in the document-level script ${quoted(name)}`, onOpen: true }));
    this.nameTree(names?.['/EmbeddedFiles'], (name) => ({ where: `the attachment ${quoted(name)}`, onOpen: false }));
  }

  walkPages(catalog: QpdfDict): void {
    let number = 0;
    const queue: QpdfValue[] = [catalog['/Pages'] ?? null];
    const seenNodes = new Set<QpdfDict>();
    // Depth-first, in document order.
    while (queue.length > 0 && number < MAX_PAGES) {
      const node = this.dict(queue.shift());
      if (!node || seenNodes.has(node)) continue;
      seenNodes.add(node);
      const kids = this.resolve(node['/Kids']);
      if (Array.isArray(kids) && this.name(node['/Type']) !== 'Page') {
        queue.unshift(...kids);
        continue;
      }
      number++;
      const page = number;
      this.triggers(node['/AA'], (event) => ({ where: `when page ${page} is ${PAGE_EVENTS[event] ?? `shown (/${event})`}`, onOpen: event === 'O' }));
      const annots = this.resolve(node['/Annots']);
      for (const annot of Array.isArray(annots) ? annots : []) this.annotation(annot, page);
    }
  }

  private annotation(ref: QpdfValue, page: number): void {
    const annot = this.dict(ref);
    if (!annot) return;
    const subtype = this.name(annot['/Subtype']);
    const field = subtype === 'Widget' ? this.fieldName(annot) : undefined;
    const where =
      subtype === 'Link'
        ? `a link on page ${page}`
        : field !== undefined
          ? `the form field ${quoted(field)} on page ${page}`
          : `a ${subtype ?? 'untyped'} annotation on page ${page}`;
    this.triggers(annot['/AA'], (event) => ({ where: `${where}, ${ANNOTATION_EVENTS[event] ?? `on /${event}`}`, onOpen: ON_OPEN_EVENTS.has(event) }));
    this.visit(ref, { where, onOpen: false });
  }

  /** A form field's full name: the `/T`s of it and its parents, joined with dots. */
  private fieldName(field: QpdfDict): string | undefined {
    const parts: string[] = [];
    let current: QpdfDict | undefined = field;
    for (let depth = 0; current && depth < MAX_DEPTH; depth++) {
      const part = this.text(current['/T']);
      if (part !== undefined) parts.unshift(part);
      current = this.dict(current['/Parent']);
    }
    return parts.length > 0 ? parts.join('.') : undefined;
  }

  walkFields(catalog: QpdfDict): void {
    const form = this.dict(catalog['/AcroForm']);
    const queue: QpdfValue[] = [...((this.resolve(form?.['/Fields']) as QpdfValue[] | undefined) ?? [])];
    const seenFields = new Set<QpdfDict>();
    while (queue.length > 0) {
      const ref = queue.shift()!;
      const field = this.dict(ref);
      if (!field || seenFields.has(field)) continue;
      seenFields.add(field);
      const where = `the form field ${quoted(this.fieldName(field))}`;
      this.triggers(field['/AA'], (event) => ({ where: `${where}, ${ANNOTATION_EVENTS[event] ?? `on /${event}`}`, onOpen: ON_OPEN_EVENTS.has(event) }));
      this.visit(field['/A'], { where, onOpen: false });
      const kids = this.resolve(field['/Kids']);
      if (Array.isArray(kids)) queue.push(...kids);
    }
  }

  walkOutlines(catalog: QpdfDict): void {
    const outlines = this.dict(catalog['/Outlines']);
    const stack: QpdfValue[] = [outlines?.['/First'] ?? null];
    const seenItems = new Set<QpdfDict>();
    while (stack.length > 0 && seenItems.size < MAX_PAGES) {
      const item = this.dict(stack.pop());
      if (!item || seenItems.has(item)) continue;
      seenItems.add(item);
      this.visit(item['/A'], { where: `the bookmark ${quoted(this.text(item['/Title']))}`, onOpen: false });
      stack.push(item['/Next'] ?? null, item['/First'] ?? null);
    }
  }

  /** Visits each value of a name tree with a context built from its name. */
  private nameTree(root: QpdfValue | undefined, describe: (name: string | undefined) => Context): void {
    const stack: QpdfValue[] = [root ?? null];
    const seenNodes = new Set<QpdfDict>();
    while (stack.length > 0 && seenNodes.size < MAX_PAGES) {
      const node = this.dict(stack.pop());
      if (!node || seenNodes.has(node)) continue;
      seenNodes.add(node);
      const names = this.resolve(node['/Names']);
      if (Array.isArray(names)) for (let i = 0; i + 1 < names.length; i += 2) this.visit(names[i + 1], describe(this.text(names[i])));
      const kids = this.resolve(node['/Kids']);
      if (Array.isArray(kids)) stack.push(...kids);
    }
  }

  /** The XFA form's streams, in packet order. */
  xfaStreams(): string[] {
    const xfa = this.dict(this.catalog()?.['/AcroForm'])?.['/XFA'];
    const resolved = typeof xfa === 'string' && REF.test(xfa) && this.objects.get(xfa)?.stream ? xfa : this.resolve(xfa);
    if (typeof resolved === 'string' && REF.test(resolved)) return [resolved];
    if (!Array.isArray(resolved)) return [];
    return resolved.filter((item, i): item is string => i % 2 === 1 && typeof item === 'string' && REF.test(item));
  }

  walk(): void {
    const catalog = this.catalog();
    if (catalog) {
      this.walkDocument(catalog);
      this.walkPages(catalog);
      this.walkFields(catalog);
      this.walkOutlines(catalog);
      this.visit(this.trailer['/Root'], { where: 'in the document catalog', onOpen: false });
    }
    this.visit(this.trailer, { where: 'in the file trailer', onOpen: false });
    for (let i = 0; i < this.deferred.length; i++) this.visit(...this.deferred[i]!);
    // Whatever no path from the trailer reached: still classified, named by its object number.
    this.reachable = false;
    for (const ref of this.objects.keys()) {
      if (this.visited.has(ref)) continue;
      const earlier = this.superseded.get(ref);
      const where = earlier
        ? `in an earlier definition of object ${earlier}, which a later one replaces`
        : `in object ${ref.replace(/ R$/, '')}, which nothing in the document refers to`;
      this.visit(ref, { where, onOpen: false });
    }
  }

  streams(): GraphStream[] {
    const streams: GraphStream[] = [];
    for (const object of this.objects.values()) {
      if (!object.stream || !isDict(object.value)) continue;
      const dict = object.value;
      const filter = this.resolve(dict['/Filter']);
      const filters = (Array.isArray(filter) ? filter : [filter]).map((f) => this.name(f)).filter((f): f is string => f !== undefined).map(canonicalFilter);
      const parmsValue = this.resolve(dict['/DecodeParms']);
      const parmsList = Array.isArray(parmsValue) ? parmsValue : [parmsValue];
      const parms = filters.map((_, i) => {
        const p = this.dict(parmsList[i]);
        if (!p) return undefined;
        const numbers: Record<string, number | undefined> = {};
        for (const [key, item] of Object.entries(p)) {
          const resolved = this.resolve(item);
          if (typeof resolved === 'number') numbers[key.slice(1)] = resolved;
        }
        return numbers;
      });
      const length = this.resolve(dict['/Length']);
      streams.push({
        ref: object.ref,
        filters,
        parms,
        length: typeof length === 'number' ? length : 0,
        image: this.name(dict['/Subtype']) === 'Image',
      });
    }
    return streams;
  }
}

/**
 * Classifies every object of the graph; lists the XFA streams and every stream's filters.
 * `superseded` names objects that stand for an earlier definition of another (a rebuilt table's copies).
 */
export function scanGraph(objects: ReadonlyMap<string, QpdfObject>, trailer: QpdfDict, superseded: ReadonlyMap<string, string> = new Map()): GraphScan {
  const walker = new GraphWalker(objects, trailer, superseded);
  walker.walk();
  return { findings: walker.findings, xfa: walker.xfaStreams(), streams: walker.streams() };
}
