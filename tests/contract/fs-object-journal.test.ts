/**
 * The filesystem store keeps what it knows about its objects (ETag, content type) in one journal
 * per folder, not a sidecar file per object: these tests read the folder as a user would see it.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FsObjectStore } from '../../shared/adapters/fs-object-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lectern-fs-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const journalLines = () => readFileSync(path.join(dir, '.meta/journal.jsonl'), 'utf8').split('\n').filter(Boolean);

it('a write adds a line to the folder journal and creates no file beside the object', async () => {
  const store = new FsObjectStore(dir);
  await store.put('courses/bio/lessons/cells/quiz.json', '{"a":1}', { contentType: 'application/json' });
  await store.put('courses/bio/lessons/cells/notes.txt', 'notes', { contentType: 'text/plain' });
  expect(readdirSync(path.join(dir, '.meta'))).toEqual(['journal.jsonl']);
  expect(journalLines().map((line) => JSON.parse(line).key)).toEqual(['courses/bio/lessons/cells/quiz.json', 'courses/bio/lessons/cells/notes.txt']);
  expect(readdirSync(path.join(dir, 'courses/bio/lessons/cells')).sort()).toEqual(['notes.txt', 'quiz.json']);
  expect(await new FsObjectStore(dir).head('courses/bio/lessons/cells/quiz.json')).toMatchObject({ etag: md5('{"a":1}'), contentType: 'application/json' });
});

it('two stores over one folder see each other’s writes and deletes', async () => {
  const a = new FsObjectStore(dir);
  const b = new FsObjectStore(dir);
  await a.put('k/one.txt', 'one', { contentType: 'text/plain' });
  expect(await b.head('k/one.txt')).toMatchObject({ etag: md5('one'), contentType: 'text/plain' });
  await b.put('k/one.txt', 'uno', { contentType: 'text/x-other' });
  expect(await a.head('k/one.txt')).toMatchObject({ etag: md5('uno'), contentType: 'text/x-other' });
  await a.delete('k/one.txt');
  expect(await b.head('k/one.txt')).toBeUndefined();
  // A file put back by hand after the delete has no content type from before.
  writeFileSync(path.join(dir, 'k/one.txt'), 'by hand');
  const head = await b.head('k/one.txt');
  expect(head?.etag).toBe(md5('by hand'));
  expect(head?.contentType).toBeUndefined();
});

it('stays the size of the folder, not of its history, and a reader follows the rewrite', async () => {
  const writer = new FsObjectStore(dir);
  const reader = new FsObjectStore(dir);
  await writer.put('lesson/other.txt', 'other', { contentType: 'text/plain' });
  expect(await reader.head('lesson/other.txt')).toMatchObject({ contentType: 'text/plain' });
  for (let i = 0; i < 2500; i++) await writer.put('lesson/manifest.json', `{"version":${i}}`, { contentType: 'application/json' });
  expect(journalLines().length).toBeLessThan(1100);
  expect(await reader.head('lesson/manifest.json')).toMatchObject({ etag: md5('{"version":2499}'), contentType: 'application/json' });
  expect(await reader.head('lesson/other.txt')).toMatchObject({ etag: md5('other'), contentType: 'text/plain' });
});

it('a line torn by a crash costs only that object’s content type; later writes are kept', async () => {
  const store = new FsObjectStore(dir);
  await store.put('a.txt', 'a', { contentType: 'text/plain' });
  appendFileSync(path.join(dir, '.meta/journal.jsonl'), '{"key":"b.txt","etag":"'); // the process died mid-line
  writeFileSync(path.join(dir, 'b.txt'), 'b');
  const fresh = new FsObjectStore(dir);
  expect(await fresh.head('b.txt')).toMatchObject({ etag: md5('b') });
  await fresh.put('c.txt', 'c', { contentType: 'text/css' });
  const again = new FsObjectStore(dir);
  expect(await again.head('c.txt')).toMatchObject({ etag: md5('c'), contentType: 'text/css' });
  expect(await again.head('a.txt')).toMatchObject({ etag: md5('a'), contentType: 'text/plain' });
});

it('reads the sidecars an earlier lectern wrote for objects the journal does not name', async () => {
  // The layout before the journal: <root>/.meta/<key>.json per object.
  mkdirSync(path.join(dir, 'courses/bio'), { recursive: true });
  writeFileSync(path.join(dir, 'courses/bio/old.json'), '{"old":true}');
  const { size, mtimeMs } = await import('node:fs').then((fs) => fs.statSync(path.join(dir, 'courses/bio/old.json')));
  mkdirSync(path.join(dir, '.meta/courses/bio'), { recursive: true });
  writeFileSync(path.join(dir, '.meta/courses/bio/old.json.json'), JSON.stringify({ etag: md5('{"old":true}'), size, mtimeMs, contentType: 'application/json' }));
  const store = new FsObjectStore(dir);
  expect(await store.head('courses/bio/old.json')).toMatchObject({ etag: md5('{"old":true}'), contentType: 'application/json' });
  await store.delete('courses/bio/old.json');
  expect(existsSync(path.join(dir, '.meta/courses/bio/old.json.json'))).toBe(false);
  expect(await store.list('courses/')).toEqual([]);
});

it('a fresh reader finds every key as it was written: escapes, other scripts, deletes', async () => {
  const keys = ['courses/bio/naïve café.txt', 'odd/quo"te.txt', 'odd/back\\slash.txt', 'odd/tab\there.txt', 'odd/gone.txt'];
  const store = new FsObjectStore(dir);
  for (const [i, key] of keys.entries()) await store.put(key, `body ${i}`, { contentType: `text/x-${i}` });
  await store.delete('odd/gone.txt');
  await store.put('odd/quo"te.txt', 'again', { contentType: 'text/x-again' });
  const fresh = new FsObjectStore(dir);
  expect(await fresh.head('courses/bio/naïve café.txt')).toMatchObject({ etag: md5('body 0'), contentType: 'text/x-0'});
  expect(await fresh.head('odd/quo"te.txt')).toMatchObject({ etag: md5('again'), contentType: 'text/x-again' });
  expect(await fresh.head('odd/back\\slash.txt')).toMatchObject({ etag: md5('body 2'), contentType: 'text/x-2' });
  expect(await fresh.head('odd/tab\there.txt')).toMatchObject({ etag: md5('body 3'), contentType: 'text/x-3' });
  expect(await fresh.head('odd/gone.txt')).toBeUndefined();
});
