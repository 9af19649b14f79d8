/**
 * The S3 adapter's requests as the SDK serialises them, and its reading of S3's answers: what
 * s3rver cannot show (conditional writes, paging, throttling), on the real S3Client.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../../shared/adapters/s3-object-store.js';
import { DependencyUnavailableError } from '../../../shared/contract/errors.js';
import { PreconditionFailedError } from '../../../shared/ports/object-store.js';
import { OFFLINE_CLIENT_CONFIG, RecordingHandler, connectionReset, xmlError, type Answer, type WireRequest } from './wire.js';

const BUCKET = 'lectern-dev-published-111122223333-eu-west-1';

function storeWith(...answers: Answer[]): { store: S3ObjectStore; handler: RecordingHandler } {
  const handler = new RecordingHandler(...answers);
  const client = new S3Client({ ...OFFLINE_CLIENT_CONFIG, requestHandler: handler, requestChecksumCalculation: 'WHEN_REQUIRED' });
  return { store: new S3ObjectStore(client, BUCKET, { pageSize: 2 }), handler };
}

const ok = (headers: Record<string, string> = {}, body = ''): Answer => ({ status: 200, headers, body });

describe('conditional writes (PutObject If-Match / If-None-Match)', () => {
  it('sends If-None-Match: * to create only when absent', async () => {
    const { store, handler } = storeWith(ok({ etag: '"5d41402abc4b2a76b9719d911017c592"' }));
    const { etag } = await store.put('courses/c/lessons/l/manifest.json', 'hello', { ifNoneMatch: '*', contentType: 'application/json', cacheControl: 'public, max-age=60' });
    expect(etag).toBe('5d41402abc4b2a76b9719d911017c592');
    const [request] = handler.requests as [WireRequest];
    expect(request.method).toBe('PUT');
    expect(request.headers['if-none-match']).toBe('*');
    expect(request.headers['if-match']).toBeUndefined();
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['cache-control']).toBe('public, max-age=60');
    expect(request.body).toBe('hello');
  });

  it('sends If-Match with the ETag quoted, as HTTP wants it', async () => {
    const { store, handler } = storeWith(ok({ etag: '"aaa"' }));
    await store.put('courses/c/lessons/l/manifest.json', '{}', { ifMatch: '9b2cf535f27731c974343645a3985328' });
    expect(handler.requests[0]?.headers['if-match']).toBe('"9b2cf535f27731c974343645a3985328"');
  });

  it('turns 412 PreconditionFailed into PreconditionFailedError', async () => {
    const { store } = storeWith(xmlError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold'));
    await expect(store.put('courses/c/lessons/l/manifest.json', '{}', { ifMatch: 'abc' })).rejects.toBeInstanceOf(PreconditionFailedError);
  });

  it('turns 409 ConditionalRequestConflict (a concurrent conditional write) into PreconditionFailedError', async () => {
    const { store } = storeWith(xmlError(409, 'ConditionalRequestConflict', 'A conflicting conditional operation is currently in progress'));
    await expect(store.put('courses/c/lessons/l/manifest.json', '{}', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailedError);
  });

  it('sends no condition headers on a plain put', async () => {
    const { store, handler } = storeWith(ok({ etag: '"aaa"' }));
    await store.put('courses/c/lessons/l/a/0123/file.pdf', new Uint8Array([1, 2, 3]), { metadata: { 'asset-version': 'av-1' } });
    expect(handler.requests[0]?.headers['if-match']).toBeUndefined();
    expect(handler.requests[0]?.headers['if-none-match']).toBeUndefined();
    expect(handler.requests[0]?.headers['x-amz-meta-asset-version']).toBe('av-1');
  });
});

describe('copies (CopyObject)', () => {
  it('copies server-side: the source as an encoded path, the headers replaced, no body sent', async () => {
    const copyResult = '<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult><ETag>"d41d8cd98f00b204e9800998ecf8427e"</ETag></CopyObjectResult>';
    const { store, handler } = storeWith(ok({ 'content-type': 'application/xml' }, copyResult));
    const result = await store.copy('courses/c/lessons/l/a/0123/Lecture 1 + C++ (ü).mp4', 'public/courses/c/lessons/l/a/0123/Lecture 1 + C++ (ü).mp4', {
      contentType: 'video/mp4',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    expect(result).toEqual({ etag: 'd41d8cd98f00b204e9800998ecf8427e' });
    const [request] = handler.requests as [WireRequest];
    expect(request.method).toBe('PUT');
    expect(request.headers['x-amz-copy-source']).toBe(`${BUCKET}/courses/c/lessons/l/a/0123/Lecture%201%20%2B%20C%2B%2B%20(%C3%BC).mp4`);
    expect(request.headers['x-amz-metadata-directive']).toBe('REPLACE');
    expect(request.headers['content-type']).toBe('video/mp4');
    expect(request.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(request.body ?? '').toBe('');
  });

  it('reads NoSuchKey on the source as no copy', async () => {
    const { store } = storeWith(xmlError(404, 'NoSuchKey', 'The specified key does not exist.'));
    expect(await store.copy('courses/c/lessons/l/missing.pdf', 'public/courses/c/lessons/l/missing.pdf')).toBeUndefined();
  });
});

describe('listing', () => {
  const page = (keys: string[], next?: string): Answer => ({
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${BUCKET}</Name><Prefix>courses/</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>${next ? 'true' : 'false'}</IsTruncated>${
      next ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''
    }${keys.map((key) => `<Contents><Key>${key}</Key><Size>1</Size><ETag>"x"</ETag></Contents>`).join('')}</ListBucketResult>`,
  });

  it('follows continuation tokens until the last page, asking for the page size', async () => {
    const { store, handler } = storeWith(page(['courses/c/b', 'courses/c/a'], 'token-1'), page(['courses/c/d', 'courses/c/c'], 'token/2+='), page(['courses/c/e']));
    expect(await store.list('courses/c/')).toEqual(['courses/c/a', 'courses/c/b', 'courses/c/c', 'courses/c/d', 'courses/c/e']);
    expect(handler.requests.map((request) => request.query['continuation-token'] ?? null)).toEqual([null, 'token-1', 'token/2+=']);
    for (const request of handler.requests) {
      expect(request.query['list-type']).toBe('2');
      expect(request.query['max-keys']).toBe('2');
      expect(request.query.prefix).toBe('courses/c/');
    }
  });

  it('refuses a truncated page without a token instead of returning part of the listing', async () => {
    const { store } = storeWith({
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${BUCKET}</Name><IsTruncated>true</IsTruncated><Contents><Key>courses/x</Key></Contents></ListBucketResult>`,
    });
    await expect(store.list('courses/')).rejects.toThrow(/truncated/);
  });

  it('refuses a token that repeats (a server loop)', async () => {
    const { store } = storeWith(page(['courses/a'], 'same'), page(['courses/b'], 'same'));
    await expect(store.list('courses/')).rejects.toThrow(/same continuation token/);
  });
});

describe('reads', () => {
  it('asks for an inclusive byte range', async () => {
    const { store, handler } = storeWith({ status: 206, headers: { 'content-range': 'bytes 0-3/100', 'content-length': '4' }, body: '%PDF' });
    expect(new TextDecoder().decode(await store.getRange('courses/c/lessons/l/a.pdf', 0, 3))).toBe('%PDF');
    expect(handler.requests[0]?.headers.range).toBe('bytes=0-3');
  });

  it('reads a 416 (range past the end) as no bytes', async () => {
    const { store } = storeWith(xmlError(416, 'InvalidRange', 'The requested range is not satisfiable'));
    expect(await store.getRange('courses/c/lessons/l/empty.pdf', 0, 3)).toEqual(new Uint8Array());
  });

  it('reads HEAD 404 as missing and strips the quotes from ETags', async () => {
    const missing = storeWith({ status: 404, headers: {} });
    expect(await missing.store.head('courses/c/lessons/l/none.pdf')).toBeUndefined();
    const found = storeWith(ok({ etag: '"9b2cf535f27731c974343645a3985328"', 'content-length': '1842', 'last-modified': 'Tue, 04 Mar 2025 09:15:27 GMT', 'x-amz-version-id': 'v1' }));
    expect(await found.store.head('courses/c/lessons/l/q.gift')).toEqual({
      key: 'courses/c/lessons/l/q.gift',
      size: 1842,
      etag: '9b2cf535f27731c974343645a3985328',
      versionId: 'v1',
      lastModified: new Date('2025-03-04T09:15:27Z'),
    });
  });

  it('reads GET NoSuchKey as missing', async () => {
    const { store } = storeWith(xmlError(404, 'NoSuchKey', 'The specified key does not exist.'));
    expect(await store.get('courses/c/lessons/l/none.pdf')).toBeUndefined();
  });
});

describe('errors', () => {
  it.each([
    ['503 SlowDown', xmlError(503, 'SlowDown', 'Please reduce your request rate.')],
    ['500 InternalError', xmlError(500, 'InternalError', 'We encountered an internal error. Please try again.')],
    ['a reset connection', connectionReset()],
  ])('turns %s into DependencyUnavailableError, keeping the cause', async (_label, answer) => {
    const { store } = storeWith(answer);
    const error = await store.get('courses/c/lessons/l/a.pdf').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).name).toBe('DependencyUnavailableError');
    expect((error as Error).cause).toBeDefined();
  });

  it('lets access denied through unchanged: no retry can fix a policy', async () => {
    const { store } = storeWith(xmlError(403, 'AccessDenied', 'Access Denied'));
    const error = await store.put('courses/c/x', 'x').catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).name).toBe('AccessDenied');
  });

  it('does not take a missing bucket for a missing key', async () => {
    const { store } = storeWith(xmlError(404, 'NoSuchBucket', 'The specified bucket does not exist'));
    await expect(store.get('courses/c/x')).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});
