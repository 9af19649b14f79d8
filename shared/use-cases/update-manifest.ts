/**
 * Updating a lesson's `manifest.json`: a conditional read-modify-write (If-Match, or If-None-Match
 * for the first entry) that a lost race repeats on the new manifest, and, where every execution
 * runs in one process (the local stack), a batcher that coalesces the updates of one lesson.
 *
 * Cost in a busy lesson. The manifest holds every entry of the lesson, so each write of it is as
 * large as the lesson. The batcher keeps one upload's cost to its own entry where it can:
 * - updates that arrive while a write of their lesson is in flight wait for it and then go out
 *   together, in one write (500 uploads into one lesson: a few dozen writes, not 500);
 * - the manifest it last wrote stays in memory with its ETag, so it is neither read nor parsed
 *   again: the write's If-Match on that ETag says whether anyone else changed it meanwhile (another
 *   process, a tool), and only then is it read again;
 * - each entry is serialised once (`encodeManifest`), so a write copies the others' bytes, and new
 *   entries are merged into the sorted lesson (`withEntries`), not sorted with it again.
 * Without the batcher (Lambda: one update per container), each update reads, applies and writes.
 */
import type { Deps } from '../runtime/deps.js';
import { ConcurrentModificationError } from '../contract/errors.js';
import {
  decideEntry,
  emptyManifest,
  encodeManifest,
  MANIFEST_CACHE_CONTROL,
  parseManifest,
  withEntries,
  type LessonManifest,
  type ManifestEntry,
} from '../contract/manifest.js';
import { PreconditionFailedError } from '../ports/object-store.js';
import { captionedStem, syncVideoCaptions } from './attach-captions.js';

const MANIFEST_ATTEMPTS = 8;
/** Lessons whose last written manifest the batcher keeps in memory (least recently written dropped first). */
const CACHED_LESSONS = 64;

export type UpdateManifestDeps = Pick<Deps, 'published'>;

export interface ManifestTarget {
  /** `courses/<c>/lessons/<l>/manifest.json`. */
  key: string;
  course: string;
  lesson: string;
}

/** One published entry for the manifest. */
export interface ManifestChange {
  fileName: string;
  entry: ManifestEntry;
}

export interface ManifestUpdate {
  /** Per change, in order: whether the manifest now names its version (written now or before); false when a newer one is current. */
  current: boolean[];
  /** Whether this update wrote the manifest. */
  written: boolean;
  /**
   * The entries to bring in line after this update, as `<asset>/<version>/` prefixes under the
   * lesson: each change the manifest names (written now or by an earlier attempt whose follow-up
   * may not have finished), and every other entry the write changed (captions change their video's).
   */
  changedPrefixes: string[];
}

/** The manifest as last written by this process, with its ETag. */
interface Known {
  etag: string;
  manifest: LessonManifest;
}

/**
 * Applies `changes` (in order) to the manifest at `target.key` with a conditional write; a lost
 * race is retried on the manifest that won, then surfaces as `ConcurrentModificationError` for the
 * state machine to retry. `known` is the manifest this process last wrote there, if any: when the
 * write's If-Match on its ETag holds, nothing needed reading.
 */
