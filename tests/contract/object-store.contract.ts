/**
 * The object-store contract: every adapter (S3 against s3rver, the filesystem twin) registers
 * this suite with a factory and must pass all of it.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreconditionFailedError, type ObjectStore } from '../../shared/ports/object-store.js';

export function objectStoreContract(name: string, open: () => Promise<{ store: ObjectStore; close: () => Promise<void> }>) {
  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(async () => {
      await close?.();
    });

    const bytes = (text: string) => new TextEncoder().encode(text);
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');

    it('reports a missing key as undefined, not an error', async () => {
      expect(await store.head('courses/none/lessons/none/missing.pdf')).toBeUndefined();
      expect(await store.get('courses/none/lessons/none/missing.pdf')).toBeUndefined();
      expect(await store.getRange('courses/none/lessons/none/missing.pdf', 0, 10)).toBeUndefined();
    });

    it('stores bytes exactly and reports size and an MD5 ETag without quotes', async () => {
      const text = 'Hello, lectern! ünïcödé ✓\r\n';
      const { etag } = await store.put('courses/a/lessons/b/hello.txt', bytes(text), { contentType: 'text/plain' });
      expect(etag).toBe(md5(text));
      const head = await store.head('courses/a/lessons/b/hello.txt');
      expect(head).toMatchObject({ key: 'courses/a/lessons/b/hello.txt', size: bytes(text).byteLength, etag: md5(text) });
      expect(head?.lastModified).toBeInstanceOf(Date);
      expect(new TextDecoder().decode(await store.get('courses/a/lessons/b/hello.txt'))).toBe(text);
    });

    it('keeps binary content intact, including bytes that are not UTF-8', async () => {
      const binary = new Uint8Array(70_000).map((_, i) => (i * 31 + 7) % 256);
      await store.put('courses/a/lessons/b/blob.bin', binary);
      expect(Buffer.compare(Buffer.from((await store.get('courses/a/lessons/b/blob.bin'))!), Buffer.from(binary))).toBe(0);
    });

    it('reads byte ranges inclusively, short at the end', async () => {
      await store.put('courses/a/lessons/b/range.txt', bytes('0123456789'));
      expect(new TextDecoder().decode(await store.getRange('courses/a/lessons/b/range.txt', 2, 5))).toBe('2345');
      expect(new TextDecoder().decode(await store.getRange('courses/a/lessons/b/range.txt', 8, 4095))).toBe('89');
    });

    it('overwrites, changing the ETag', async () => {
      const first = await store.put('courses/a/lessons/b/over.txt', 'one');
      const second = await store.put('courses/a/lessons/b/over.txt', 'two');
      expect(second.etag).not.toBe(first.etag);
      expect((await store.head('courses/a/lessons/b/over.txt'))?.etag).toBe(second.etag);
    });

    it('lists every key under a prefix, sorted, and nothing outside it', async () => {
      const keys = ['courses/list/lessons/l1/a.pdf', 'courses/list/lessons/l1/b.gift', 'courses/list/lessons/l2/c.pdf', 'courses/lister/x.pdf'];
      for (const key of keys) await store.put(key, key);
      expect(await store.list('courses/list/')).toEqual(keys.slice(0, 3));
      expect(await store.list('courses/list/lessons/l1/')).toEqual(keys.slice(0, 2));
      expect(await store.list('courses/nothing-here/')).toEqual([]);
    });

    it('keeps keys with spaces, plus signs and unicode as they are', async () => {
      const key = 'courses/a/lessons/b/Lecture 1 + C++ (ünï).pdf';
      await store.put(key, 'x');
      expect((await store.head(key))?.size).toBe(1);
      expect(await store.list('courses/a/lessons/b/Lecture')).toEqual([key]);
    });

    it('copies within the bucket with the headers it is given, and answers undefined for a missing source', async () => {
      const source = 'courses/a/lessons/b/Lecture 1 + C++ (ünï)/seg 1.ts';
      const binary = new Uint8Array(70_000).map((_, i) => (i * 13 + 5) % 256);
      const { etag } = await store.put(source, binary, { contentType: 'application/octet-stream' });
      const copy = await store.copy(source, `public/${source}`, { contentType: 'video/mp2t', cacheControl: 'public, max-age=31536000, immutable' });
      expect(copy).toEqual({ etag });
      expect(await store.head(`public/${source}`)).toMatchObject({ size: binary.byteLength, etag, contentType: 'video/mp2t' });
      expect(Buffer.compare(Buffer.from((await store.get(`public/${source}`))!), Buffer.from(binary))).toBe(0);
      expect(await store.head(source)).toMatchObject({ etag, contentType: 'application/octet-stream' });
      expect(await store.copy('courses/none/lessons/none/missing.ts', 'public/courses/none/lessons/none/missing.ts')).toBeUndefined();
      expect(await store.head('public/courses/none/lessons/none/missing.ts')).toBeUndefined();
    });

    it('deletes, and deleting a missing key is not an error', async () => {
      await store.put('courses/a/lessons/b/gone.txt', 'x');
      await store.delete('courses/a/lessons/b/gone.txt');
      await store.delete('courses/a/lessons/b/gone.txt');
      expect(await store.head('courses/a/lessons/b/gone.txt')).toBeUndefined();
    });

    it('creates only when absent with ifNoneMatch, and writes only over the expected ETag with ifMatch', async () => {
      const key = 'courses/a/lessons/b/manifest.json';
      const { etag } = await store.put(key, '{"v":1}', { ifNoneMatch: '*' });
      await expect(store.put(key, '{"v":2}', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailedError);
      const next = await store.put(key, '{"v":2}', { ifMatch: etag });
      await expect(store.put(key, '{"v":3}', { ifMatch: etag })).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(new TextDecoder().decode(await store.get(key))).toBe('{"v":2}');
      expect(next.etag).toBe(md5('{"v":2}'));
    });

    it('lets exactly one of many concurrent conditional writers win', async () => {
      const key = 'courses/a/lessons/b/race.json';
      const { etag } = await store.put(key, 'start');
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.put(key, `writer ${i}`, { ifMatch: etag })));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof PreconditionFailedError)).toBe(true);
    });
  });
}
