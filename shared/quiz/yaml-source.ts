/**
 * YAML (and JSON, which YAML reads too) with positions: the plain value, every syntax error
 * with line and column, and a way back from a value's path to where it was written.
 * Guards: at most one document, nesting depth checked on the CST before anything recursive
 * runs, and YAML aliases capped (no "billion laughs").
 */
import { Composer, Document, isMap, isNode, isPair, isScalar, LineCounter, Parser, type ParsedNode } from 'yaml';
import type { Reason } from '../contract/errors.js';
import { aliasExpansionOverrun } from '../yaml/expanded-size.js';
import type { Position } from './draft.js';
import { reason } from './reasons.js';

export const MAX_NESTING = 64;
/** Past this many misplaced tokens the file is not YAML; composing it would only make errors. */
const MAX_CST_PROBLEMS = 50;
/** A quiz object has a dozen keys; thousands would only make the unique-key check slow. */
const MAX_MAP_KEYS = 1000;
/** 500 questions with many answers stay far below this; composing is linear up to here. */
const MAX_CST_NODES = 200_000;
const MAX_ALIASES = 100;
/** The data aliases may expand to: what the largest quiz file accepted (2 MiB) holds written out. */
export const MAX_EXPANDED_BYTES = 2 * 1024 * 1024;

export type YamlSource =
  | { ok: true; value: unknown; locate: (path: readonly PropertyKey[]) => Position; key: (path: readonly PropertyKey[], key: string) => Position | undefined }
  | { ok: false; errors: Reason[] };

export function readYaml(text: string, what: string): YamlSource {
  const lineCounter = new LineCounter();
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  // Cheap checks on the CST, before the (recursive, error-object-per-problem) composer runs.
  const documents = tokens.filter((t) => (t as CstLike).type === 'document');
  if (documents.length > 1) {
    const second = (documents[1] as CstLike).offset ?? 0;
    return {
      ok: false,
      errors: [reason('quiz.syntax', `The ${what} holds more than one document ('---'): put the whole quiz in one document.`, linePos(lineCounter, second))],
    };
  }
  const deep = deepestNode(tokens);
  if (deep.nodes > MAX_CST_NODES || deep.widest > MAX_MAP_KEYS) {
    return {
      ok: false,
      errors: [
        reason(
          'quiz.too-large',
          deep.widest > MAX_MAP_KEYS
            ? `The ${what} has a mapping with more than ${MAX_MAP_KEYS} keys (line ${linePos(lineCounter, deep.widestOffset).line}): a quiz never needs that.`
            : `The ${what} holds more than ${MAX_CST_NODES} values: split it into several quiz files.`,
          deep.widest > MAX_MAP_KEYS ? linePos(lineCounter, deep.widestOffset) : undefined,
        ),
      ],
    };
  }
  if (deep.problems > MAX_CST_PROBLEMS) {
    return {
      ok: false,
      errors: [
        reason(
          'quiz.syntax',
          `${what} syntax error: the file is not valid YAML (more than ${MAX_CST_PROBLEMS} problems; the first is at line ${linePos(lineCounter, deep.firstProblem).line}).`,
          linePos(lineCounter, deep.firstProblem),
        ),
      ],
    };
  }
  if (deep.depth > MAX_NESTING) {
    return {
      ok: false,
      errors: [
        reason(
          'quiz.too-deep',
          `The ${what} nests more than ${MAX_NESTING} levels deep (at line ${linePos(lineCounter, deep.offset).line}): a quiz never needs that; flatten the structure.`,
          linePos(lineCounter, deep.offset),
        ),
      ],
    };
  }
  const docs: Document.Parsed[] = [...new Composer({ prettyErrors: false, uniqueKeys: true, strict: true }).compose(tokens)];
  const doc = docs[0];
  if (!doc) return { ok: false, errors: [reason('quiz.syntax', `The ${what} is empty: write a quiz with a 'questions' list.`, { line: 1, column: 1 })] };
  const errors = doc.errors.map((e) =>
    reason('quiz.syntax', `${what} syntax error: ${plainMessage(e.message)} (line ${linePos(lineCounter, e.pos[0]).line}).`, linePos(lineCounter, e.pos[0])),
  );
  if (errors.length > 0) return { ok: false, errors };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    return {
      ok: false,
      errors: [
        reason(
          'quiz.too-many-aliases',
          `The ${what} expands YAML aliases (*name) too often (${error instanceof Error ? plainMessage(error.message) : 'alias limit'}): write the values out instead of repeating aliases.`,
          { line: 1, column: 1 },
        ),
      ],
    };
  }
  // toJS shares an anchor's value between its aliases; the quiz.json written from it would not.
  const overrun = aliasExpansionOverrun(doc, MAX_EXPANDED_BYTES);
  if (overrun) {
    const at = linePos(lineCounter, overrun.offset);
    return {
      ok: false,
      errors: [
        reason(
          'quiz.too-many-aliases',
          `The ${what} grows past ${mebibytes(MAX_EXPANDED_BYTES)} once its YAML aliases (*name) are expanded (the alias at line ${at.line}, column ${at.column} takes it there): repeat less through aliases — write shared text once, or split the quiz into several files.`,
          at,
        ),
      ],
    };
  }
  const nodeAt = (path: readonly PropertyKey[]): { node: ParsedNode | undefined; depth: number } => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node)) return { node: node as ParsedNode, depth };
    }
    return { node: undefined, depth: 0 };
  };
  return {
    ok: true,
    value,
    locate: (path) => {
      const { node } = nodeAt(path);
      return linePos(lineCounter, node?.range?.[0] ?? 0);
    },
    key: (path, key) => {
      const { node, depth } = nodeAt(path);
      if (!node || depth !== path.length || !isMap(node)) return undefined;
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
      const keyNode = pair && isScalar(pair.key) ? pair.key : undefined;
      return keyNode?.range ? linePos(lineCounter, keyNode.range[0]) : undefined;
    },
  };
}

