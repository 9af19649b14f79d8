/**
 * The object-store port: one bucket. Implemented by the S3 adapter and by the filesystem twin;
 * both pass `tests/contract/object-store.contract.ts`.
 */
import { LecternError } from '../contract/errors.js';

export interface ObjectHead {
  key: string;
  size: number;
  /** Opaque entity tag, without quotes. Changes whenever the bytes change. */
  etag: string;
  /** Version id where the bucket is versioned; undefined otherwise. */
  versionId?: string;
  contentType?: string;
  lastModified: Date;
}

export interface PutOptions {
  contentType?: string;
  cacheControl?: string;
  metadata?: Record<string, string>;
  /**
   * Conditional write. `ifMatch`: only if the current ETag is this one; `ifNoneMatch: '*'`: only
   * if the key does not exist. A failed condition throws `PreconditionFailedError`.
   */
  ifMatch?: string;
  ifNoneMatch?: '*';
}

/** The headers a copy gets (S3 `MetadataDirective: REPLACE`): not the source's. */
export type CopyOptions = Pick<PutOptions, 'contentType' | 'cacheControl' | 'metadata'>;

export interface ObjectStore {
  /** The bucket's name (the folder's path for the twin); goes into events and reports. */
  readonly bucket: string;
  /** Metadata, or `undefined` when there is no such key. */
  head(key: string): Promise<ObjectHead | undefined>;
  /** The whole object, or `undefined` when there is no such key. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Bytes `[start, end]` inclusive (HTTP Range semantics); short when the object is shorter. */
  getRange(key: string, start: number, end: number): Promise<Uint8Array | undefined>;
  /** Writes the object; returns its new ETag. */
  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<{ etag: string }>;
  /**
   * Copies `sourceKey` to `targetKey` in this bucket without the bytes passing through this
   * process (S3 CopyObject, up to 5 GB an object). Returns the copy's ETag (the source's, unless
   * S3 stored the source in parts), or `undefined` when there is no source.
   */
  copy(sourceKey: string, targetKey: string, options?: CopyOptions): Promise<{ etag: string } | undefined>;
  /** Every key under the prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes the key; no error when it does not exist. */
  delete(key: string): Promise<void>;
}

/** A conditional put whose condition did not hold. */
export class PreconditionFailedError extends LecternError {
  readonly code = 'store.precondition-failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PreconditionFailedError';
  }
}
