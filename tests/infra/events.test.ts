/**
 * The fixture events in `events/` agree with each other and with what AWS sends: SQS bodies are
 * the EventBridge events, MD5s are real, and each execution input carries its event's key decoded
 * exactly once.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeS3EventKey } from '../../shared/contract/upload-key.js';
import { REPO_ROOT } from './state-machine-helpers.js';

const EVENTS = path.join(REPO_ROOT, 'events');

function load<T>(relative: string): T {
  return structuredClone(JSON.parse(readFileSync(path.join(EVENTS, relative), 'utf8')) as T);
}

interface S3ObjectCreated {
  'detail-type': string;
  source: string;
  time: string;
  detail: { bucket: { name: string }; object: { key: string; size: number; etag: string; 'version-id'?: string; sequencer?: string } };
}
interface SqsBatch {
  Records: Array<{ messageId: string; body: string; md5OfBody: string; eventSource: string; eventSourceARN: string }>;
}
interface ExecutionInput {
  source: { bucket: string; key: string; etag: string; versionId?: string; size: number; eventTime: string; sequencer?: string };
}

const s3Events = readdirSync(path.join(EVENTS, 's3')).filter((name) => name.endsWith('.json'));

describe('events/s3', () => {
  it.each(s3Events)('%s is an EventBridge "Object Created" event under courses/', (name) => {
    const event = load<S3ObjectCreated>(`s3/${name}`);
    expect(event.source).toBe('aws.s3');
    expect(event['detail-type']).toBe('Object Created');
    expect(event.detail.object.key.startsWith('courses/')).toBe(true);
    expect(event.detail.object.etag).not.toMatch(/"/);
  });

  it('has a key that needs decoding, with both + (space) and %2B (plus)', () => {
    const event = load<S3ObjectCreated>('s3/object-created-encoded-key.eventbridge.json');
    expect(event.detail.object.key).toContain('+');
    expect(event.detail.object.key).toContain('%2B');
    expect(decodeS3EventKey(event.detail.object.key)).toBe('courses/intro-to-physics/lessons/01-motion/Week 1 notes + C++ tips 50%.pdf');
  });
});

describe('events/sqs/ingest-batch.json', () => {
  const batch = load<SqsBatch>('sqs/ingest-batch.json');

  it('carries EventBridge events as bodies, with their real MD5', () => {
    expect(batch.Records.length).toBeGreaterThanOrEqual(2);
    for (const record of batch.Records) {
      expect(record.eventSource).toBe('aws:sqs');
      expect(record.md5OfBody).toBe(createHash('md5').update(record.body).digest('hex'));
      const event = JSON.parse(record.body) as S3ObjectCreated;
      expect(event['detail-type']).toBe('Object Created');
    }
  });

  it('contains a duplicate delivery of the same object version', () => {
    const identities = batch.Records.map((record) => {
      const { detail } = JSON.parse(record.body) as S3ObjectCreated;
      return `${detail.bucket.name}/${detail.object.key}@${detail.object['version-id'] ?? detail.object.etag}`;
    });
    expect(new Set(identities).size).toBeLessThan(identities.length);
    expect(new Set(batch.Records.map((record) => record.messageId)).size).toBe(batch.Records.length);
  });
});

describe('events/state-machine', () => {
  it.each([
    ['publish-quiz.input.json', 's3/object-created.eventbridge.json'],
    ['publish-pdf.input.json', 's3/object-created-encoded-key.eventbridge.json'],
  ])('%s is what ingest builds from %s (key decoded once)', (inputFile, eventFile) => {
    const { source } = load<ExecutionInput>(`state-machine/${inputFile}`);
    const { detail, time } = load<S3ObjectCreated>(eventFile);
    expect(source).toEqual({
      bucket: detail.bucket.name,
      key: decodeS3EventKey(detail.object.key),
      etag: detail.object.etag,
      versionId: detail.object['version-id'],
      size: detail.object.size,
      eventTime: time,
      sequencer: detail.object.sequencer,
    });
  });

  it('reject-bad-slug.input.json has a course name that is not a slug', () => {
    const { source } = load<ExecutionInput>('state-machine/reject-bad-slug.input.json');
    expect(source.key.split('/')[1]).not.toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
    expect(source.versionId).toBeUndefined();
  });
});

describe('events/mediaconvert', () => {
  interface JobStateChange {
    source: string;
    'detail-type': string;
    detail: { queue: string; jobId: string; status: string; userMetadata: Record<string, string> };
  }
  const files = readdirSync(path.join(EVENTS, 'mediaconvert')).filter((name) => name.endsWith('.json'));

  it.each(files)('%s is a job state change the dev stage\'s rule lets through', (name) => {
    const event = load<JobStateChange>(`mediaconvert/${name}`);
    expect(event.source).toBe('aws.mediaconvert');
    expect(event['detail-type']).toBe('MediaConvert Job State Change');
    // resources/media.yml names the queue `${service}-${stage}`; the rule also matches the stage.
    expect(event.detail.queue).toBe('arn:aws:mediaconvert:eu-west-1:111122223333:queues/lectern-dev');
    expect(event.detail.userMetadata.stage).toBe('dev');
    expect(event.detail.userMetadata.requestToken).toBe(`${event.detail.userMetadata.assetVersionId}-1`);
  });

  it('covers progress, completion and failure', () => {
    expect(files.map((name) => load<JobStateChange>(`mediaconvert/${name}`).detail.status).sort()).toEqual(['COMPLETE', 'ERROR', 'STATUS_UPDATE']);
  });
});
