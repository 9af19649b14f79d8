/**
 * The lesson manifest: `courses/<c>/lessons/<l>/manifest.json` in the published bucket, the one
 * mutable file students' players read (short TTL, invalidated on change). Pure functions here;
 * the conditional read-modify-write loop lives in the publish use-case.
 */
import { DamagedManifestError } from './errors.js';

/** Everything under a version prefix never changes. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** The manifest changes on every publish: a short TTL, and the CDN is invalidated. */
export const MANIFEST_CACHE_CONTROL = 'public, max-age=60, must-revalidate';

export interface ManifestEntry {
  kind: string;
  format?: string;
  version: string;
  assetVersionId: string;
  /** Upload order: the S3 event time of the source (an older upload never replaces a newer one). */
  sourceEventTime: string;
  url: string;
  outputs: Array<{ name: string; url: string; contentType: string; size: number }>;
  metadata: Record<string, unknown>;
}

export interface LessonManifest {
  schemaVersion: 1;
  course: string;
  lesson: string;
  assets: Record<string, ManifestEntry>;
}

export function manifestKey(course: string, lesson: string): string {
  return `courses/${course}/lessons/${lesson}/manifest.json`;
}

export function emptyManifest(course: string, lesson: string): LessonManifest {
  return { schemaVersion: 1, course, lesson, assets: {} };
}

export type ManifestDecision =
  | { action: 'write'; manifest: LessonManifest }
  | { action: 'unchanged' } // this exact version is already current
  | { action: 'superseded'; current: ManifestEntry }; // a newer upload is current

/** Decides what the manifest becomes when `entry` is published for `fileName`. */
export function applyToManifest(manifest: LessonManifest, fileName: string, entry: ManifestEntry): ManifestDecision {
  const decision = decideEntry(manifest.assets[fileName], entry);
  if (decision.action !== 'write') return decision;
  return { action: 'write', manifest: withSortedAssets(manifest, { ...manifest.assets, [fileName]: entry }) };
}

/** What one entry does to the current entry of its name (`applyToManifest` without building the manifest). */
export function decideEntry(
  current: ManifestEntry | undefined,
  entry: ManifestEntry,
): { action: 'write' } | { action: 'unchanged' } | { action: 'superseded'; current: ManifestEntry } {
  if (current && current.assetVersionId === entry.assetVersionId) return { action: 'unchanged' };
  if (current && isNewer(current, entry)) return { action: 'superseded', current };
  return { action: 'write' };
}

/** The manifest with `assets` as its assets, sorted by name (the order students' players list them in). */
export function withSortedAssets(manifest: LessonManifest, assets: Record<string, ManifestEntry>): LessonManifest {
  const sorted = Object.fromEntries(Object.entries(assets).sort(([a], [b]) => compareNames(a, b)));
  return { ...manifest, assets: sorted };
}

/**
 * The manifest with `changed` set (new names merged in at their place in the order): the same as
 * `withSortedAssets` over the merged assets, but in one pass over a manifest that is already sorted
 * — every manifest lectern writes is — instead of sorting the whole lesson again for each write.
 */
export function withEntries(manifest: LessonManifest, changed: ReadonlyMap<string, ManifestEntry>): LessonManifest {
  const added = [...changed.keys()].filter((name) => !Object.hasOwn(manifest.assets, name)).sort(compareNames);
  const assets: Record<string, ManifestEntry> = {};
  let next = 0;
  let previous: string | undefined;
  let sorted = true;
  for (const name of Object.keys(manifest.assets)) {
    if (previous !== undefined && compareNames(previous, name) > 0) sorted = false;
    previous = name;
    for (; next < added.length && compareNames(added[next] as string, name) < 0; next++) assets[added[next] as string] = changed.get(added[next] as string) as ManifestEntry;
    assets[name] = changed.get(name) ?? (manifest.assets[name] as ManifestEntry);
  }
  for (; next < added.length; next++) assets[added[next] as string] = changed.get(added[next] as string) as ManifestEntry;
  // A manifest edited out of order (by hand, or with names JavaScript lists first) is sorted whole.
  return sorted ? { ...manifest, assets } : withSortedAssets(manifest, assets);
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Each entry's bytes as they sit in the manifest file (after a comma), under its name, kept while the entry object lives. */
const entryBytes = new WeakMap<ManifestEntry, { name: string; bytes: Buffer }>();
const ENTRY_INDENT = '\n    ';
const ASSETS_PLACEHOLDER = '\n  "assets": 0';

/**
 * The manifest's stored bytes: exactly `JSON.stringify(manifest, null, 2)` and a newline, in UTF-8,
 * but each entry is serialised and encoded once for as long as its object lives, so rewriting a
 * manifest in which one entry changed serialises that entry only: the rest is a copy of bytes
 * (at 1,000 entries, serialising the whole lesson again for every write was most of its cost).
 */
export function encodeManifest(manifest: LessonManifest): Buffer {
  // JSON strings never hold a raw newline, so the top-level key is found only where it is one.
  const outline = JSON.stringify({ ...manifest, assets: 0 }, null, 2);
  const at = outline.indexOf(ASSETS_PLACEHOLDER) + ASSETS_PLACEHOLDER.length - 1;
  const names = Object.keys(manifest.assets);
  if (names.length === 0) return Buffer.from(`${outline.slice(0, at)}{}${outline.slice(at + 1)}\n`);
  const chunks: Buffer[] = [Buffer.from(`${outline.slice(0, at)}{`)];
  for (const name of names) chunks.push(entryChunk(name, manifest.assets[name] as ManifestEntry));
  // The first entry has no comma before it: its bytes without their first.
  chunks[1] = (chunks[1] as Buffer).subarray(1);
  chunks.push(Buffer.from(`\n  }${outline.slice(at + 1)}\n`));
  return Buffer.concat(chunks);
}

/** `encodeManifest` as text. */
export function serializeManifest(manifest: LessonManifest): string {
  return encodeManifest(manifest).toString('utf8');
}

function entryChunk(name: string, entry: ManifestEntry): Buffer {
  const cached = entryBytes.get(entry);
  if (cached?.name === name) return cached.bytes;
  const bytes = Buffer.from(`,${ENTRY_INDENT}${JSON.stringify(name)}: ${JSON.stringify(entry, null, 2).replaceAll('\n', ENTRY_INDENT)}`);
  entryBytes.set(entry, { name, bytes });
  return bytes;
}

function isNewer(a: ManifestEntry, b: ManifestEntry): boolean {
  if (a.sourceEventTime !== b.sourceEventTime) return a.sourceEventTime > b.sourceEventTime;
  return a.assetVersionId > b.assetVersionId;
}

/**
 * The manifest stored at `key`. Writes of it are atomic (S3, the twin's renames), so text that is
 * not a lectern manifest was damaged by hand or by a tool — never half-written: it is an error,
 * never read as an empty manifest, whose next write would drop every other asset of the lesson.
 */
export function parseManifest(text: string, key: string): LessonManifest {
  let value: Partial<LessonManifest> | undefined;
  try {
    value = JSON.parse(text) as Partial<LessonManifest>;
  } catch (error) {
    throw new DamagedManifestError(key, `it is not JSON (${(error as Error).message})`);
  }
  if (!value || value.schemaVersion !== 1 || typeof value.assets !== 'object' || value.assets === null) {
    throw new DamagedManifestError(key, 'it is JSON but not a lectern manifest (schemaVersion 1 with an assets object)');
  }
  return value as LessonManifest;
}
