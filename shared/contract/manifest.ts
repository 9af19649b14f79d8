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
  const sorted = Object.fromEntries(Object.entries(assets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...manifest, assets: sorted };
}

/** Each entry's JSON as it sits in the manifest text, kept while the entry object lives. */
const entryTexts = new WeakMap<ManifestEntry, string>();
const ENTRY_INDENT = '\n    ';

/**
 * The manifest's stored text: exactly `JSON.stringify(manifest, null, 2)` and a newline, but each
 * entry is serialised once for as long as its object lives, so rewriting a manifest in which one
 * entry changed serialises that entry only (the rest is concatenation).
 */
export function serializeManifest(manifest: LessonManifest): string {
  const names = Object.keys(manifest.assets);
  const assets =
    names.length === 0
      ? '{}'
      : `{${names.map((name) => `${ENTRY_INDENT}${JSON.stringify(name)}: ${entryText(manifest.assets[name] as ManifestEntry)}`).join(',')}\n  }`;
  // JSON strings never hold a raw newline, so the top-level key is found only where it is one.
  const outline = JSON.stringify({ ...manifest, assets: 0 }, null, 2);
  return `${outline.replace('\n  "assets": 0', () => `\n  "assets": ${assets}`)}\n`;
}

function entryText(entry: ManifestEntry): string {
  let text = entryTexts.get(entry);
  if (text === undefined) {
    text = JSON.stringify(entry, null, 2).replaceAll('\n', ENTRY_INDENT);
    entryTexts.set(entry, text);
  }
  return text;
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
