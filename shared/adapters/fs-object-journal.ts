/**
 * What the filesystem twin of the object store knows about its objects beyond their bytes (the
 * ETag, and the content type, cache control and user metadata a put was given), kept as one
 * append-only journal per store: `<root>/.meta/journal.jsonl`, one JSON line per write or delete.
 *
 * It replaced a sidecar file per object (`<root>/.meta/<key>.json`), which made every write create
 * two files and their folders. On a disk, creating a file is what a small write costs most (see
 * BENCHMARKS.md, "CLI cost: what is left, and why"); appending a line to a file that exists is not.
 * Sidecars written by an earlier lectern are still read for keys the journal does not name.
 *
 * Each reader keeps the journal's entries in memory and, before answering, reads what was appended
 * since it last looked (one `stat`, and a read only when the file grew), so two stores over the same
 * folder in one process, or another process writing to it, stay in step. An entry is a cache, never
 * the truth: the store uses it only while the file's size and modification time still match it, so
 * a file edited by hand, a torn last line after a crash or a lost entry only costs an MD5 of the
 * bytes. When superseded lines outnumber live ones (by SLACK_LINES), the journal is rewritten with
 * only the live entries (to a temporary file renamed into place), so it stays the size of the
 * store, not of its history.
 *
 * A reader's first look reads the whole journal, a line per object: only each line's key is taken
 * then, and a line is parsed when its object is first asked about. A command's start asks about a
 * few objects of a store that holds every upload so far (a thousand uploads: ~1 MB of journal, ~7 ms
 * of JSON.parse per start, now ~1.5 ms).
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { inFolderSync, writeAsideSync } from '../util/in-folder.js';

export interface ObjectMeta {
  etag: string;
  size: number;
  mtimeMs: number;
  contentType?: string;
  cacheControl?: string;
  metadata?: Record<string, string>;
}

/** One journal line: a key and its metadata, or a key and `deleted`. */
type Line = { key: string; deleted: true } | ({ key: string } & ObjectMeta);

/** How JSON.stringify begins every line the journal writes, and ends a delete's. */
const KEY_PREFIX = '{"key":"';
const DELETED_SUFFIX = '","deleted":true}';

export const JOURNAL_FILE = 'journal.jsonl';

/** Superseded lines beyond this many (and beyond the live entries) make the journal be rewritten. */
const SLACK_LINES = 1000;

export class ObjectJournal {
  readonly #dir: string;
  readonly #file: string;
  /** Each key's metadata, or its journal line not parsed yet (see above). */
  readonly #entries = new Map<string, ObjectMeta | string>();
  /** The journal file this reader has read (its inode) and how far (bytes, always at a line's end). */
  #ino = -1;
  #offset = 0;
  /** Bytes after #offset with no line end yet: a line being written, or one a crash tore. */
  #torn = 0;
  /** Lines read or written since the journal was last rewritten (live and superseded). */
  #lines = 0;
  /** Whether the folder holds sidecars from before the journal (checked once). */
  #legacy: boolean | undefined;

  constructor(metaDir: string) {
    this.#dir = metaDir;
    this.#file = path.join(metaDir, JOURNAL_FILE);
  }

  get(key: string): ObjectMeta | undefined {
    this.#catchUp();
    const entry = this.#entries.get(key);
    if (entry === undefined) return this.#legacySidecar(key);
    if (typeof entry !== 'string') return entry;
    const meta = parseLine(entry);
    if (meta) this.#entries.set(key, meta);
    else this.#entries.delete(key); // a line torn by a crash: the ETag is computed from the bytes
    return meta ?? this.#legacySidecar(key);
  }

  set(key: string, meta: ObjectMeta): void {
    this.#append({ key, ...meta });
    this.#entries.set(key, meta);
  }

