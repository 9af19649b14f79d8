/**
 * The CDN's local twin: `lectern dev` serves the published folder directly, so there is no cache
 * to purge; invalidations are appended to a JSON-lines log so tests and ops can see exactly what
 * would have been invalidated, once per caller reference.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { appendInFolderSync } from '../util/in-folder.js';
import type { Cdn, InvalidationRequest, InvalidationResult } from '../ports/cdn.js';

export interface InvalidationLogEntry {
  id: string;
  callerReference: string;
  paths: string[];
  createdAt: string;
}

export class LocalCdn implements Cdn {
  readonly baseUrl: string;
  readonly #logFile: string;
  #queue: Promise<unknown> = Promise.resolve();
  /** callerReference → invalidation id, loaded from the log on first use. */
  #byReference: Map<string, string> | undefined;

  constructor(options: { baseUrl: string; logFile: string }) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#logFile = options.logFile;
  }

  invalidate(request: InvalidationRequest): Promise<InvalidationResult> {
    const run = async (): Promise<InvalidationResult> => {
      // The log is read once; after that the index is kept in step with what this process appends
      // (invalidations are serialised by the queue), so a call costs O(1), not a read of the log.
      this.#byReference ??= new Map((await this.log()).map((entry) => [entry.callerReference, entry.id]));
      const existing = this.#byReference.get(request.callerReference);
      if (existing) return { id: existing, duplicate: true };
      const id = `I${createHash('sha256').update(request.callerReference).digest('hex').slice(0, 13).toUpperCase()}`;
      const entry: InvalidationLogEntry = { id, callerReference: request.callerReference, paths: request.paths, createdAt: new Date().toISOString() };
      const line = `${JSON.stringify(entry)}\n`;
      // Appended synchronously, as the other JSON-lines logs are: a line through the thread pool
      // costs a FileHandle, a promise and two thread hops (~0.3 ms of CPU an upload in a busy lesson).
      appendInFolderSync(this.#logFile, line);
      this.#byReference.set(request.callerReference, id);
      return { id, duplicate: false };
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async log(): Promise<InvalidationLogEntry[]> {
    const text = await readFile(this.#logFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as InvalidationLogEntry);
  }
}
