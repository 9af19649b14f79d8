/**
 * How much data a YAML document becomes once its aliases are expanded, counted on the document
 * without expanding anything. yaml's `maxAliasCount` limits how many times aliases are resolved,
 * not how much they bring: one 1.9 MB anchored value repeated by 99 aliases passes it and becomes
 * 188 MB. Both YAML readers (course.yaml, native quizzes) bound this size before `toJS`.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

export interface ExpansionOverrun {
  /** The size reached when counting stopped (at least the limit). */
  bytes: number;
  /** Source offset of the alias whose expansion crossed the limit. */
  offset: number;
}

/**
 * Counts, in document order, the text of every scalar (keys and values) the data will hold, each
 * alias counted as the node it names; stops at the first alias that takes the total past
 * `maxBytes`. Undefined when the whole document stays within it.
 */
export function aliasExpansionOverrun(doc: Document, maxBytes: number): ExpansionOverrun | undefined {
  const sizes = new Map<Node, number>();
  const resolving = new Set<Node>();
  let total = 0;

  /** The size of `node` with its aliases expanded (memoised: an anchor's size is counted once). */
  const sizeOf = (node: unknown): number => {
    if (node === null || node === undefined) return 0;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target || resolving.has(target)) return 0; // unresolvable or recursive: toJS reports it
      return sizeOf(target);
    }
    if (isScalar(node)) return String(node.value ?? '').length + 1;
    const known = sizes.get(node as Node);
    if (known !== undefined) return known;
    resolving.add(node as Node);
    let size = 1;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) size += isPair(item) ? sizeOf(item.key) + sizeOf(item.value) : sizeOf(item);
      if (size > maxBytes) size = maxBytes + 1; // no need to count further
    }
    resolving.delete(node as Node);
    sizes.set(node as Node, size);
    return size;
  };

  /** Walks the document as written, adding each alias's expansion where it stands. */
  const walk = (node: unknown): ExpansionOverrun | undefined => {
    if (node === null || node === undefined) return undefined;
    if (isAlias(node)) {
      total += sizeOf(node);
      return total > maxBytes ? { bytes: total, offset: node.range?.[0] ?? 0 } : undefined;
    }
    if (isScalar(node)) {
      total += String(node.value ?? '').length + 1;
      return undefined;
    }
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        const overrun = isPair(item) ? (walk(item.key) ?? walk(item.value)) : walk(item);
        if (overrun) return overrun;
      }
    }
    return undefined;
  };
  return walk(doc.contents);
}
