/**
 * IngestUpload: S3 "Object Created" events (EventBridge, via the SQS ingest queue) become one
 * execution each, named by the asset version id. A duplicate delivery finds the execution already
 * there and does nothing. Keys are URL-decoded here, exactly once, at the edge.
 */
import { assetVersionId, stripQuotes, type SourceObject } from '../contract/asset-version.js';
import { logger } from '../runtime/logger.js';
import type { Deps } from '../runtime/deps.js';
import { decodeS3EventKey } from '../contract/upload-key.js';

export interface S3ObjectCreatedEvent {
  'detail-type'?: string;
  source?: string;
  time?: string;
  detail?: {
    bucket?: { name?: string };
    object?: { key?: string; size?: number; etag?: string; 'version-id'?: string; sequencer?: string };
  };
}

export type IngestOutcome =
  | { status: 'started' | 'duplicate'; executionName: string; key: string }
  | { status: 'ignored'; reason: string };

export const UPLOAD_PREFIX = 'courses/';

/** Turns one EventBridge S3 event into an execution input, or says why it is not an upload. */
export function sourceFromEvent(event: S3ObjectCreatedEvent): SourceObject | { ignored: string } {
  if (event['detail-type'] !== 'Object Created' || event.source !== 'aws.s3') return { ignored: `not an S3 Object Created event (${event['detail-type'] ?? 'no detail-type'})` };
  const bucket = event.detail?.bucket?.name;
  const object = event.detail?.object;
  if (!bucket || !object?.key || object.etag === undefined) return { ignored: 'event without bucket, key or etag' };
  const key = decodeS3EventKey(object.key);
  if (!key.startsWith(UPLOAD_PREFIX)) return { ignored: `key outside ${UPLOAD_PREFIX}` };
  return {
    bucket,
    key,
    etag: stripQuotes(object.etag),
    ...(object['version-id'] ? { versionId: object['version-id'] } : {}),
    size: object.size ?? 0,
    ...(event.time ? { eventTime: event.time } : {}),
    ...(object.sequencer ? { sequencer: object.sequencer } : {}),
  };
}

export type IngestDeps = Pick<Deps, 'orchestrator'>;

export async function ingestUpload(event: S3ObjectCreatedEvent, deps: IngestDeps): Promise<IngestOutcome> {
  const source = sourceFromEvent(event);
  if ('ignored' in source) {
    logger.info('event ignored', { reason: source.ignored });
    return { status: 'ignored', reason: source.ignored };
  }
  const name = assetVersionId(source);
  const { started } = await deps.orchestrator.startExecution(name, { source });
  logger.info(started ? 'execution started' : 'duplicate delivery: execution already exists', { executionName: name });
  return { status: started ? 'started' : 'duplicate', executionName: name, key: source.key };
}
