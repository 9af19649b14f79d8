/**
 * QTI itemBody content → HTML: XHTML elements by local name, interactions replaced by their
 * prompt (or a blank for inline ones), feedbackInline taken out for the caller, image objects
 * turned into images. The result is sanitised later like every other quiz HTML.
 */
import type { Element, Node } from '@xmldom/xmldom';
import { escapeHtml } from './sanitize-html.js';
import { elementChildren, isElement, isText, localName } from './xml-document.js';

export const BLANK = '_____';

export interface SerializeOptions {
  /** The one interaction of the item: replaced by its prompt, or by a blank when inline. */
  interaction?: Element;
  /** Several interactions: each replaced by its prompt (block ones) and its gap marker `{#n}`. */
  gaps?: Map<Element, number>;
  /** Called for feedbackInline/feedbackBlock found on the way (they are not serialised). */
  onFeedback?: (el: Element) => void;
}

const INLINE_INTERACTIONS = new Set(['textEntryInteraction', 'inlineChoiceInteraction', 'endAttemptInteraction']);
const SKIPPED = new Set(['rubricBlock', 'stylesheet', 'templateBlock', 'templateInline', 'infoControl']);

/** The HTML of a node's children. */
export function serializeChildren(node: Node, options: SerializeOptions = {}): string {
  let out = '';
  for (let n = node.firstChild; n; n = n.nextSibling) out += serializeNode(n, options);
  return out;
}

function serializeNode(node: Node, options: SerializeOptions, inPre = false): string {
  // Items are indented XML: fold each run of whitespace that spans lines into one line break.
  if (isText(node)) {
    const text = escapeHtml(inPre ? (node.nodeValue ?? '') : (node.nodeValue ?? '').replace(/[ \t]*\n\s*/g, '\n'));
    // In an item whose interactions became gaps, a written `{#1}` must not read as one (an
    // entity would be decoded by the sanitiser; a tag between `{` and `#` survives it).
    return options.gaps ? text.replace(/\{#/g, '<span>{</span>#') : text;
  }
  if (!isElement(node)) return '';
  const name = localName(node);
  if (node === options.interaction) {
    if (INLINE_INTERACTIONS.has(name)) return BLANK;
    const prompt = elementChildren(node, 'prompt')[0];
    return prompt ? `<p>${serializeChildren(prompt, options)}</p>` : '';
  }
  const gap = options.gaps?.get(node);
  if (gap !== undefined) {
    if (INLINE_INTERACTIONS.has(name)) return `{#${gap}}`;
    const prompt = elementChildren(node, 'prompt')[0];
    return `${prompt ? `<p>${serializeChildren(prompt, options)}</p>` : ''}<div>{#${gap}}</div>`;
  }
  if (name === 'feedbackInline' || name === 'feedbackBlock') {
    options.onFeedback?.(node);
    return '';
  }
  if (SKIPPED.has(name)) return '';
  if (name === 'object' && /^image\//.test(node.getAttribute('type') ?? '')) {
    const alt = (node.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
    return `<img src="${escapeHtml(node.getAttribute('data') ?? '')}" alt="${escapeHtml(alt)}">`;
  }
  const attributes = attributesOf(node);
  let children = '';
  for (let n = node.firstChild; n; n = n.nextSibling) children += serializeNode(n, options, inPre || name === 'pre');
  return VOID.has(name) ? `<${name}${attributes}>` : `<${name}${attributes}>${children}</${name}>`;
}

const VOID = new Set(['br', 'hr', 'img', 'col', 'wbr']);

function attributesOf(el: Element): string {
  let out = '';
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes.item(i);
    if (!attr) continue;
    const name = attr.name === 'xml:lang' ? 'lang' : attr.name;
    if (name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xml:') || name.startsWith('xsi:')) continue;
    out += ` ${name}="${escapeHtml(attr.value)}"`;
  }
  return out;
}

/** Plain text of an element (for matching answers): whitespace collapsed. */
export function plainTextOf(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Every descendant element whose local name ends with "Interaction". */
export function findInteractions(root: Element): Element[] {
  const found: Element[] = [];
  const walk = (el: Element): void => {
    for (const child of elementChildren(el)) {
      if (localName(child).endsWith('Interaction')) found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}
