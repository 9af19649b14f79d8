/**
 * A look at YAML's concrete syntax tree (the parser's tokens) before the composer builds a
 * document from it: how deep collections nest, how many values and keys there are, and how many
 * tokens sit where YAML does not allow them (each would become an error object in the composer).
 * The walk keeps its own stack, so nothing here recurses however deep the input goes, and it goes
 * in document order, so what it reports first is what an editor shows first.
 */

export interface SurveyLimits {
  /** Deepest collection nesting. */
  maxDepth: number;
  /** Values (CST nodes) in all. */
  maxNodes: number;
  /** Keys in one mapping. */
  maxMapKeys: number;
  /** Misplaced tokens. */
  maxProblems: number;
}

/**
 * What the walk found; it stops as soon as one figure passes its limit. Offsets are into the
 * text: where the depth was reached, the widest mapping, the earliest misplaced token.
 */
export interface CstSurvey {
  depth: number;
  depthOffset: number;
  nodes: number;
  widest: number;
  widestOffset: number;
  problems: number;
  firstProblemOffset: number;
}

interface CstLike {
  type?: string;
  offset?: number;
  value?: unknown;
  key?: unknown;
  /** An array of tokens for block nodes, a single token for flow collections. */
  start?: CstLike[] | CstLike;
  end?: CstLike[];
  items?: { key?: unknown; value?: unknown; sep?: CstLike[]; start?: CstLike[] }[];
}

const HARMLESS = new Set(['comment', 'newline', 'space', 'doc-end', 'flow-map-end', 'flow-seq-end', 'comma']);

/** Offsets of the documents in the token stream (a second one means `---` started another). */
export function documentOffsets(tokens: readonly unknown[]): number[] {
  return tokens.filter((t) => (t as CstLike).type === 'document').map((t) => (t as CstLike).offset ?? 0);
}

export function surveyCst(tokens: readonly unknown[], limits: SurveyLimits): CstSurvey {
  const max: CstSurvey = { depth: 0, depthOffset: 0, nodes: 0, widest: 0, widestOffset: 0, problems: 0, firstProblemOffset: 0 };
  const stack: [CstLike, number][] = tokens.map((t): [CstLike, number] => [t as CstLike, 0]).reverse();
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [CstLike, number];
    if (depth > max.depth) {
      max.depth = depth;
      max.depthOffset = node.offset ?? 0;
    }
    if (depth > limits.maxDepth) return max;
    max.nodes++;
    if (max.nodes > limits.maxNodes) return max;
    if (/map/.test(node.type ?? '') && (node.items?.length ?? 0) > max.widest) {
      max.widest = node.items?.length ?? 0;
      max.widestOffset = node.offset ?? 0;
      if (max.widest > limits.maxMapKeys) return max;
    }
    for (const token of misplacedTokens(node)) {
      const offset = token.offset ?? 0;
      if (max.problems === 0 || offset < max.firstProblemOffset) max.firstProblemOffset = offset;
      max.problems++;
    }
    if (max.problems > limits.maxProblems) return max;
    // Pushed last child first, so the first child is walked next.
    for (const [child, opens] of childrenOf(node).reverse()) stack.push([child, depth + (opens ? 1 : 0)]);
  }
  return max;
}

/**
 * Error tokens, stray tokens after a node, a third anchor or tag on one node, and a mapping
 * begun on its key's line (`title: Cells: the basics`). The parser nests each line after such a
 * mapping one level deeper, so it counts here as the mistake it is, not as depth.
 */
function misplacedTokens(node: CstLike): CstLike[] {
  const props = [node.start, ...(node.items ?? []).flatMap((i) => [i.start, i.sep])].filter((list): list is CstLike[] => Array.isArray(list));
  const repeatedProps = props.flatMap((list) => {
    const anchorsAndTags = list.filter((t) => t.type === 'anchor' || t.type === 'tag');
    return anchorsAndTags.length > 2 ? anchorsAndTags.slice(2) : [];
  });
  const compactMaps = node.type === 'block-map' ? (node.items ?? []).filter(isCompactMapValue).map((item) => item.value as CstLike) : [];
  return [...(node.type === 'error' ? [node] : []), ...(Array.isArray(node.end) ? node.end : []).filter((t) => !HARMLESS.has(t.type ?? '')), ...repeatedProps, ...compactMaps];
}

type CstItem = NonNullable<CstLike['items']>[number];

/** `key: inner: value` on one line: a block mapping as an implicit key's value, with no line break between. */
function isCompactMapValue(item: CstItem): boolean {
  const value = item.value as CstLike | undefined;
  if (value?.type !== 'block-map' || !Array.isArray(item.sep)) return false;
  const explicitKey = (item.start ?? []).some((t) => t.type === 'explicit-key-ind');
  return !explicitKey && item.sep.some((t) => t.type === 'map-value-ind') && !item.sep.some((t) => t.type === 'newline');
}

/** Each child with whether it opens a level of nesting (a collection that is not a compact-mapping mistake). */
function childrenOf(node: CstLike): [CstLike, boolean][] {
  const opens = (child: CstLike) => /map|seq|collection/.test(child.type ?? '');
  const children: [CstLike, boolean][] = [];
  if (node.value && typeof node.value === 'object') children.push([node.value as CstLike, opens(node.value as CstLike)]);
  for (const item of node.items ?? []) {
    if (item.key && typeof item.key === 'object') children.push([item.key as CstLike, opens(item.key as CstLike)]);
    if (item.value && typeof item.value === 'object') {
      const value = item.value as CstLike;
      children.push([value, opens(value) && !(node.type === 'block-map' && isCompactMapValue(item))]);
    }
  }
  return children;
}
