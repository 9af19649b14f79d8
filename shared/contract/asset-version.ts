/**
 * Identity of one upload: bucket + key + (version id, or ETag where the bucket is unversioned).
 * The same object version always yields the same id, so duplicate S3 deliveries map to one
 * execution name and one database row.
 */
import { createHash } from 'node:crypto';

export interface SourceObject {
  bucket: string;
  /** Decoded key. */
  key: string;
  etag: string;
  versionId?: string | null;
  size: number;
  /** When S3 says the object was created (ISO 8601); orders uploads of the same key. */
  eventTime?: string;
  /** S3's per-key sequencer (hex); orders events of the same key more precisely than time. */
  sequencer?: string;
}

/** `av-` + 32 hex characters: a valid Step Functions execution name (≤ 80, [A-Za-z0-9-_]). */
export function assetVersionId(source: Pick<SourceObject, 'bucket' | 'key' | 'etag' | 'versionId'>): string {
  const identity = source.versionId ? `version:${source.versionId}` : `etag:${stripQuotes(source.etag)}`;
  const digest = createHash('sha256').update(`${source.bucket}\n${source.key}\n${identity}`).digest('hex');
  return `av-${digest.slice(0, 32)}`;
}

/** The source of an upload event for an object as the bucket holds it now (the local twin's events). */
export function sourceOf(bucket: string, head: { key: string; etag: string; versionId?: string; size: number; lastModified: Date }): SourceObject {
  return { bucket, key: head.key, etag: head.etag, ...(head.versionId ? { versionId: head.versionId } : {}), size: head.size, eventTime: head.lastModified.toISOString() };
}

/**
 * True when the bucket's current object is no longer the version being processed: another version
 * id where the upload has one (an unversioned head says nothing), another ETag otherwise.
 */
export function isSuperseded(source: Pick<SourceObject, 'etag' | 'versionId'>, head: { etag: string; versionId?: string }): boolean {
  if (source.versionId) return head.versionId !== undefined && head.versionId !== source.versionId;
  return stripQuotes(head.etag) !== stripQuotes(source.etag);
}

export function stripQuotes(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** Content address of published bytes: the first 16 hex characters of their SHA-256. */
export function contentVersion(sha256Hex: string): string {
  return sha256Hex.slice(0, 16);
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
