/**
 * An object store that counts what passes through it: calls per operation and bytes read and
 * written, for the manifest keys apart from the rest. Tests compare counts (never wall-clock) to
 * show how the cost of one upload grows with the size of its lesson.
 */
import type { ObjectStore } from '../../shared/ports/object-store.js';

export type Operation = 'head' | 'get' | 'getRange' | 'put' | 'copy' | 'list' | 'delete';

export interface StoreCounts {
  calls: Record<Operation, number>;
  bytesRead: number;
  bytesWritten: number;
  /** The same, for keys ending in `manifest.json` only. */
  manifest: { calls: Record<Operation, number>; bytesRead: number; bytesWritten: number };
}

function zero(): Record<Operation, number> {
  return { head: 0, get: 0, getRange: 0, put: 0, copy: 0, list: 0, delete: 0 };
}

export function emptyCounts(): StoreCounts {
  return { calls: zero(), bytesRead: 0, bytesWritten: 0, manifest: { calls: zero(), bytesRead: 0, bytesWritten: 0 } };
}

export function countingStore(store: ObjectStore): ObjectStore & { counts: StoreCounts; reset(): void } {
  const wrapper = {
    bucket: store.bucket,
    counts: emptyCounts(),
    reset() {
      wrapper.counts = emptyCounts();
    },
    note(key: string, op: Operation, read = 0, written = 0) {
      const targets = [wrapper.counts, ...(key.endsWith('manifest.json') ? [wrapper.counts.manifest] : [])];
      for (const t of targets) {
        t.calls[op]++;
        t.bytesRead += read;
        t.bytesWritten += written;
      }
    },
    async head(key: string) {
      wrapper.note(key, 'head');
      return store.head(key);
    },
    async get(key: string) {
      const bytes = await store.get(key);
      wrapper.note(key, 'get', bytes?.byteLength ?? 0);
      return bytes;
    },
    async getRange(key: string, start: number, end: number) {
      const bytes = await store.getRange(key, start, end);
      wrapper.note(key, 'getRange', bytes?.byteLength ?? 0);
      return bytes;
    },
    async put(key: string, body: Uint8Array | string, options?: Parameters<ObjectStore['put']>[2]) {
      wrapper.note(key, 'put', 0, typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
      return store.put(key, body, options);
    },
    async copy(sourceKey: string, targetKey: string, options?: Parameters<ObjectStore['copy']>[2]) {
      wrapper.note(targetKey, 'copy');
      return store.copy(sourceKey, targetKey, options);
    },
    async list(prefix: string) {
      wrapper.note(prefix, 'list');
      return store.list(prefix);
    },
    async delete(key: string) {
      wrapper.note(key, 'delete');
      return store.delete(key);
    },
  };
  return wrapper;
}
