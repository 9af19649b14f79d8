/**
 * Which upload keys the files given to `lectern run` become. A folder is laid out as
 * `courses/<c>/…` (the folder contains `courses/`, or is inside it); a lone file takes
 * `--course`/`--lesson`, or its own path when that already reads `courses/<c>/lessons/<l>/…`.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './args.js';

export interface PlannedUpload {
  file: string;
  key: string;
}

export interface Skipped {
  file: string;
  why: string;
}

export async function collectUploads(inputs: string[], options: { course?: string; lesson?: string }): Promise<{ uploads: PlannedUpload[]; skipped: Skipped[] }> {
  const uploads: PlannedUpload[] = [];
  const skipped: Skipped[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new UsageError(`No such file or folder: ${input}`);
    if (info.isDirectory()) {
      for (const file of await walk(input)) {
        const key = keyInTree(input, file);
        if (key) uploads.push({ file, key });
        else skipped.push({ file, why: 'not under a courses/ folder' });
      }
    } else {
      uploads.push({ file: input, key: keyForFile(input, options) });
    }
  }
  return { uploads, skipped };
}

function keyForFile(file: string, options: { course?: string; lesson?: string }): string {
  const name = path.basename(file);
  if (options.course) {
    if (name === 'course.yaml' && !options.lesson) return `courses/${options.course}/course.yaml`;
    if (!options.lesson) throw new UsageError(`--lesson is needed with --course for ${file}`);
    return `courses/${options.course}/lessons/${options.lesson}/${name}`;
  }
  const fromPath = keyFromCoursesSegment(path.resolve(file));
  if (fromPath) return fromPath;
  throw new UsageError(`Say where ${file} belongs: --course <course> --lesson <lesson> (or lay it out as courses/<course>/lessons/<lesson>/${name}).`);
}

function keyInTree(root: string, file: string): string | undefined {
  const relative = path.relative(root, file).split(path.sep).join('/');
  if (relative.startsWith('courses/')) return relative;
  return keyFromCoursesSegment(path.resolve(file));
}

function keyFromCoursesSegment(absolute: string): string | undefined {
  const segments = absolute.split(path.sep);
  const index = segments.lastIndexOf('courses');
  if (index < 0 || index === segments.length - 1) return undefined;
  return segments.slice(index).join('/');
}

async function walk(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
