/**
 * From a path in the data (as zod reports it: `['lessons', 2, 'slug']`) back to where it was
 * written in the YAML document. Aliases are followed to the anchored node, so a problem in
 * repeated data points at the text that holds it.
 */
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type Node } from 'yaml';

export type YamlPath = ReadonlyArray<PropertyKey>;

/** The offset of the key or value at `path`; the nearest existing ancestor's when it is missing. */
export function offsetOf(doc: Document.Parsed, path: YamlPath, target: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let k = 0; k < path.length; k++) {
    const segment = path[k];
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(segment));
      if (!pair) return offset;
      const last = k === path.length - 1;
      const keyStart = rangeStart(pair.key);
      if (last && target === 'key' && keyStart !== undefined) return keyStart;
      node = pair.value;
      offset = rangeStart(node) ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

/** Where the first alias (`*name`) stands, if the document has one. */
export function firstAliasOffset(doc: Document.Parsed): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Alias(_key, alias) {
      found = alias.range?.[0];
      return visit.BREAK;
    },
  });
  return found;
}

/** The first alias named `name` with no anchor of that name before it (yaml's toJS names it, not where it is). */
export function unresolvedAlias(doc: Document.Parsed, name: string): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Alias(_key, alias) {
      if (alias.source !== name || alias.resolve(doc)) return undefined;
      found = alias.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return found;
}

export function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}
