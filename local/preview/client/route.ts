/** The page's hash routes, the links that lead to them, and a stable element id per file. */

export type Route = { view: 'home' } | { view: 'course'; course: string } | { view: 'lesson'; course: string; lesson: string; file?: string };

/** `#/`, `#/courses/<c>`, `#/courses/<c>/lessons/<l>`, `#/courses/<c>/lessons/<l>/files/<file>`. */
export function parseRoute(hash: string | undefined): Route {
  const parts = String(hash || '')
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  if (parts[0] === 'courses' && parts[1]) {
    if (parts[2] === 'lessons' && parts[3]) {
      return { view: 'lesson', course: parts[1], lesson: parts[3], ...(parts[4] === 'files' && parts[5] ? { file: parts[5] } : {}) };
    }
    return { view: 'course', course: parts[1] };
  }
  return { view: 'home' };
}

export const hrefHome = (): string => '#/';
export const hrefCourse = (c: string): string => `#/courses/${encodeURIComponent(c)}`;
export const hrefLesson = (c: string, l: string): string => `${hrefCourse(c)}/lessons/${encodeURIComponent(l)}`;
export const hrefFile = (c: string, l: string, f: string): string => `${hrefLesson(c, l)}/files/${encodeURIComponent(f)}`;

/** A stable element id for an asset (file names may hold any character). */
export function assetId(fileName: string): string {
  let hash = 5381;
  for (let i = 0; i < fileName.length; i++) hash = ((hash * 33) ^ fileName.charCodeAt(i)) >>> 0;
  return `asset-${fileName.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 48)}-${hash.toString(36)}`;
}
