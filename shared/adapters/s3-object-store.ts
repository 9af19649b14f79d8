/**
 * The object-store port over Amazon S3 (and any S3-protocol server: s3rver in the contract tests).
 * The client comes in from outside: in AWS it is built once per container; tests point one at
 * s3rver with `forcePathStyle: true` and `requestChecksumCalculation: 'WHEN_REQUIRED'`.
 *
 * Errors: a missing key is `undefined`, a failed condition is `PreconditionFailedError`, and what
 * a retry can cure (throttling, 5xx, timeouts, lost connections — classified as the SDK's own
 * retry strategy does, after it has retried) is `DependencyUnavailableError`, which the state
 * machine retries. Everything else (access denied, no such bucket) propagates unchanged.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { DependencyUnavailableError, InternalError } from '../contract/errors.js';
import { PreconditionFailedError, type CopyOptions, type ObjectHead, type ObjectStore, type PutOptions } from '../ports/object-store.js';

export interface S3ObjectStoreOptions {
  /** Keys per ListObjectsV2 page (S3's maximum and default is 1000); small values test paging. */
  pageSize?: number;
}

export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly #client: S3Client;
  readonly #pageSize: number | undefined;

  constructor(client: S3Client, bucket: string, options: S3ObjectStoreOptions = {}) {
    this.#client = client;
    this.bucket = bucket;
    this.#pageSize = options.pageSize;
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    try {
      const out = await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        key,
        size: out.ContentLength ?? 0,
        etag: unquote(out.ETag),
        lastModified: out.LastModified ?? new Date(0),
        ...(out.VersionId && out.VersionId !== 'null' ? { versionId: out.VersionId } : {}),
        ...(out.ContentType ? { contentType: out.ContentType } : {}),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw translate(error, `reading the metadata of ${key}`);
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw translate(error, `reading ${key}`);
    }
  }

  async getRange(key: string, start: number, end: number): Promise<Uint8Array | undefined> {
    if (!Number.isInteger(start) || start < 0 || !Number.isInteger(end)) {
      throw new RangeError(`Invalid byte range ${start}-${end} for ${key}`);
    }
    if (end < start) return (await this.head(key)) ? new Uint8Array() : undefined;
    try {
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${start}-${end}` }));
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      // Trust the bytes, not the server's reading of Range: one that ignores it (200, everything)
      // or widens it (s3rver reads `bytes=0-0` as "from 0") is cut to what was asked.
      const from = contentRangeStart(out.ContentRange) ?? 0;
      return bytes.subarray(start - from, end - from + 1);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      // 416: the range starts at or past the end (or the object is empty): nothing to return.
      if (status(error) === 416 || nameOf(error) === 'InvalidRange') return new Uint8Array();
      throw translate(error, `reading bytes ${start}-${end} of ${key}`);
    }
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<{ etag: string }> {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    try {
      const out = await this.#client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          ...(options.contentType ? { ContentType: options.contentType } : {}),
          ...(options.cacheControl ? { CacheControl: options.cacheControl } : {}),
          ...(options.metadata ? { Metadata: options.metadata } : {}),
          // HTTP entity tags are quoted on the wire; the port's are not.
          ...(options.ifMatch !== undefined ? { IfMatch: `"${unquote(options.ifMatch)}"` } : {}),
          ...(options.ifNoneMatch !== undefined ? { IfNoneMatch: options.ifNoneMatch } : {}),
        }),
      );
      return { etag: unquote(out.ETag) };
    } catch (error) {
      // 412: the condition did not hold. 409 ConditionalRequestConflict: another conditional write
      // to the key won the race while ours was in flight — the same outcome for the caller.
      const code = status(error);
      if (code === 412 || nameOf(error) === 'PreconditionFailed' || (code === 409 && nameOf(error) === 'ConditionalRequestConflict')) {
        throw new PreconditionFailedError(`Conditional write to ${key} failed: ${describe(error)}`, { cause: error });
      }
      throw translate(error, `writing ${key}`);
    }
  }

  async copy(sourceKey: string, targetKey: string, options: CopyOptions = {}): Promise<{ etag: string } | undefined> {
    try {
      const out = await this.#client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: targetKey,
          // The copy source is a URL path: each segment encoded, the slashes kept.
          CopySource: `${this.bucket}/${sourceKey.split('/').map(encodeURIComponent).join('/')}`,
          MetadataDirective: 'REPLACE',
          ...(options.contentType ? { ContentType: options.contentType } : {}),
          ...(options.cacheControl ? { CacheControl: options.cacheControl } : {}),
          ...(options.metadata ? { Metadata: options.metadata } : {}),
        }),
      );
      return { etag: unquote(out.CopyObjectResult?.ETag) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw translate(error, `copying ${sourceKey} to ${targetKey}`);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let continuationToken: string | undefined;
    do {
      let page;
      try {
        page = await this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            ...(this.#pageSize ? { MaxKeys: this.#pageSize } : {}),
            ...(continuationToken ? { ContinuationToken: continuationToken } : {}),
          }),
        );
      } catch (error) {
        throw translate(error, `listing ${prefix || 'the bucket'}`);
      }
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      if (page.IsTruncated && !page.NextContinuationToken) {
        throw new InternalError(`S3 said the listing of ${prefix || 'the bucket'} is truncated but gave no continuation token`, { code: 'dependency.unexpected-answer' });
      }
      if (page.IsTruncated && page.NextContinuationToken === continuationToken) {
        throw new InternalError(`S3 returned the same continuation token twice while listing ${prefix || 'the bucket'}`, { code: 'dependency.unexpected-answer' });
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    // The same order as the filesystem twin (code-unit order); duplicates would be a server bug.
    return [...new Set(keys)].sort();
  }

  async delete(key: string): Promise<void> {
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw translate(error, `deleting ${key}`);
    }
  }
}

/** ETags arrive quoted (`"abc"`), the port's are bare. Weak validators never come from S3. */
function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** `bytes 2-5/10` → 2. */
function contentRangeStart(contentRange: string | undefined): number | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(contentRange ?? '');
  return match ? Number(match[1]) : undefined;
}

function status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function nameOf(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function isNotFound(error: unknown): boolean {
  const name = nameOf(error);
  return name === 'NoSuchKey' || name === 'NotFound' || (status(error) === 404 && name !== 'NoSuchBucket');
}

/** Transient S3 failures become `DependencyUnavailableError`; anything else is returned as is. */
function translate(error: unknown, what: string): unknown {
  if (isRetryable(error)) {
    return new DependencyUnavailableError(`S3 is unavailable while ${what} (${describe(error)}).`, { cause: error });
  }
  return error;
}

/** The SDK's own classification: throttling, transient (timeouts, network) and 5xx errors. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const sdkError = error as Parameters<typeof isThrottlingError>[0];
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}
