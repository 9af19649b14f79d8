/**
 * `lectern dev` looks only at the upload folders the file system says changed: the watcher, on
 * real folders and real events (inotify here). Each wait polls with a generous bound.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { UploadWatcher, type Changed } from '../../../local/upload-watcher.js';

let base: string;
let root: string;
let watcher: UploadWatcher | undefined;
let clock = 0;

beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'lectern-watch-'));
  root = base;
  clock = 0;
});
afterEach(async () => {
  watcher?.close();
  await rm(base, { recursive: true, force: true });
});

function start(): UploadWatcher {
  watcher = new UploadWatcher({ root, prefix: 'courses/', fullScanMs: 60_000, now: () => clock });
  watcher.start();
  expect(watcher.degraded).toBeUndefined();
  expect(watcher.take()).toEqual({ full: true }); // the first look lists everything
  return watcher;
}

/** The prefixes reported once events have arrived (polls `take`; prefixes gathered across polls). */
async function changedPrefixes(w: UploadWatcher, expected: string[]): Promise<string[]> {
  const seen = new Set<string>();
  await expect
    .poll(
      () => {
        const changed: Changed = w.take();
        if (!changed.full) for (const p of changed.prefixes) seen.add(p);
        return expected.every((e) => [...seen].some((p) => e.startsWith(p)));
      },
      { timeout: 60_000, interval: 20 },
    )
    .toBe(true);
  return [...seen];
}

const write = (relative: string, text = 'x') => {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  writeFileSync(path.join(root, relative), text);
};

it('reports the lesson a file was written in, and nothing for folders where nothing happened', async () => {
  write('courses/bio/lessons/cells/a.gift');
  write('courses/bio/lessons/plants/b.gift');
  const w = start();
  expect(w.take()).toEqual({ full: false, prefixes: [] });
  write('courses/bio/lessons/cells/c.gift');
  const prefixes = await changedPrefixes(w, ['courses/bio/lessons/cells/c.gift']);
  expect(prefixes).toEqual(['courses/bio/lessons/cells/']);
  // A file written again in place (cp over it) is a change too.
  write('courses/bio/lessons/cells/a.gift', 'new text');
  expect(await changedPrefixes(w, ['courses/bio/lessons/cells/a.gift'])).toEqual(['courses/bio/lessons/cells/']);
});

/** A lesson folder made (with its parents) and a file copied in at once, then a second file: each reported. */
async function newLessonIsWatched(w: UploadWatcher, lesson: string): Promise<void> {
  write(`${lesson}/first.gift`); // mkdir -p, then the file, before any watch could exist
  await changedPrefixes(w, [`${lesson}/first.gift`]);
  // The new lesson folder has a watch of its own now: a later file is reported for it alone.
  write(`${lesson}/second.gift`);
  expect(await changedPrefixes(w, [`${lesson}/second.gift`])).toEqual([`${lesson}/`]);
}

it('watches folders made after the start, even when files land in them at once', async () => {
  write('courses/bio/lessons/cells/a.gift');
  await newLessonIsWatched(start(), 'courses/chem/lessons/atoms');
});

it('watches courses/ made after the start, in a bucket folder that did not exist yet', async () => {
  root = path.join(root, 'uploads'); // a new state folder: no uploads/ yet
  await newLessonIsWatched(start(), 'courses/bio/lessons/cells');
});

it('a lesson folder removed and made again is watched again', async () => {
  write('courses/bio/lessons/cells/a.gift');
  const w = start();
  rmSync(path.join(root, 'courses/bio/lessons/cells'), { recursive: true });
  await changedPrefixes(w, ['courses/bio/lessons/']);
  write('courses/bio/lessons/cells/again.gift');
  await changedPrefixes(w, ['courses/bio/lessons/cells/again.gift']);
  write('courses/bio/lessons/cells/later.gift');
  expect(await changedPrefixes(w, ['courses/bio/lessons/cells/later.gift'])).toEqual(['courses/bio/lessons/cells/']);
});

it("ignores the pipeline's own folders beside courses/, and lists everything again when a full scan is due", async () => {
  write('courses/bio/lessons/cells/a.gift');
  const w = start();
  write('_work/av-1/quiz.json');
  write('_reports/courses/bio/lessons/cells/a.gift.json');
  write('.meta/journal.jsonl');
  // Given time for any event to arrive, nothing under courses/ is reported.
  write('courses/bio/lessons/cells/marker.gift');
  expect(await changedPrefixes(w, ['courses/bio/lessons/cells/marker.gift'])).toEqual(['courses/bio/lessons/cells/']);
  clock += 60_000;
  expect(w.take()).toEqual({ full: true });
  expect(w.take()).toEqual({ full: false, prefixes: [] });
});
