/**
 * The S3 adapter against a real S3-protocol server: s3rver, started in-process on a random
 * 127.0.0.1 port with a throw-away directory. What s3rver cannot do is said here, and covered by
 * tests/unit/adapters/s3-object-store.test.ts against the SDK's own serializer instead:
 * - conditional writes: s3rver ignores If-Match / If-None-Match on PutObject (it stores the
 *   object), so `honourConditionalWrites` evaluates them in front of it, answering 412 as S3 does:
 *   the contract's conditional cases run here over HTTP, as against the filesystem twin;
 * - paging: s3rver answers a continuation token with a 500, so lists here fit in one page;
 * - CopyObject: s3rver decodes `x-amz-copy-source` with `decodeURI`, so `%2B` stays encoded;
 *   `decodeCopySourceAsS3Does` decodes it as S3 does in front of it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.js';
import { DependencyUnavailableError } from '../../shared/contract/errors.js';
import { decodeCopySourceAsS3Does, honourConditionalWrites, type S3rverServer } from '../helpers/s3rver-conditions.js';
import { s3rverClient } from '../helpers/s3rver-client.js';
import { objectStoreContract } from './object-store.contract.js';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string }>;
}) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

const BUCKET = 'lectern-contract';

async function startS3rver(): Promise<{ client: S3Client; close: () => Promise<void> }> {
  const directory = await mkdtemp(path.join(tmpdir(), 'lectern-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET }] });
  honourConditionalWrites(server as unknown as S3rverServer);
  decodeCopySourceAsS3Does(server as unknown as S3rverServer);
  const { port } = await server.run();
  const client = s3rverClient(port);
  return {
    client,
    close: async () => {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

objectStoreContract(
  'S3 adapter against s3rver',
  async () => {
    const { client, close } = await startS3rver();
    return { store: new S3ObjectStore(client, BUCKET), close };
  },
);

describe('S3 adapter against s3rver: beyond the contract', () => {
  it('reads a range that starts past the end as empty, not as missing', async () => {
    const { client, close } = await startS3rver();
    try {
      const store = new S3ObjectStore(client, BUCKET);
      await store.put('courses/a/lessons/b/short.txt', '0123');
      expect(await store.getRange('courses/a/lessons/b/short.txt', 10, 20)).toEqual(new Uint8Array());
      expect(new TextDecoder().decode(await store.getRange('courses/a/lessons/b/short.txt', 0, 0))).toBe('0');
    } finally {
      await close();
    }
  });

  it('reports the stored content type and a bare ETag', async () => {
    const { client, close } = await startS3rver();
    try {
      const store = new S3ObjectStore(client, BUCKET);
      const { etag } = await store.put('courses/a/lessons/b/q.json', '{}', { contentType: 'application/json' });
      const head = await store.head('courses/a/lessons/b/q.json');
      expect(head?.contentType).toBe('application/json');
      expect(head?.etag).toBe(etag);
      expect(etag).not.toContain('"');
    } finally {
      await close();
    }
  });

  it('turns a server that went away into DependencyUnavailableError (retried by the state machine)', async () => {
    const { client, close } = await startS3rver();
    const store = new S3ObjectStore(client, BUCKET);
    await close();
    await expect(store.head('courses/a/lessons/b/x.pdf')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
