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
  const current = manifest.assets[fileName];
  if (current && current.assetVersionId === entry.assetVersionId) return { action: 'unchanged' };
  if (current && isNewer(current, entry)) return { action: 'superseded', current };
  const assets = Object.fromEntries(
    Object.entries({ ...manifest.assets, [fileName]: entry }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return { action: 'write', manifest: { ...manifest, assets } };
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
