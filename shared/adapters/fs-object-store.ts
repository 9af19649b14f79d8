/**
 * The object store's local twin: one folder is one bucket. Educators (and `lectern dev`) drop
 * plain files into it, so metadata the filesystem cannot hold (content type, cache control,
 * user metadata) lives in a sidecar tree `<root>/.meta/`, and the ETag is the MD5 of the bytes,
 * as S3 computes it for single-part uploads.
 *
 * A versioned store (the upload bucket, as on AWS) also gives every write a version id: the
 * modification time and the ETag of the file, so a file written again — even with bytes it held
 * before (a revert, A → B → A) — is a new version, while an untouched file keeps its version.
 *
 * Writes go to a temporary file and are renamed into place, so a reader never sees half an
 * object. Conditional writes are atomic within one process (one `lectern` process owns a state
 * directory).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KeyedQueue } from '../util/keyed-queue.js';
import { PreconditionFailedError, type CopyOptions, type ObjectHead, type ObjectStore, type PutOptions } from '../ports/object-store.js';
import { InternalError } from '../contract/errors.js';

interface Sidecar {
  etag: string;
  size: number;
  mtimeMs: number;
  contentType?: string;
  cacheControl?: string;
  metadata?: Record<string, string>;
}

const META_DIR = '.meta';

export class FsObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly #root: string;
  readonly #queue = new KeyedQueue();
  readonly #versioned: boolean;

  /**
   * `bucket` names the store in events and ids (default: the folder's absolute path); `versioned`
   * gives heads a version id, as a bucket with versioning enabled does.
   */
  constructor(root: string, options: { bucket?: string; versioned?: boolean } = {}) {
    this.#root = path.resolve(root);
    this.bucket = options.bucket ?? this.#root;
    this.#versioned = options.versioned ?? false;
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    const file = this.#path(key);
    const info = await stat(file).catch(notFound);
    if (!info?.isFile()) return undefined;
    const sidecar = await this.#readSidecar(key);
    const fresh = sidecar && sidecar.size === info.size && sidecar.mtimeMs === info.mtimeMs;
    const etag = fresh ? sidecar.etag : await md5File(file);
    return {
      key,
      size: info.size,
      etag,
      ...(this.#versioned ? { versionId: fileVersionId(info.mtimeMs, etag) } : {}),
      lastModified: info.mtime,
      ...(fresh && sidecar.contentType ? { contentType: sidecar.contentType } : {}),
    };
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const bytes = await readFile(this.#path(key)).catch(notFound);
    return bytes ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined;
  }

  async getRange(key: string, start: number, end: number): Promise<Uint8Array | undefined> {
    const handle = await open(this.#path(key), 'r').catch(notFound);
    if (!handle) return undefined;
    try {
      const length = Math.max(0, end - start + 1);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, start);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<{ etag: string }> {
    return this.#queue.run(key, async () => {
      if (options.ifMatch !== undefined || options.ifNoneMatch !== undefined) {
        const current = await this.head(key);
        if (options.ifNoneMatch === '*' && current) throw new PreconditionFailedError(`${key} already exists`);
        if (options.ifMatch !== undefined && current?.etag !== options.ifMatch) {
          throw new PreconditionFailedError(`${key} changed (expected ETag ${options.ifMatch}, found ${current?.etag ?? 'none'})`);
        }
      }
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      const file = this.#path(key);
      const temp = `${file}.${randomUUID()}.tmp`;
      await writeInFolder(temp, bytes);
      await rename(temp, file);
      const info = await stat(file);
      const etag = createHash('md5').update(bytes).digest('hex');
      await this.#writeSidecar(key, { etag, size: info.size, mtimeMs: info.mtimeMs }, options);
      return { etag };
    });
  }

  async copy(sourceKey: string, targetKey: string, options: CopyOptions = {}): Promise<{ etag: string } | undefined> {
    return this.#queue.run(targetKey, async () => {
      const source = await this.head(sourceKey);
      if (!source) return undefined;
      const file = this.#path(targetKey);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${randomUUID()}.tmp`;
      // copyFile clones the extent where the filesystem can (reflink), else copies in the kernel.
      const copied = await copyFile(this.#path(sourceKey), temp).then(() => true, (error: NodeJS.ErrnoException) => notFound(error) ?? false);
      if (!copied) return undefined;
      await rename(temp, file);
      const info = await stat(file);
      await this.#writeSidecar(targetKey, { etag: source.etag, size: info.size, mtimeMs: info.mtimeMs }, options);
      return { etag: source.etag };
    });
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string, relative: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(notFound);
      for (const entry of entries ?? []) {
        if (entry.name === META_DIR && relative === '') continue;
        if (entry.name.endsWith('.tmp')) continue;
        const key = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (prefix.startsWith(`${key}/`) || key.startsWith(prefix) || prefix === '') await walk(path.join(dir, entry.name), key);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          keys.push(key);
        }
      }
    };
    await walk(this.#root, '');
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await this.#queue.run(key, async () => {
      await rm(this.#path(key), { force: true });
      await rm(this.#sidecarPath(key), { force: true });
    });
  }

  /** The file behind a key (for the local static server and tests). */
  filePath(key: string): string {
    return this.#path(key);
  }

  async #writeSidecar(key: string, file: Pick<Sidecar, 'etag' | 'size' | 'mtimeMs'>, options: CopyOptions): Promise<void> {
    const sidecar: Sidecar = {
      ...file,
      ...(options.contentType ? { contentType: options.contentType } : {}),
      ...(options.cacheControl ? { cacheControl: options.cacheControl } : {}),
      ...(options.metadata ? { metadata: options.metadata } : {}),
    };
    await writeInFolder(this.#sidecarPath(key), JSON.stringify(sidecar));
  }

  async #readSidecar(key: string): Promise<Sidecar | undefined> {
    const text = await readFile(this.#sidecarPath(key), 'utf8').catch(notFound);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as Sidecar;
    } catch {
      return undefined; // a torn sidecar is recomputed from the bytes
    }
  }

  #path(key: string): string {
    return path.join(this.#root, safeRelative(key));
  }

  #sidecarPath(key: string): string {
    return path.join(this.#root, META_DIR, `${safeRelative(key)}.json`);
  }
}

function safeRelative(key: string): string {
  const segments = key.split('/');
  if (key.length === 0 || segments.some((segment) => segment === '' || segment === '.' || segment === '..') || segments[0] === META_DIR) {
    throw new InternalError(`Invalid object key for the local store: "${key}"`);
  }
  return path.join(...segments);
}

/** Writes the file, creating its folder only when it is missing (not a recursive mkdir per write). */
async function writeInFolder(file: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeFile(file, data);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, data);
  }
}

function notFound(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
  throw error;
}

async function md5File(file: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A file's version: when it was last written and what it holds (sub-millisecond mtime, so two writes apart). */
function fileVersionId(mtimeMs: number, etag: string): string {
  return createHash('sha256').update(`${mtimeMs}\n${etag}`).digest('hex').slice(0, 32);
}
