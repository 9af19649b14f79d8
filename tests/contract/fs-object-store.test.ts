import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { FsObjectStore } from '../../shared/adapters/fs-object-store.js';
import { objectStoreContract } from './object-store.contract.js';

objectStoreContract('filesystem twin', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'lectern-fs-store-'));
  return { store: new FsObjectStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
});

it('sees files an educator copied into the folder by hand, with a correct ETag', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'lectern-fs-store-'));
  try {
    await mkdir(path.join(dir, 'courses/bio/lessons/cells'), { recursive: true });
    await writeFile(path.join(dir, 'courses/bio/lessons/cells/notes.txt'), 'hello');
    const store = new FsObjectStore(dir);
    expect(await store.list('courses/')).toEqual(['courses/bio/lessons/cells/notes.txt']);
    expect((await store.head('courses/bio/lessons/cells/notes.txt'))?.etag).toBe('5d41402abc4b2a76b9719d911017c592');
    // editing the file by hand changes its ETag even though a sidecar exists from an earlier put
    await store.put('courses/bio/lessons/cells/notes.txt', 'first');
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(path.join(dir, 'courses/bio/lessons/cells/notes.txt'), 'edited by hand');
    expect((await store.head('courses/bio/lessons/cells/notes.txt'))?.etag).toBe(createHash('md5').update('edited by hand').digest('hex'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('refuses keys that would escape the folder', async () => {
  const store = new FsObjectStore(await mkdtemp(path.join(tmpdir(), 'lectern-fs-store-')));
  await expect(store.put('courses/../../etc/passwd', 'x')).rejects.toThrow(/Invalid object key/);
  await expect(store.get('/absolute')).rejects.toThrow(/Invalid object key/);
});

it('versioned, as the upload bucket: every write is a new version, also of bytes the key held before', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'lectern-fs-store-'));
  try {
    const store = new FsObjectStore(dir, { versioned: true });
    const key = 'courses/bio/lessons/cells/notes.txt';
    await store.put(key, 'A');
    const a = (await store.head(key))!;
    expect(a.versionId).toMatch(/^[0-9a-f]{32}$/);
    expect((await store.head(key))!.versionId).toBe(a.versionId); // untouched: the same version
    await store.put(key, 'B');
    await store.put(key, 'A');
    const again = (await store.head(key))!;
    expect(again.etag).toBe(a.etag);
    expect(again.versionId).not.toBe(a.versionId);
    // A file copied in by hand is a version too; an unversioned store has none.
    await writeFile(path.join(dir, key), 'A');
    expect((await store.head(key))!.versionId).not.toBe(again.versionId);
    expect((await new FsObjectStore(dir).head(key))!.versionId).toBeUndefined();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('writes into a folder someone removed meanwhile (it creates folders only when they are missing)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'lectern-fs-store-'));
  try {
    const store = new FsObjectStore(dir);
    await store.put('courses/bio/lessons/cells/a.txt', 'a', { contentType: 'text/plain' });
    await rm(path.join(dir, 'courses'), { recursive: true });
    await rm(path.join(dir, '.meta'), { recursive: true });
    await store.put('courses/bio/lessons/cells/b.txt', 'b', { contentType: 'text/plain' });
    expect(await store.list('courses/')).toEqual(['courses/bio/lessons/cells/b.txt']);
    expect(await store.head('courses/bio/lessons/cells/b.txt')).toMatchObject({ etag: createHash('md5').update('b').digest('hex'), contentType: 'text/plain' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
