/** An object store passed through, but for the operations a test replaces (to fault, count or interleave them). */
import type { ObjectStore } from '../../shared/ports/object-store.js';

export function wrapStore<T extends Partial<ObjectStore>>(store: ObjectStore, overrides: T): ObjectStore & T {
  return {
    bucket: store.bucket,
    head: (key) => store.head(key),
    get: (key) => store.get(key),
    getRange: (key, start, end) => store.getRange(key, start, end),
    put: (key, body, options) => store.put(key, body, options),
    copy: (sourceKey, targetKey, options) => store.copy(sourceKey, targetKey, options),
    list: (prefix) => store.list(prefix),
    delete: (key) => store.delete(key),
    ...overrides,
  };
}
