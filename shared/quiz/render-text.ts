/**
 * Authored text → (unsanitised) HTML: HTML as it is, Moodle auto-format with its line breaks,
 * plain text escaped, Markdown rendered. LaTeX delimiters `\( \)`, `\[ \]`, `$$ $$` survive
 * Markdown untouched, for MathJax to typeset in the browser.
 */
import { Marked } from 'marked';
import type { RichText } from './draft.js';
import { escapeHtml } from './sanitize-html.js';

const markdown = new Marked({ async: false, gfm: true, breaks: false });
const MATH_DELIMITERS: readonly [string, string][] = [
  ['\\(', '\\)'],
  ['\\[', '\\]'],
  ['$$', '$$'],
];

/** Deeper than this, Markdown and HTML are refused: no quiz needs it, and parsers recurse. */
export const MAX_TEXT_NESTING = 100;

/** Markdown that would nest blocks deeper than `MAX_TEXT_NESTING` (markers or indentation). */
export function markdownTooDeep(text: string): boolean {
  const markers = /^[ \t]*(?:(?:[>*+-]|\d{1,9}[.)])[ \t]*){17,}/m;
  const indent = /^[ \t]{129,}\S/m;
  return markers.test(text) || indent.test(text);
}

export function renderRichText(rich: RichText): string {
  switch (rich.format) {
    case 'html':
      return rich.text;
    case 'moodle':
      return rich.text.replace(/\n/g, '<br>\n');
    case 'plain':
      return escapeHtml(rich.text).replace(/\n/g, '<br>\n');
    case 'markdown':
      return markdownToHtml(rich.text);
  }
}

function markdownToHtml(text: string): string {
  const math: string[] = [];
  const protectedText = protectMath(text, math);
  const html = markdown
    .parse(protectedText, { async: false })
    .replace(/\uE000(\d+)\uE001/g, (_, index: string) => escapeHtml(math[Number(index)] ?? ''))
    .trim();
  // One short paragraph ("**this**" as an answer) reads better without its <p>.
  const single = /^<p>((?:(?!<\/?p>)[\s\S])*)<\/p>$/.exec(html);
  return single?.[1] ?? html;
}

/** Replaces each LaTeX segment by a placeholder, in one linear pass (no backtracking regex). */
function protectMath(text: string, store: string[]): string {
  const next = MATH_DELIMITERS.map(([open]) => text.indexOf(open));
  let out = '';
  let i = 0;
  for (;;) {
    let which = -1;
    next.forEach((at, k) => {
      if (at !== -1 && at < i) next[k] = at = text.indexOf(MATH_DELIMITERS[k]?.[0] ?? '', i);
      if (at !== -1 && (which === -1 || at < (next[which] ?? Infinity))) which = k;
    });
    if (which === -1) break;
    const [open, close] = MATH_DELIMITERS[which] ?? ['', ''];
    const start = next[which] ?? 0;
    const end = text.indexOf(close, start + open.length);
    if (end === -1) {
      next[which] = -1; // no closing delimiter anywhere after: stop looking for this kind
      continue;
    }
    out += `${text.slice(i, start)}\uE000${store.push(text.slice(start, end + close.length)) - 1}\uE001`;
    i = end + close.length;
  }
  return out + text.slice(i);
}