  delete(key: string): void {
    this.#append({ key, deleted: true });
    this.#entries.delete(key);
    if (this.#hasLegacy()) rmSync(this.#legacyPath(key), { force: true });
  }

  /** Reads the lines appended since the last look; starts over when the journal was replaced or removed. */
  #catchUp(): void {
    const info = statSync(this.#file, { throwIfNoEntry: false });
    if (!info) {
      if (this.#ino !== -1) this.#reset(-1);
      return;
    }
    if (info.ino !== this.#ino || info.size < this.#offset) this.#reset(info.ino);
    if (info.size > this.#offset) this.#read(info.size);
    this.#torn = info.size - this.#offset;
  }

  #reset(ino: number): void {
    this.#entries.clear();
    this.#ino = ino;
    this.#offset = 0;
    this.#torn = 0;
    this.#lines = 0;
  }

  #read(size: number): void {
    let fd: number;
    try {
      fd = openSync(this.#file, 'r');
    } catch {
      return; // replaced or removed since the stat: the next look starts over
    }
    try {
      const buffer = Buffer.allocUnsafe(size - this.#offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.#offset);
      if (read === 0) return;
      const end = buffer.lastIndexOf(0x0a, read - 1) + 1; // a line still being written is read next time
      if (end === 0) return;
      this.#apply(buffer.subarray(0, end).toString('utf8'));
      this.#offset += end;
    } finally {
      closeSync(fd);
    }
  }

  #apply(text: string): void {
    for (const raw of text.split('\n')) {
      if (raw === '') continue;
      this.#lines++;
      // Most lines: the key read without parsing the line (JSON.stringify writes it first), the
      // line kept whole for `get`. A key with an escape in it is left to JSON.parse.
      const end = raw.startsWith(KEY_PREFIX) ? raw.indexOf('"', KEY_PREFIX.length) : -1;
      const key = end < 0 ? '' : raw.slice(KEY_PREFIX.length, end);
      if (end > 0 && !key.includes('\\')) {
        if (raw.length === end + DELETED_SUFFIX.length && raw.endsWith(DELETED_SUFFIX)) this.#entries.delete(key);
        else this.#entries.set(key, raw);
        continue;
      }
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue; // a line torn by a crash: its object's ETag is computed from the bytes
      }
      if (typeof line.key !== 'string') continue;
      if ('deleted' in line) {
        this.#entries.delete(line.key);
      } else {
        const { key, ...meta } = line;
        this.#entries.set(key, meta);
      }
    }
  }

  #append(line: Line): void {
    this.#catchUp();
    // After a torn line, a line end first, so that this line is not glued to the torn one's rest.
    const bytes = Buffer.from(`${this.#torn > 0 ? '\n' : ''}${JSON.stringify(line)}\n`, 'utf8');
    const fd = inFolderSync(this.#file, () => openSync(this.#file, 'a'));
    try {
      // One write of one line: appends from other writers land before or after it, never inside.
      writeSync(fd, bytes);
      const info = fstatSync(fd);
      if (info.ino !== this.#ino) {
        // The journal was made (or replaced) just now: read it from its start at the next look.
        this.#reset(info.ino);
        return;
      }
      // Only when nobody else appended meanwhile is this line the end of what this reader has read.
      if (this.#torn === 0 && info.size === this.#offset + bytes.length) {
        this.#offset = info.size;
        this.#lines++;
      }
    } finally {
      closeSync(fd);
    }
    if (this.#lines > 2 * this.#entries.size + SLACK_LINES) {
      try {
        this.#rewrite();
      } catch {
        // The line is written; a journal left long (its folder removed meanwhile, a full disk) is
        // rewritten at a later write.
      }
    }
  }

  /** Rewrites the journal with only its live entries, renamed into place. */
  #rewrite(): void {
    this.#catchUp(); // lines another writer appended since are kept
    const text = [...this.#entries]
      .flatMap(([key, entry]) => {
        const meta = typeof entry === 'string' ? parseLine(entry) : entry;
        return meta ? [JSON.stringify({ key, ...meta })] : []; // a torn line is not carried over
      })
      .join('\n');
    writeAsideSync(this.#file, text ? `${text}\n` : '');
    const info = statSync(this.#file);
    this.#ino = info.ino;
    this.#offset = info.size;
    this.#torn = 0;
    this.#lines = this.#entries.size;
  }

  #hasLegacy(): boolean {
    this.#legacy ??= (() => {
      try {
        return readdirSync(this.#dir).some((name) => name !== JOURNAL_FILE && !name.endsWith('.tmp'));
      } catch {
        return false;
      }
    })();
    return this.#legacy;
  }

  #legacyPath(key: string): string {
    return path.join(this.#dir, `${key}.json`);
  }

  /** A sidecar an earlier lectern wrote for this key, if the folder has any. */
  #legacySidecar(key: string): ObjectMeta | undefined {
    if (!this.#hasLegacy()) return undefined;
    try {
      return JSON.parse(readFileSync(this.#legacyPath(key), 'utf8')) as ObjectMeta;
    } catch {
      return undefined; // none, or torn: the ETag is computed from the bytes
    }
  }
}

/** A journal line's metadata, or undefined for a line a crash tore. */
function parseLine(raw: string): ObjectMeta | undefined {
  try {
    const { key: _key, ...meta } = JSON.parse(raw) as { key: string } & ObjectMeta;
    return typeof meta.etag === 'string' ? meta : undefined;
  } catch {
    return undefined;
  }
}