function linePos(lineCounter: LineCounter, offset: number): Position {
  const pos = lineCounter.linePos(offset);
  return { line: Math.max(1, pos.line), column: Math.max(1, pos.col) };
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

function plainMessage(message: string): string {
  return message.replace(/\s+at line \d+, column \d+.*$/s, '').replace(/\.$/, '');
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

/**
 * Deepest collection nesting in the CST, and how many tokens sit where YAML does not allow
 * them (each would become an error in the composer), found without recursion.
 */
function deepestNode(tokens: unknown[]): {
  depth: number;
  offset: number;
  problems: number;
  firstProblem: number;
  nodes: number;
  widest: number;
  widestOffset: number;
} {
  const max = { depth: 0, offset: 0, problems: 0, firstProblem: 0, nodes: 0, widest: 0, widestOffset: 0 };
  const stack: [CstLike, number][] = tokens.map((t) => [t as CstLike, 0]);
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [CstLike, number];
    if (depth > max.depth) {
      max.depth = depth;
      max.offset = node.offset ?? 0;
    }
    if (depth > MAX_NESTING) return max;
    max.nodes++;
    if (max.nodes > MAX_CST_NODES) return max;
    if (/map/.test(node.type ?? '') && (node.items?.length ?? 0) > max.widest) {
      max.widest = node.items?.length ?? 0;
      max.widestOffset = node.offset ?? 0;
      if (max.widest > MAX_MAP_KEYS) return max;
    }
    const props = [node.start, ...(node.items ?? []).flatMap((i) => [i.start, i.sep])].filter((list): list is CstLike[] => Array.isArray(list));
    const repeatedProps = props.flatMap((list) => {
      const anchorsAndTags = list.filter((t) => t.type === 'anchor' || t.type === 'tag');
      return anchorsAndTags.length > 2 ? anchorsAndTags.slice(2) : [];
    });
    const misplaced = [
      ...(node.type === 'error' ? [node] : []),
      ...(Array.isArray(node.end) ? node.end : []).filter((t) => !HARMLESS.has(t.type ?? '')),
      ...repeatedProps,
    ];
    for (const token of misplaced) {
      if (max.problems === 0) max.firstProblem = token.offset ?? 0;
      max.problems++;
    }
    if (max.problems > MAX_CST_PROBLEMS) return max;
    const children: unknown[] = [];
    if (node.value && typeof node.value === 'object') children.push(node.value);
    for (const item of node.items ?? []) {
      if (item.key && typeof item.key === 'object') children.push(item.key);
      if (item.value && typeof item.value === 'object') children.push(item.value);
    }
    for (const child of children) {
      const type = (child as CstLike).type ?? '';
      stack.push([child as CstLike, depth + (/map|seq|collection/.test(type) ? 1 : 0)]);
    }
  }
  return max;
}
