/**
 * Makes what the CDN serves for one lesson match its access (docs/access.md). On a stage whose
 * access is `signed`, the distribution's `courses/*` behaviour needs signed cookies and `public/*`
 * does not: a public lesson's files — every published file under its folder, and its manifest with
 * URLs pointing at the copies — are mirrored under `public/courses/<c>/lessons/<l>/`; a signed
 * lesson has no such copies (any left from when it was public are removed). On a `public` stage
 * everything is served without cookies and nothing is mirrored. Idempotent: run after every
 * publish of the lesson and every course.yaml; returns the CDN paths that changed.
 */
import { accessRecordKey, lessonAccess, parseAccessRecord, type CourseAccessRecord } from '../access/access-record.js';
import { PUBLIC_PREFIX } from '../access/access-policy.js';
import type { Deps } from '../runtime/deps.js';
import { IMMUTABLE_CACHE_CONTROL, MANIFEST_CACHE_CONTROL, manifestKey, parseManifest, type LessonManifest } from '../contract/manifest.js';

export type ApplyLessonAccessDeps = Pick<Deps, 'config' | 'published'>;

export async function readAccessRecord(deps: Pick<Deps, 'published'>, course: string): Promise<CourseAccessRecord | undefined> {
  const bytes = await deps.published.get(accessRecordKey(course));
  return bytes ? parseAccessRecord(new TextDecoder().decode(bytes)) : undefined;
}

/**
 * `only`: the asset version prefixes (`<asset>/<version>/`, relative to the lesson) that changed —
 * a publish mirrors just those and the manifest instead of listing the whole lesson, so its cost is
 * its own entry's; without it (a course.yaml change) the whole lesson is brought in line.
 */
export async function applyLessonAccess(
  course: string,
  lesson: string,
  deps: ApplyLessonAccessDeps,
  record?: CourseAccessRecord,
  only?: readonly string[],
): Promise<string[]> {
  const { access, cdnBaseUrl } = deps.config;
  if (access.stageDefault !== 'signed') return [];
  const lessonPrefix = `courses/${course}/lessons/${lesson}/`;
  const publicLessonPrefix = `${PUBLIC_PREFIX}${lessonPrefix}`;
  const mode = lessonAccess(record ?? (await readAccessRecord(deps, course)), lesson, access.stageDefault);

  if (mode === 'signed') {
    const copies = await deps.published.list(publicLessonPrefix);
    for (const key of copies) await deps.published.delete(key);
    return copies.length > 0 ? [`/${publicLessonPrefix}*`] : [];
  }

  const mKey = manifestKey(course, lesson);
  const text = await deps.published.get(mKey);
  if (!text) return [];
  const keys = only ? (await Promise.all(only.map((prefix) => deps.published.list(`${lessonPrefix}${prefix}`)))).flat() : await deps.published.list(lessonPrefix);
  for (const key of keys) {
    if (key === mKey) continue;
    const target = `${PUBLIC_PREFIX}${key}`;
    const [source, copy] = await Promise.all([deps.published.head(key), deps.published.head(target)]);
    if (!source || (copy && copy.size === source.size)) continue; // keys are content-addressed
    // Server-side: a lecture's segments and MP4 never pass through this function's memory.
    await deps.published.copy(key, target, { ...(source.contentType ? { contentType: source.contentType } : {}), cacheControl: IMMUTABLE_CACHE_CONTROL });
  }
  const manifest = parseManifest(new TextDecoder().decode(text), mKey);
  const base = (cdnBaseUrl ?? '').replace(/\/+$/, '');
  const publicManifest = `${JSON.stringify(toPublicUrls(manifest, `${base}/courses/`, `${base}/${PUBLIC_PREFIX}courses/`), null, 2)}\n`;
  const publicKey = `${PUBLIC_PREFIX}${mKey}`;
  const current = await deps.published.get(publicKey);
  if (current && new TextDecoder().decode(current) === publicManifest) return [];
  await deps.published.put(publicKey, publicManifest, { contentType: 'application/json', cacheControl: MANIFEST_CACHE_CONTROL });
  return [`/${publicKey}`];
}

/** Every lesson of a course that has something published or mirrored. */
export async function publishedLessons(deps: Pick<Deps, 'published'>, course: string): Promise<string[]> {
  const lessons = new Set<string>();
  for (const prefix of [`courses/${course}/lessons/`, `${PUBLIC_PREFIX}courses/${course}/lessons/`]) {
    for (const key of await deps.published.list(prefix)) {
      const lesson = key.slice(prefix.length).split('/')[0];
      if (lesson) lessons.add(lesson);
    }
  }
  return [...lessons].sort();
}

function toPublicUrls(manifest: LessonManifest, from: string, to: string): LessonManifest & { access: 'public' } {
  const swap = (url: string) => (url.startsWith(from) ? `${to}${url.slice(from.length)}` : url);
  const assets = Object.fromEntries(
    Object.entries(manifest.assets).map(([name, entry]) => [name, { ...entry, url: swap(entry.url), outputs: entry.outputs.map((o) => ({ ...o, url: swap(o.url) })) }]),
  );
  return { ...manifest, access: 'public', assets };
}