export async function updateManifest(
  deps: UpdateManifestDeps,
  target: ManifestTarget,
  changes: readonly ManifestChange[],
  known?: Known,
): Promise<ManifestUpdate & { known?: Known }> {
  let base = known;
  for (let attempt = 0; attempt < MANIFEST_ATTEMPTS; attempt++) {
    const read = base ? { ...base, fromMemory: true } : await readManifest(deps, target);
    // Decided against the manifest as read and the changes before them in this batch; the
    // lesson's other entries are neither copied nor looked at until the write.
    const changed = new Map<string, ManifestEntry>();
    const stems = new Set<string>();
    const current = changes.map(({ fileName, entry }) => {
      const decision = decideEntry(changed.get(fileName) ?? read.manifest.assets[fileName], entry);
      if (decision.action !== 'write') return decision.action === 'unchanged';
      changed.set(fileName, entry);
      // Captions join the current video of their name whichever arrives last (a new master, no transcode).
      const stem = captionedStem(fileName, entry);
      if (stem !== undefined) stems.add(stem);
      return true;
    });
    if (changed.size === 0) {
      // Nothing to write. A manifest from memory might be stale: it decides only once confirmed.
      const changedPrefixes = prefixesOf(changes, current, []);
      if (!read.fromMemory) return { current, written: false, changedPrefixes, ...(read.etag ? { known: { etag: read.etag, manifest: read.manifest } } : {}) };
      const head = await deps.published.head(target.key);
      if (head?.etag === read.etag) return { current, written: false, changedPrefixes, known: { etag: read.etag, manifest: read.manifest } };
      base = undefined;
      continue;
    }
    let next = withEntries(read.manifest, changed);
    for (const stem of stems) next = await syncVideoCaptions(deps, next, stem);
    try {
      const { etag } = await deps.published.put(target.key, encodeManifest(next), {
        contentType: 'application/json',
        cacheControl: MANIFEST_CACHE_CONTROL,
        ...(read.etag ? { ifMatch: read.etag } : { ifNoneMatch: '*' as const }),
      });
      // What the write changed: the changes, and the videos whose captions they changed.
      const rewritten = stems.size === 0 ? [...changed] : Object.entries(next.assets).filter(([fileName, entry]) => read.manifest.assets[fileName] !== entry);
      return { current, written: true, changedPrefixes: prefixesOf(changes, current, rewritten), known: { etag, manifest: next } };
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      base = undefined;
      // The first lost race of a manifest from memory is not contention: read it and try at once.
      if (!read.fromMemory) await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
  throw new ConcurrentModificationError(`The lesson manifest ${target.key} kept changing during ${MANIFEST_ATTEMPTS} attempts to update it.`);
}

function prefixesOf(changes: readonly ManifestChange[], current: boolean[], rewritten: Array<[string, ManifestEntry]>): string[] {
  const named = changes.filter((_, i) => current[i]).map((c): [string, ManifestEntry] => [c.fileName, c.entry]);
  return [...new Set([...named, ...rewritten].map(([fileName, entry]) => `${fileName}/${entry.version}/`))];
}

async function readManifest(deps: UpdateManifestDeps, target: ManifestTarget): Promise<{ manifest: LessonManifest; etag?: string; fromMemory: false }> {
  const head = await deps.published.head(target.key);
  const bytes = head ? await deps.published.get(target.key) : undefined;
  if (!head || !bytes) return { manifest: emptyManifest(target.course, target.lesson), fromMemory: false };
  return { manifest: parseManifest(new TextDecoder().decode(bytes), target.key), etag: head.etag, fromMemory: false };
}

interface Waiting {
  change: ManifestChange;
  resolve: (outcome: { current: boolean; written: boolean; accessPaths: string[] }) => void;
  reject: (error: unknown) => void;
}

interface Lesson {
  waiting: Waiting[];
  writing: boolean;
  known?: Known;
}

/**
 * The updates of one lesson, one write at a time within this process, and coalesced: every update
 * that arrives while a write is in flight goes out in the next one. Also runs, once per write,
 * what must follow a manifest change in the same order (the lesson's access copies).
 */
export class ManifestBatcher {
  readonly #lessons = new Map<string, Lesson>();

  /**
   * Resolves once the manifest names `change` (or a newer upload of its name), with whether it does
   * and the CDN paths `afterWrite` changed. `afterWrite` runs once per batch, in order, with the
   * entries that batch changed.
   */
  submit(
    deps: UpdateManifestDeps,
    target: ManifestTarget,
    change: ManifestChange,
    afterWrite: (changedPrefixes: string[]) => Promise<string[]>,
  ): Promise<{ current: boolean; written: boolean; accessPaths: string[] }> {
    const id = `${deps.published.bucket}\n${target.key}`;
    let lesson = this.#lessons.get(id);
    if (!lesson) {
      lesson = { waiting: [], writing: false };
      this.#lessons.set(id, lesson);
    }
    const outcome = new Promise<{ current: boolean; written: boolean; accessPaths: string[] }>((resolve, reject) => {
      (lesson as Lesson).waiting.push({ change, resolve, reject });
    });
    if (!lesson.writing) {
      lesson.writing = true;
      void this.#drain(id, lesson, deps, target, afterWrite);
    }
    return outcome;
  }

  /** How many lessons' manifests are held in memory (tests). */
  get cachedLessons(): number {
    return [...this.#lessons.values()].filter((lesson) => lesson.known).length;
  }

  async #write(lesson: Lesson, deps: UpdateManifestDeps, target: ManifestTarget, batch: Waiting[], afterWrite: (changedPrefixes: string[]) => Promise<string[]>): Promise<void> {
    const update = await updateManifest(deps, target, batch.map((w) => w.change), lesson.known);
    if (update.known) lesson.known = update.known;
    else delete lesson.known;
    const accessPaths = await afterWrite(update.changedPrefixes);
    batch.forEach((waiting, i) => waiting.resolve({ current: update.current[i] as boolean, written: update.written, accessPaths }));
  }

  async #drain(id: string, lesson: Lesson, deps: UpdateManifestDeps, target: ManifestTarget, afterWrite: (changedPrefixes: string[]) => Promise<string[]>): Promise<void> {
    // Updates submitted in the same turn of the event loop join the first write.
    await new Promise((resolve) => setImmediate(resolve));
    while (lesson.waiting.length > 0) {
      const batch = lesson.waiting.splice(0);
      try {
        await this.#write(lesson, deps, target, batch, afterWrite);
      } catch (error) {
        delete lesson.known; // whatever the manifest is now, it is read again
        if (batch.length === 1) {
          (batch[0] as Waiting).reject(error);
          continue;
        }
        // One update's failure (a video its captions cannot join, say) is not the others': each
        // goes again on its own, with its own outcome, as it would have without the batcher.
        for (const waiting of batch) {
          await this.#write(lesson, deps, target, [waiting], afterWrite).catch((own: unknown) => {
            delete lesson.known;
            waiting.reject(own);
          });
        }
      }
    }
    lesson.writing = false;
    // Most recently written last; the least recently written beyond the bound forget their manifest.
    this.#lessons.delete(id);
    this.#lessons.set(id, lesson);
    for (const [other, held] of this.#lessons) {
      if (this.#lessons.size <= CACHED_LESSONS) break;
      if (!held.writing) this.#lessons.delete(other);
    }
  }
}
