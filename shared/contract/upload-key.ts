/**
 * The upload contract, as keys:
 *   courses/<course>/course.yaml
 *   courses/<course>/lessons/<lesson>/<asset file>
 * Pure: parses a key that has already been decoded (see `decodeS3EventKey`, applied exactly once
 * at the edge, in ingest-upload).
 */
import { InvalidKeyError, UnsupportedUploadError } from './errors.js';

/** What an upload is, by its key; each kind has its own size limit (config) and validation step. */
export type UploadKind = 'pdf' | 'quiz' | 'video' | 'audio' | 'captions' | 'image' | 'course';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_FILE_NAME_BYTES = 200;

export type UploadKey =
  | { kind: 'course'; key: string; course: string; fileName: 'course.yaml' }
  | { kind: Exclude<UploadKind, 'course'>; key: string; course: string; lesson: string; fileName: string; stem: string; extension: string };

/** Extensions by kind. Compound ones first: `.quiz.yaml` is a quiz, not YAML. */
const EXTENSIONS: ReadonlyArray<readonly [string, Exclude<UploadKind, 'course'>]> = [
  ['.quiz.json', 'quiz'],
  ['.quiz.yaml', 'quiz'],
  ['.quiz.yml', 'quiz'],
  ['.gift.txt', 'quiz'],
  ['.gift', 'quiz'],
  ['.aiken', 'quiz'],
  ['.txt', 'quiz'],
  ['.xml', 'quiz'],
  ['.pdf', 'pdf'],
  ['.mp4', 'video'],
  ['.mov', 'video'],
  ['.m4v', 'video'],
  ['.mkv', 'video'],
  ['.webm', 'video'],
  ['.mp3', 'audio'],
  ['.m4a', 'audio'],
  ['.wav', 'audio'],
  ['.vtt', 'captions'],
  ['.srt', 'captions'],
  ['.png', 'image'],
  ['.jpg', 'image'],
  ['.jpeg', 'image'],
  ['.gif', 'image'],
  ['.webp', 'image'],
  ['.svg', 'image'],
];

/**
 * Decodes a key as S3 event notifications deliver it: form-URL-encoded (`+` is a space, then
 * percent-decoding). Call it once, where the event enters the system.
 */
export function decodeS3EventKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch (cause) {
    throw new InvalidKeyError(`The object key "${encoded}" is not valid URL encoding.`, { cause, code: 'key.bad-encoding' });
  }
}

/** Parses a decoded key against the upload contract; throws `InvalidKeyError` or `UnsupportedUploadError`. */
export function parseUploadKey(key: string): UploadKey {
  const parts = key.split('/');
  const layoutHint =
    'Upload to courses/<course>/lessons/<lesson>/<file> (or courses/<course>/course.yaml), with course and lesson names in lower-case letters, digits and dashes.';
  if (parts[0] !== 'courses' || parts.length < 3) {
    throw new InvalidKeyError(`"${key}" is not inside courses/. ${layoutHint}`, { code: 'key.layout' });
  }
  const course = parts[1] ?? '';
  checkSlug(course, 'course', key);
  if (parts.length === 3) {
    if (parts[2] === 'course.yaml') return { kind: 'course', key, course, fileName: 'course.yaml' };
    throw new InvalidKeyError(`"${key}" is a file directly in the course folder; only course.yaml may be there. ${layoutHint}`, { code: 'key.layout' });
  }
  if (parts[2] !== 'lessons' || parts.length !== 5) {
    throw new InvalidKeyError(`"${key}" does not follow the layout. ${layoutHint}`, { code: 'key.layout' });
  }
  const lesson = parts[3] ?? '';
  checkSlug(lesson, 'lesson', key);
  const fileName = parts[4] ?? '';
  checkFileName(fileName, key);
  const lower = fileName.toLowerCase();
  const match = EXTENSIONS.find(([extension]) => lower.endsWith(extension) && lower.length > extension.length);
  if (!match) {
    const known = [...new Set(EXTENSIONS.map(([extension]) => extension))].join(' ');
    throw new UnsupportedUploadError(`"${fileName}" has an extension lectern does not accept. Accepted: ${known}.`, { code: 'upload.unknown-extension' });
  }
  const [extension, kind] = match;
  return { kind, key, course, lesson, fileName, stem: fileName.slice(0, fileName.length - extension.length), extension };
}

function checkSlug(value: string, what: 'course' | 'lesson', key: string): void {
  if (SLUG_PATTERN.test(value)) return;
  const suggestion = slugify(value);
  const hint = suggestion ? ` Rename it to "${suggestion}".` : '';
  throw new InvalidKeyError(
    `The ${what} name "${value}" in "${key}" is not a valid slug: use 1–63 lower-case letters, digits and dashes, starting with a letter or digit.${hint}`,
    { code: `key.invalid-${what}-slug` },
  );
}

function checkFileName(fileName: string, key: string): void {
  const problem =
    fileName.length === 0 ? 'is empty'
    : /^[._ ]/.test(fileName) ? 'starts with a dot, underscore or space (hidden and system files are not course content)'
    : /[\p{Cc}\\]/u.test(fileName) ? 'contains control characters or a backslash'
    : new TextEncoder().encode(fileName).length > MAX_FILE_NAME_BYTES ? `is longer than ${MAX_FILE_NAME_BYTES} bytes`
    : undefined;
  if (problem) throw new InvalidKeyError(`The file name in "${key}" ${problem}. Rename the file and upload it again.`, { code: 'key.invalid-file-name' });
}

/** A best-effort slug for a hint: "Intro to Biology" → "intro-to-biology". */
export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}
