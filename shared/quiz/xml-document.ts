/**
 * XML for the quiz parsers: @xmldom/xmldom with positions on every element, well-formedness
 * problems as reasons with line and column, no DTD entities (no entity-expansion bombs), and a
 * few small helpers for reading elements.
 */
import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import type { Reason } from '../contract/errors.js';
import type { Position } from './draft.js';
import { LineIndex } from './text-position.js';
import { reason } from './reasons.js';

export type XmlParseResult = { ok: true; root: Element } | { ok: false; errors: Reason[] };

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

export function parseXml(text: string, formatName: string): XmlParseResult {
  const entity = /<!ENTITY/i.exec(text);
  if (entity) {
    const at = new LineIndex(text).at(entity.index);
    return {
      ok: false,
      errors: [
        reason(
          'quiz.syntax',
          `${formatName} may not declare DTD entities (<!ENTITY at line ${at.line}): remove the DOCTYPE's entity declarations.`,
          at,
        ),
      ],
    };
  }
  const errors: Reason[] = [];
  const lines = new LineIndex(text);
  let doc: Document | undefined;
  try {
    doc = new DOMParser({
      locator: true,
      normalizeLineEndings: (source) => source,
      onError: (level, message: string, context: { locator?: { lineNumber?: number; columnNumber?: number } }) => {
        const at = errorPosition(text, lines, message, context?.locator);
        errors.push(
          reason('quiz.syntax', `${formatName} is not well-formed XML: ${cleanMessage(message)} at line ${at.line}, column ${at.column ?? 1}. Fix the markup (every tag closed, attributes quoted, & written as &amp;).`, at),
        );
        // Stop at the first problem: later ones are mostly echoes, and xmldom's recovery from
        // some of them is slow on hostile input (a megabyte of '<').
        throw new Error(level);
      },
    }).parseFromString(text, 'text/xml');
  } catch {
    // The reason was recorded by onError (or is added below).
  }
  if (errors.length > 0) {
    const unique = new Map(errors.map((e) => [e.message, e]));
    return { ok: false, errors: [...unique.values()] };
  }
  const root = doc?.documentElement;
  if (!root) return { ok: false, errors: [reason('quiz.syntax', `${formatName} has no root element: the file holds no XML document.`, { line: 1, column: 1 })] };
  const deepest = deepestElement(root);
  if (deepest) {
    const at = positionOf(deepest);
    return {
      ok: false,
      errors: [reason('quiz.too-deep', `${formatName} nests elements more than ${MAX_XML_DEPTH} levels deep (line ${at.line}): no quiz needs that; flatten the markup.`, at)],
    };
  }
  return { ok: true, root };
}

export const MAX_XML_DEPTH = 200;

/** The first element deeper than MAX_XML_DEPTH, found without recursion (undefined if none). */
function deepestElement(root: Element): Element | undefined {
  const stack: [Element, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [el, depth] = stack.pop() as [Element, number];
    if (depth > MAX_XML_DEPTH) return el;
    for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === ELEMENT_NODE) stack.push([n as Element, depth + 1]);
  }
  return undefined;
}

function cleanMessage(message: string): string {
  return message.replace(/\s*\n.*$/s, '').replace(/\.$/, '');
}

function errorPosition(
  text: string,
  lines: LineIndex,
  message: string,
  locator: { lineNumber?: number; columnNumber?: number } | undefined,
): Position {
  const line = Math.max(1, locator?.lineNumber ?? 1);
  const column = Math.max(1, locator?.columnNumber ?? 1);
  // xmldom does not move its locator for end tags: find the offending one ourselves.
  const mismatch = /mismatch: "([^"]+)" != "([^"]+)"/.exec(message);
  if (mismatch?.[2]) {
    const from = lines.lineStart(line) + column - 1;
    const at = text.indexOf(`</${mismatch[2]}`, from);
    if (at !== -1) return lines.at(at);
  }
  return { line, column };
}

export function elementChildren(el: Element, name?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === ELEMENT_NODE && (name === undefined || localName(n as Element) === name)) out.push(n as Element);
  }
  return out;
}

export function firstChild(el: Element | undefined, name: string): Element | undefined {
  return el ? elementChildren(el, name)[0] : undefined;
}

export function localName(el: Element): string {
  return el.localName ?? el.nodeName;
}

/** The concatenated text of an element (CDATA included), or undefined for a missing element. */
export function textContent(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  let out = '';
  const walk = (node: Node): void => {
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) out += n.nodeValue ?? '';
      else if (n.nodeType === ELEMENT_NODE) walk(n);
    }
  };
  walk(el);
  return out;
}

export function positionOf(node: Node | undefined): Position {
  const line = (node as { lineNumber?: number } | undefined)?.lineNumber;
  const column = (node as { columnNumber?: number } | undefined)?.columnNumber;
  return { line: line && line > 0 ? line : 1, ...(column && column > 0 ? { column } : {}) };
}

export function isElement(node: Node): node is Element {
  return node.nodeType === ELEMENT_NODE;
}

export function isText(node: Node): boolean {
  return node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE;
}
