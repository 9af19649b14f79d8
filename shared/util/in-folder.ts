/**
 * Runs a write that creates `file`, making the file's folder only when the write finds it missing:
 * a recursive mkdir before every write costs a system call or more per level, each time, for
 * folders that nearly always exist already.
 */
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

export function inFolderSync<T>(file: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (!missing(error)) throw error;
    mkdirSync(path.dirname(file), { recursive: true });
    return write();
  }
}

/** Appends `text` to `file` (a JSON-lines log), creating the file and its folder when missing. */
export function appendInFolderSync(file: string, text: string): void {
  inFolderSync(file, () => appendFileSync(file, text));
}

/** The same for a write through the thread pool. */
export async function inFolder<T>(file: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!missing(error)) throw error;
    await mkdir(path.dirname(file), { recursive: true });
    return write();
  }
}

/** Writes made aside by this process so far: each has a temporary name of its own. */
let writesAside = 0;

/**
 * Replaces `file` with `data`, written whole under a temporary name beside it and renamed into
 * place (its folder made if missing): a reader, in this process or another, sees the file as it
 * was or as it is now, never half of it.
 */
export function writeAsideSync(file: string, data: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.${++writesAside}.tmp`;
  inFolderSync(temp, () => writeFileSync(temp, data));
  renameSync(temp, file);
}
